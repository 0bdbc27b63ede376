/* SPDX-License-Identifier: MIT */
/* x86_64: see fill_vectors.h.  By what the CPU and the kernel enable:
 * SSE always, AVX and AVX-512 (opmask, zmm0-31) where XCR0 says. */
#include <cpuid.h>
#include <stdint.h>

#include "fill_vectors.h"

static uint64_t xcr0(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27)))	/* OSXSAVE */
		return 0;
	__asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
	return ((uint64_t)d << 32) | a;
}

void launch_fill_vectors(void)
{
	uint64_t x = xcr0();
	unsigned int mxcsr = 0x9fc0;	/* flush-to-zero, denormals-are-zero */
	unsigned short fcw = 0x27f;	/* x87 precision: double */

	__asm__ volatile("fldcw %0\n\tldmxcsr %1" : : "m"(fcw), "m"(mxcsr));
	if ((x & 0xe6) == 0xe6) {	/* SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM */
		__asm__ volatile(
#define Z(n) "vpternlogd $0xff, %%zmm" #n ", %%zmm" #n ", %%zmm" #n "\n\t"
			Z(0) Z(1) Z(2) Z(3) Z(4) Z(5) Z(6) Z(7) Z(8) Z(9) Z(10) Z(11)
			Z(12) Z(13) Z(14) Z(15) Z(16) Z(17) Z(18) Z(19) Z(20) Z(21)
			Z(22) Z(23) Z(24) Z(25) Z(26) Z(27) Z(28) Z(29) Z(30) Z(31)
#undef Z
			"kxnorw %%k0, %%k0, %%k0\n\tkxnorw %%k1, %%k1, %%k1\n\t"
			"kxnorw %%k2, %%k2, %%k2\n\tkxnorw %%k3, %%k3, %%k3\n\t"
			"kxnorw %%k4, %%k4, %%k4\n\tkxnorw %%k5, %%k5, %%k5\n\t"
			"kxnorw %%k6, %%k6, %%k6\n\tkxnorw %%k7, %%k7, %%k7"
			::: "memory");
	} else if ((x & 0x6) == 0x6) {	/* SSE, AVX */
		__asm__ volatile(
#define Y(n) "vpcmpeqd %%ymm" #n ", %%ymm" #n ", %%ymm" #n "\n\t"
			Y(0) Y(1) Y(2) Y(3) Y(4) Y(5) Y(6) Y(7) Y(8) Y(9) Y(10) Y(11)
			Y(12) Y(13) Y(14) Y(15)
#undef Y
			::: "memory");
	} else {
		__asm__ volatile(
#define X(n) "pcmpeqd %%xmm" #n ", %%xmm" #n "\n\t"
			X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)
			X(12) X(13) X(14) X(15)
#undef X
			::: "memory");
	}
}
