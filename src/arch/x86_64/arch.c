/* SPDX-License-Identifier: MIT */
/*
 * x86_64: the exit gadget.  Recent kernels' vDSO system call fallbacks end
 * in "syscall" followed by xor-clearing of the scratch registers and "ret".
 * Entered with rax = SYS_munmap and rsp pointing at the program's entry,
 * such a sequence unmaps the final stage's blob and lands on the entry with
 * the registers clear (see uexec_arch_final_jump in entry.S).  Only
 * sequences that clear every register the syscall or its arguments leave
 * behind (rcx, r11, rdi, rsi) are taken.
 */
#include <cpuid.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"

#include "final.h"

enum { R_AX, R_CX, R_DX, R_BX, R_SP, R_BP, R_SI, R_DI,
       R_8, R_9, R_10, R_11, R_12, R_13, R_14, R_15 };

/* Decode "xor r32, r32" (same register, optional REX.R|B or REX.W) at P;
 * returns its length and the register, or 0. */
static size_t decode_xor_self(const unsigned char *p, size_t left, int *reg)
{
	size_t i = 0;
	int rex = 0, a, b;

	if (left >= 1 && (p[0] & 0xf0) == 0x40) {
		rex = p[0];
		i = 1;
	}
	if (left < i + 2 || (p[i] != 0x31 && p[i] != 0x33) || (p[i + 1] & 0xc0) != 0xc0)
		return 0;
	a = ((p[i + 1] >> 3) & 7) | ((rex & 4) ? 8 : 0);
	b = (p[i + 1] & 7) | ((rex & 1) ? 8 : 0);
	if (a != b)
		return 0;
	*reg = a;
	return i + 2;
}

uintptr_t uexec_arch_find_exit_gadget(uintptr_t base, size_t len)
{
	const unsigned char *v = (const unsigned char *)base;
	const unsigned need = 1u << R_CX | 1u << R_11 | 1u << R_DI | 1u << R_SI;

	for (size_t i = 0; i + 3 <= len; i++) {
		unsigned cleared = 0;
		size_t j, n;
		int reg;

		if (v[i] != 0x0f || v[i + 1] != 0x05)
			continue;
		for (j = i + 2; j < len && (n = decode_xor_self(v + j, len - j, &reg)); j += n)
			cleared |= 1u << reg;
		if (j < len && v[j] == 0xc3 && (cleared & need) == need &&
		    !(cleared & (1u << R_SP)))
			return base + i;
	}
	return 0;
}

/* x86_64's ELF_HWCAP: CPUID leaf 1, EDX (boot_cpu_data.x86_capability). */
unsigned long uexec_arch_hwcap(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	return d;
}
