/* SPDX-License-Identifier: MIT */
/*
 * Raw system calls for code that may use neither libc nor errno (the final
 * stage, final.c): svc #0 with the number in x8 and the arguments in
 * x0-x5; the result (-errno on failure) comes back in x0, every other
 * register is preserved (arch/arm64/kernel/entry-common.c, el0_svc).
 */
#ifndef UEXEC_SYSCALL_ARCH_H
#define UEXEC_SYSCALL_ARCH_H

#include <asm/unistd.h>
#include <sys/prctl.h>
#include <stdint.h>

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

/*
 * The thread state exec resets (arch/arm64/kernel/process.c): the tagged
 * address ABI and MTE control off (flush_tagged_addr_state(),
 * mte_thread_init_user()), new pointer authentication keys, all enabled
 * (ptrauth_thread_init_user()), and the SVE vector length (W[0], 0: as it
 * is).  Each is a prctl(2) the kernel refuses (EINVAL) where the CPU or
 * the kernel lacks the feature; that is no error.
 */
static inline __attribute__((always_inline)) void uexec_arch_exec_reset(const uintptr_t *w)
{
	const long keys = PR_PAC_APIAKEY | PR_PAC_APIBKEY | PR_PAC_APDAKEY | PR_PAC_APDBKEY;

	uexec_arch_syscall6(__NR_prctl, PR_SET_TAGGED_ADDR_CTRL, 0, 0, 0, 0, 0);
	uexec_arch_syscall6(__NR_prctl, PR_PAC_RESET_KEYS, 0, 0, 0, 0, 0);	/* 0: all */
	uexec_arch_syscall6(__NR_prctl, PR_PAC_SET_ENABLED_KEYS, keys, keys, 0, 0, 0);
	if (w[0])
		uexec_arch_syscall6(__NR_prctl, PR_SVE_SET_VL, (long)w[0], 0, 0, 0, 0);
}
#define UEXEC_ARCH_EXEC_RESET(w) uexec_arch_exec_reset(w)

/* Thread pointer reset: tpidr_el0 = 0, as tls_thread_flush() leaves it
 * after the kernel's exec (arch/arm64/kernel/process.c).  No system call:
 * EL0 may write its own thread register. */
#define UEXEC_ARCH_RESET_TLS() __asm__ volatile("msr tpidr_el0, xzr" ::: "memory")

#endif
