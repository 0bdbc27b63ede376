/* SPDX-License-Identifier: MIT */
/*
 * The aarch64 layout constants the self-checking programs (brk.c) compare
 * with: ELF_ET_DYN_BASE is 2 * DEFAULT_MAP_WINDOW_64 / 3
 * (arch/arm64/include/asm/elf.h), and the window is 2^VA_BITS, at most 2^48
 * (with 52-bit kernels too), a configuration of the kernel: found as the
 * smallest power of two, at least 2^36, at or above this program's stack,
 * which the kernel puts below STACK_TOP (the window's top) by at most the
 * stack randomisation.
 */
#ifndef LAYOUT_ARCH_H
#define LAYOUT_ARCH_H

#include <sys/auxv.h>

static inline unsigned long layout_elf_et_dyn_base(void)
{
	unsigned long top = getauxval(AT_EXECFN), window = 1UL << 36;

	while (window < top && window < (1UL << 48))
		window <<= 1;
	return 2 * window / 3;
}

#endif
