/* SPDX-License-Identifier: MIT */
/*
 * aarch64: what arch_setup_new_exec() and flush_thread() reset
 * (arch/arm64/kernel/process.c): the tagged address ABI and the MTE
 * control (tag checks, tag mask) off, new pointer
 * authentication keys with all four enabled, and, without
 * PR_SVE_VL_INHERIT, the SVE vector length back to the system's default.
 * Each part is checked where the CPU and the kernel have it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>

#include "execstate_arch.h"

#define ALL_KEYS (PR_PAC_APIAKEY | PR_PAC_APIBKEY | PR_PAC_APDAKEY | PR_PAC_APDBKEY)
#define POINTER 0x12345670UL	/* a user address under any VA size */

/* P signed with key IA and modifier M (pacia1716, a hint: a no-op where
 * the key is off or the CPU has none). */
static unsigned long pac_of(unsigned long p, unsigned long m)
{
	register unsigned long x17 __asm__("x17") = p;
	register unsigned long x16 __asm__("x16") = m;

	__asm__ volatile("hint #8" : "+r"(x17) : "r"(x16));
	return x17;
}

/* Eight signatures of POINTER (modifiers 0-7) as hex into OUT; how many
 * differ from POINTER.  The PAC field may be as narrow as 3 bits (a 52-bit
 * address space): one signature repeats under a new key one time in 8,
 * eight of them one time in 16 million. */
static int signatures(char *out, size_t len)
{
	int changed = 0;
	size_t n = 0;

	out[0] = '\0';
	for (unsigned long m = 0; m < 8; m++) {
		unsigned long s = pac_of(POINTER, m);

		changed += s != POINTER;
		n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%s%lx", m ? "-" : "", s);
	}
	return changed;
}

static long default_vl(void)
{
	char buf[16] = "";
	FILE *f = fopen("/proc/sys/abi/sve_default_vector_length", "re");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	return strtol(buf, NULL, 10);
}

int execstate_set(char *token, size_t len)
{
	unsigned long hw = getauxval(AT_HWCAP);
	/* With MTE, synchronous tag checks and a tag mask too. */
	unsigned long mte = (getauxval(AT_HWCAP2) & HWCAP2_MTE) ?
			    PR_MTE_TCF_SYNC | (0xfffeUL << PR_MTE_TAG_SHIFT) : 0;
	int parts = 0;

	if (!prctl(PR_SET_TAGGED_ADDR_CTRL, PR_TAGGED_ADDR_ENABLE | mte, 0, 0, 0))
		parts++;
	if (!signatures(token, len) && (hw & HWCAP_PACA)) {
		printf("FAIL: HWCAP_PACA, but pacia1716 leaves %#lx unsigned\n", POINTER);
		return 1;
	}
	if ((hw & HWCAP_PACA) && !prctl(PR_PAC_SET_ENABLED_KEYS, PR_PAC_APIBKEY, 0, 0, 0))
		parts++;
	if ((hw & HWCAP_SVE) && default_vl() > 16 && prctl(PR_SVE_SET_VL, 16, 0, 0, 0) >= 0)
		parts++;
	return parts ? 0 : 77;
}

int execstate_check(const char *token)
{
	unsigned long hw = getauxval(AT_HWCAP);
	char now[160];
	int bad = 0, r;

	r = prctl(PR_GET_TAGGED_ADDR_CTRL, 0, 0, 0, 0);
	if (r > 0)
		bad = printf("FAIL: the tagged address ABI is still on (%#x)\n", r) > 0;
	if (hw & HWCAP_PACA) {
		signatures(now, sizeof(now));
		if (!strcmp(now, token))
			bad = printf("FAIL: the same pointer authentication key IA as before "
				     "exec (%#lx signed %s both times)\n", POINTER, now) > 0;
		r = prctl(PR_PAC_GET_ENABLED_KEYS, 0, 0, 0, 0);
		if (r >= 0 && r != ALL_KEYS)
			bad = printf("FAIL: enabled keys %#x, not all four\n", r) > 0;
	}
	if (hw & HWCAP_SVE) {
		r = prctl(PR_SVE_GET_VL, 0, 0, 0, 0);
		if (r >= 0 && (r & PR_SVE_VL_LEN_MASK) != default_vl())
			bad = printf("FAIL: SVE vector length %d, not the default %ld\n",
				     r & PR_SVE_VL_LEN_MASK, default_vl()) > 0;
	}
	return bad;
}
