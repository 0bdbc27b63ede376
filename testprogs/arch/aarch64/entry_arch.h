/* SPDX-License-Identifier: MIT */
/*
 * The aarch64 part of the "entry" program (entry.c): its system calls
 * (sys_arch.h), the page size, and the register checks against the arm64 kernel's
 * start_thread() (arch/arm64/include/asm/processor.h: every register zero
 * but pc and sp, pstate EL0t) and fpsimd_flush_thread() (FP/SIMD zero,
 * fpcr = fpsr = 0); tls_thread_flush() leaves tpidr_el0 zero.  The
 * registers were saved by entry_start.S in this directory.
 */
#ifndef ENTRY_ARCH_H
#define ENTRY_ARCH_H

#include "sys_arch.h"

enum { R_X0 = 0, R_X30 = 30, R_SP = 31, R_NZCV, R_FPCR, R_FPSR, R_TPIDR, R_V0,
       R_COUNT = R_V0 + 64 };

/* open(PATH, O_RDONLY): aarch64 has openat only. */
#define ENTRY_OPEN(path) sys4(__NR_openat, -100 /* AT_FDCWD */, (long)(path), 0, 0)

/* The page size is the kernel's (4, 16 or 64 KiB): AT_PAGESZ, found by
 * entry_arch_init() before any check (in .data: .bss is checked). */
static unsigned long entry_page = 4096;
#define PAGE entry_page
#define ENTRY_PAGESZ_OK(v) ((v) == entry_page && (v) >= 4096 && !((v) & ((v) - 1)))
#define ENTRY_PAGESZ_WHAT "AT_PAGESZ is not a power of two of at least 4096"

static void entry_arch_init(unsigned long *sp)
{
	unsigned long *p = sp + 1 + sp[0] + 1;

	while (*p)
		p++;
	for (p++; p[0] != AT_NULL; p += 2)
		if (p[0] == AT_PAGESZ)
			entry_page = p[1];
}

extern unsigned long entry_regs[R_COUNT];

/* No .bss but entry_regs is written by _start. */
#define ENTRY_ARCH_SAVED(p) ((void)(p), 0)

static int expect(int ok, const char *what, unsigned long value, int show);
void *memcpy(void *d, const void *s, size_t n);

static void check_registers(void)
{
	char what[48];
	unsigned long v = 0;

	expect((entry_regs[R_SP] & 15) == 0, "sp is not 16-byte aligned",
	       entry_regs[R_SP] & 15, 1);
	for (int r = R_X0; r <= R_X30; r++) {
		int n = 0;

		what[n++] = 'x';
		if (r >= 10)
			what[n++] = (char)('0' + r / 10);
		what[n++] = (char)('0' + r % 10);
		memcpy(what + n, " is not 0", 10);
		expect(entry_regs[r] == 0, what, entry_regs[r], 1);
	}
	expect(entry_regs[R_NZCV] == 0, "nzcv is not 0", entry_regs[R_NZCV], 1);
	expect(entry_regs[R_FPCR] == 0, "fpcr is not 0", entry_regs[R_FPCR], 1);
	expect(entry_regs[R_FPSR] == 0, "fpsr is not 0", entry_regs[R_FPSR], 1);
	expect(entry_regs[R_TPIDR] == 0, "tpidr_el0 is not 0", entry_regs[R_TPIDR], 1);
	for (int i = 0; i < 64; i++)
		v |= entry_regs[R_V0 + i];
	expect(v == 0, "a vector register v0-v31 is not 0", v, 1);
}

#endif
