/* SPDX-License-Identifier: MIT */
/*
 * Raw system calls for code that may use neither libc nor errno (the final
 * stage, final.c).  Each returns the kernel's value: -errno on failure.
 */
#ifndef UEXEC_SYSCALL_ARCH_H
#define UEXEC_SYSCALL_ARCH_H

static inline __attribute__((always_inline)) long uexec_arch_syscall6(long n, long a, long b, long c, long d,
				       long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/* The thread state exec resets (arch_setup_new_exec(), x86): a CPUID that
 * faults (ARCH_SET_CPUID 0) works again; W[0] is 1 when the caller had
 * made it fault (uexec_arch_final_fill). */
#define UEXEC_ARCH_EXEC_RESET(w) \
	((w)[0] ? uexec_arch_syscall6(158 /* arch_prctl */, 0x1012 /* ARCH_SET_CPUID */, 1, \
				      0, 0, 0, 0) : 0)

/* Thread pointer reset: fs and gs base = 0, as start_thread() leaves them
 * (a caller may have set its gs base with ARCH_SET_GS). */
#define UEXEC_ARCH_RESET_TLS()                                                               \
	(uexec_arch_syscall6(158 /* arch_prctl */, 0x1001 /* ARCH_SET_GS */, 0, 0, 0, 0, 0), \
	 uexec_arch_syscall6(158 /* arch_prctl */, 0x1002 /* ARCH_SET_FS */, 0, 0, 0, 0, 0))

#endif
