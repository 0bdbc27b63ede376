/* SPDX-License-Identifier: MIT */
/*
 * System calls for the libc-less aarch64 test programs (entry, bti): svc
 * #0 with the number in x8, arguments in x0-x3, the result in x0.
 */
#ifndef SYS_ARCH_H
#define SYS_ARCH_H

static long sys4(long nr, long a, long b, long c, long d)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3)
			 : "memory");
	return x0;
}

static long sys3(long nr, long a, long b, long c)
{
	return sys4(nr, a, b, c, 0);
}

#endif
