/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 layout constants the self-checking programs (brk.c) compare
 * with: ELF_ET_DYN_BASE is 2/3 of DEFAULT_MAP_WINDOW, 2^47 less a page
 * (arch/x86/include/asm/elf.h, page_64_types.h).
 */
#ifndef LAYOUT_ARCH_H
#define LAYOUT_ARCH_H

static inline unsigned long layout_elf_et_dyn_base(void)
{
	return 0x7ffffffff000UL / 3 * 2;
}

#endif
