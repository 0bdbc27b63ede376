/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 architecture layer: constants and types of the contract in
 * src/archdep.h, which includes this header (generic code includes only
 * archdep.h).
 */
#ifndef UEXEC_ARCH_H
#define UEXEC_ARCH_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define UEXEC_ARCH_NAME		"x86_64"
#define UEXEC_ELF_CLASS		ELFCLASS64
#define UEXEC_ELF_DATA		ELFDATA2LSB
#define UEXEC_ELF_MACHINE	EM_X86_64
#define UEXEC_PAGE_SIZE		4096UL	/* ELF_EXEC_PAGESIZE */
#define UEXEC_ELF_MIN_ALIGN	4096UL

/* The 47-bit user address space (DEFAULT_MAP_WINDOW) and the kernel's
 * bases derived from it. */
#define UEXEC_TASK_SIZE		0x7ffffffff000UL
#define UEXEC_ELF_ET_DYN_BASE	(UEXEC_TASK_SIZE / 3 * 2)
/* TASK_UNMAPPED_BASE, PAGE_ALIGN(TASK_SIZE / 3): the legacy layout's
 * mmap area starts there (plus the mmap randomisation). */
#define UEXEC_TASK_UNMAPPED_BASE (((UEXEC_TASK_SIZE / 3) + 4095UL) & ~4095UL)
/* HPAGE_PMD_SIZE: thp_get_unmapped_area() aligns large file mappings to
 * it. */
#define UEXEC_PMD_SIZE		(2UL << 20)
#define UEXEC_STACK_RND_MASK	0x3fffffUL	/* pages: 16 GiB */
#define UEXEC_BRK_RND_RANGE	(1UL << 30)	/* arch_randomize_brk */
#define UEXEC_STACK_ALIGN	16UL
#define UEXEC_STACK_SUBPAGE_RND	8192UL		/* arch_align_stack */

/* The bytes the final jump writes just below the program's stack pointer
 * (entry.S: 16 for the exit gadget's return, at most 64 for an i386
 * program's exit chain, which vdso32.c bounds). */
#define UEXEC_ARCH_BELOW_SP	64UL

/* rseq(2): the signature glibc registers with on this architecture. */
#define UEXEC_RSEQ_SIG		0x53053053U

/* The auxv entries this architecture's kernel puts first (ARCH_DLINFO),
 * for the fallback used when /proc/self/auxv cannot be read. */
#define UEXEC_ARCH_DLINFO_KEYS	AT_SYSINFO_EHDR, AT_MINSIGSTKSZ

/* The ELF ABIs (archdep.h, struct uexec_abi): x86_64 itself, and i386 in
 * compatibility mode (IA32_EMULATION), as the kernel's binfmt_elf and
 * compat_binfmt_elf run them.  x32 is not supported. */

/* The compat ABI's own vDSO (ARCH_SETUP_ADDITIONAL_PAGES for an i386
 * program): the final stage drops the 64-bit vDSO and vvar and maps the
 * 32-bit one with arch_prctl(ARCH_MAP_VDSO_32) at block (its text at
 * text, __kernel_vsyscall at entry); 0: none. */
#define UEXEC_ARCH_MAP_VDSO_32 0x2002	/* arch_prctl() */
struct uexec_arch_plan {
	uintptr_t vdso32_block, vdso32_text, vdso32_entry;
	size_t vdso32_size;
	/* The exit chain in the 32-bit vDSO (vdso32.c), or 0. */
	uintptr_t vdso32_exit[2];
	unsigned int vdso32_exit_pops[2];
};

/* The final stage's part (final_arch.c): the 64-bit vDSO/vvar ranges to
 * unmap, where the 32-bit vDSO goes, and, if it lands elsewhere, the two
 * auxv keys (on the stack at sysinfo_key[], in the final stage's copy at
 * index sysinfo_idx[]) that become AT_IGNORE. */
struct uexec_arch_final {
	uintptr_t kunmap[8][2];		/* [addr, len] */
	unsigned int nkunmap;
	uintptr_t vdso32_block, vdso32_text;
	uintptr_t sysinfo_key[2];
	unsigned int sysinfo_idx[2], nsysinfo, auxv_word;
};

/* ---- --compare: register snapshot ------------------------------------
 * Implemented in compare_regs.c (built into the CLI only); the generic
 * side is src/compare/cmp.h, which has defaults for an architecture that
 * does not define UEXEC_ARCH_PTRACE_REGS (--compare then says it is not
 * implemented).  A snapshot is what PTRACE_GETREGSET gives for
 * NT_PRSTATUS and NT_PRFPREG; generic code keeps it by value and reads it
 * only through the functions below, so it names no register. */
#define UEXEC_ARCH_PTRACE_REGS	1
struct uexec_arch_regs {
	_Alignas(16) unsigned char opaque[1024];
};
/* Declared by src/compare/cmp.h: uexec_arch_read_regs, _regs_pc, _regs_sp,
 * _regs_word (8, or 4 for an i386 program: code segment 0x23),
 * _compare_regs, _compare_known. */
/* ---- end of --compare: register snapshot ----------------------------- */

static inline void *uexec_arch_thread_pointer(void)
{
	return __builtin_thread_pointer();
}

#endif
