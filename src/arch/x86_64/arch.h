/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 architecture layer.  Generic code includes "arch.h" (this
 * folder is on the include path) and uses only what is defined here.
 */
#ifndef UEXEC_ARCH_H
#define UEXEC_ARCH_H

#include <elf.h>
#include <stdint.h>

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
#define UEXEC_STACK_RND_MASK	0x3fffffUL	/* pages: 16 GiB */
#define UEXEC_BRK_RND_RANGE	(1UL << 30)	/* arch_randomize_brk */
#define UEXEC_STACK_ALIGN	16UL
#define UEXEC_STACK_SUBPAGE_RND	8192UL		/* arch_align_stack */

/* rseq(2): the signature glibc registers with on this architecture. */
#define UEXEC_RSEQ_SIG		0x53053053U

/* The auxv entries this architecture's kernel puts first (ARCH_DLINFO),
 * for the fallback used when /proc/self/auxv cannot be read. */
#define UEXEC_ARCH_DLINFO_KEYS	AT_SYSINFO_EHDR, AT_MINSIGSTKSZ

/* Does this ELF machine belong to this architecture's other ABIs?  Used
 * only to word the error for a wrong-architecture file. */
static inline const char *uexec_arch_machine_hint(unsigned int machine,
						  unsigned int class)
{
	if (machine == EM_386 || (machine == EM_X86_64 && class == ELFCLASS32))
		return "32-bit x86 (i386/x32) programs are not supported";
	return 0;
}

/* ELF_HWCAP as the kernel computes it (AT_HWCAP when /proc is missing:
 * glibc's getauxval(AT_HWCAP) is its own value on x86). */
unsigned long uexec_arch_hwcap(void);

static inline void *uexec_arch_thread_pointer(void)
{
	return __builtin_thread_pointer();
}

#endif
