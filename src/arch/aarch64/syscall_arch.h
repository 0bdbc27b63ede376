/* SPDX-License-Identifier: MIT */
/*
 * Raw system calls for code that may use neither libc nor errno (the final
 * stage, final.c): svc #0 with the number in x8 and the arguments in
 * x0-x5; the result (-errno on failure) comes back in x0, every other
 * register is preserved (arch/arm64/kernel/entry-common.c, el0_svc).
 */
#ifndef UEXEC_SYSCALL_ARCH_H
#define UEXEC_SYSCALL_ARCH_H

static inline __attribute__((always_inline)) long uexec_arch_syscall6(long n, long a, long b,
								       long c, long d, long e,
								       long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return x0;
}

/* Thread pointer reset: tpidr_el0 = 0, as tls_thread_flush() leaves it
 * after the kernel's exec (arch/arm64/kernel/process.c).  No system call:
 * EL0 may write its own thread register. */
#define UEXEC_ARCH_RESET_TLS() __asm__ volatile("msr tpidr_el0, xzr" ::: "memory")

#endif
