/* SPDX-License-Identifier: MIT */
/*
 * The aarch64 (arm64) architecture layer: constants and types of the
 * contract in src/archdep.h, which includes this header (generic code
 * includes only archdep.h).  Values are the arm64 kernel's, cited by file.
 */
#ifndef UEXEC_ARCH_H
#define UEXEC_ARCH_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/types.h>

#define UEXEC_ARCH_NAME		"aarch64"
#define UEXEC_ELF_CLASS		ELFCLASS64
#define UEXEC_ELF_DATA		ELFDATA2LSB
#define UEXEC_ELF_MACHINE	EM_AARCH64

/*
 * The page size is the running kernel's: arm64 kernels are built with 4 KiB,
 * 16 KiB or 64 KiB pages (ELF_EXEC_PAGESIZE is PAGE_SIZE,
 * arch/arm64/include/asm/elf.h), so it is AT_PAGESZ, read once.  Callers
 * use UEXEC_PAGE_SIZE as an expression, never in #if or a static
 * initialiser.  The final stage does not use it (it calls no libc).
 */
static inline uintptr_t uexec_arch_page_size(void)
{
	static uintptr_t page;

	if (!page) {
		unsigned long v = getauxval(AT_PAGESZ);

		page = v && !(v & (v - 1)) ? v : 4096;
	}
	return page;
}
#define UEXEC_PAGE_SIZE		uexec_arch_page_size()
#define UEXEC_ELF_MIN_ALIGN	uexec_arch_page_size()	/* ELF_MIN_ALIGN */

/*
 * The user address space: TASK_SIZE_64 = 1 << vabits_actual, and the
 * kernel's default mmap window and STACK_TOP, DEFAULT_MAP_WINDOW_64 =
 * 1 << VA_BITS_MIN (arch/arm64/include/asm/processor.h, memory.h).  Kernels
 * are built for 39, 42, 47 or 48 bits (52 with LVA hardware, whose default
 * window is still 48 bits), so it is a runtime value too: the power of two
 * at or above uexec's own stack top (STACK_TOP less at most 1 GiB of
 * randomisation, so that power is the window), see arch.c.  ELF_ET_DYN_BASE
 * is 2 * DEFAULT_MAP_WINDOW_64 / 3 (asm/elf.h; TASK_SIZE_64 under
 * CONFIG_ARM64_FORCE_52BIT, not followed).  uexec refuses PT_LOADs above the
 * window.
 */
uintptr_t uexec_arch_task_size(void);
#define UEXEC_TASK_SIZE		uexec_arch_task_size()
#define UEXEC_ELF_ET_DYN_BASE	(2 * UEXEC_TASK_SIZE / 3)
/* STACK_RND_MASK = 0x3ffff >> (PAGE_SHIFT - 12) pages (asm/elf.h): 1 GiB
 * of stack top randomisation whatever the page size. */
#define UEXEC_STACK_RND_MASK	(0x3ffffUL * 4096 / uexec_arch_page_size())
/* arch_randomize_brk(): randomize_page(mm->brk, SZ_1G) for a 64-bit task
 * (arch/arm64/kernel/process.c). */
#define UEXEC_BRK_RND_RANGE	(1UL << 30)
#define UEXEC_STACK_ALIGN	16UL
/* arch_align_stack(): sp -= get_random_u32_below(PAGE_SIZE), then & ~0xf
 * (arch/arm64/kernel/process.c). */
#define UEXEC_STACK_SUBPAGE_RND	uexec_arch_page_size()
/* CONFIG_ARCH_MMAP_RND_BITS default = ARCH_MMAP_RND_BITS_MIN
 * (arch/arm64/Kconfig): 18 with 4 KiB pages, 16 with 16 KiB, 14 with 64 KiB;
 * /proc/sys/vm/mmap_rnd_bits says what the running kernel uses. */
#define UEXEC_MMAP_RND_BITS	(uexec_arch_page_size() >= 65536 ? 14 : \
				 uexec_arch_page_size() >= 16384 ? 16 : 18)

/* ---- --compare: register snapshot ------------------------------------
 * Implemented in compare_regs.c (built into the CLI only); the generic
 * side is src/compare/cmp.h.  A snapshot is what PTRACE_GETREGSET gives
 * for NT_PRSTATUS, NT_PRFPREG and NT_ARM_TLS; generic code keeps it by
 * value and reads it only through the functions below. */
#define UEXEC_ARCH_PTRACE_REGS	1
struct uexec_arch_regs {
	_Alignas(16) unsigned char opaque[1024];
};
/* Declared by src/compare/cmp.h (uexec_arch_regs_word is 8: no compat
 * mode on this layer). */

/* rseq(2): glibc's RSEQ_SIG on little-endian aarch64, RSEQ_SIG_DATA =
 * RSEQ_SIG_CODE, the BRK #0x45E0 instruction
 * (sysdeps/unix/sysv/linux/aarch64/bits/rseq.h). */
#define UEXEC_RSEQ_SIG		0xd428bc00U

/* ARCH_DLINFO (asm/elf.h): AT_SYSINFO_EHDR, then AT_MINSIGSTKSZ (or
 * AT_IGNORE when the kernel computed none). */
#define UEXEC_ARCH_DLINFO_KEYS	AT_SYSINFO_EHDR, AT_MINSIGSTKSZ

/* The bytes below the program's stack pointer the final jump needs
 * mapped: none.  Its rt_sigreturn frame goes below sp only where the
 * kernel-sized stack mapping holds it (uexec_arch_final_fill() decides);
 * elsewhere it stays on the blob's own stack, so the mapping never grows
 * past the kernel's for it (with 64 KiB pages, a page more would be 64
 * KiB of stack the kernel's program does not have). */
#define UEXEC_ARCH_BELOW_SP	0UL

/* qemu-user's signal trampoline (arch.c). */
#define UEXEC_ARCH_FOREIGN_MAPPINGS 1

/* The ELF ABIs (archdep.h): aarch64 alone.  AArch32 programs (the compat
 * ABI of an arm64 kernel with CONFIG_COMPAT) are refused with a message
 * (arch.c, uexec_arch_machine_hint). */

/* pc, sp, pstate, x0-x30, tpidr_el0, fpcr, fpsr (arch.c). */
#define UEXEC_MAX_REGS		40

/* TASK_UNMAPPED_BASE (PAGE_ALIGN(TASK_SIZE / 4)): where the legacy
 * layout's mmap area starts, and the PMD size, which THP aligns large
 * file mappings to (PAGE_SIZE * PAGE_SIZE / 8: 2 MiB with 4 KiB pages). */
#define UEXEC_TASK_UNMAPPED_BASE \
	((uexec_arch_task_size() / 4 + uexec_arch_page_size() - 1) & ~(uexec_arch_page_size() - 1))
#define UEXEC_PMD_SIZE		(uexec_arch_page_size() / 8 * uexec_arch_page_size())

/* GNU properties (archdep.h; elf_property.c): BTI. */
#define UEXEC_ARCH_GNU_PROPERTY 1
#define UEXEC_ARCH_ELF_BTI	(1U << 0)	/* the kernel's ARM64_ELF_BTI */
struct uexec_arch_elf_state {
	unsigned int flags;
};

/* No compat vDSO or other extra pages: archdep.h's empty defaults, but
 * for uexec_arch_final_fill (arch.c: the pstate of the final jump). */
#define UEXEC_ARCH_NO_EXTRA_PAGES 1
#define UEXEC_ARCH_FINAL_FILL 1

static inline void *uexec_arch_thread_pointer(void)
{
	return __builtin_thread_pointer();
}

#endif
