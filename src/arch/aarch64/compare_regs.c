/* SPDX-License-Identifier: MIT */
/*
 * --compare's register snapshot on aarch64 (the contract is in arch.h,
 * "--compare: register snapshot"): the general registers (NT_PRSTATUS,
 * struct user_regs_struct: x0-x30, sp, pc, pstate), the FP/SIMD state
 * (NT_PRFPREG: v0-v31, fpsr, fpcr) and the thread pointer (NT_ARM_TLS,
 * tpidr_el0) of a tracee, read with PTRACE_GETREGSET, and their items.
 */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

#include "archdep.h"
#include "compare/cmp.h"

struct a64_regs {
	struct user_regs_struct gp;
	struct user_fpsimd_struct fp;
	uint64_t tpidr;
};
_Static_assert(sizeof(struct a64_regs) <= sizeof(struct uexec_arch_regs),
	       "struct uexec_arch_regs is too small for the aarch64 registers");

/* PSTATE.SS (bit 21): set in the saved pstate by the tracer's
 * single-stepping of the uexec side (user_enable_single_step), not uexec's. */
#define PSTATE_SS (1UL << 21)

static void get(const struct uexec_arch_regs *r, struct a64_regs *a)
{
	memcpy(a, r->opaque, sizeof(*a));
}

/* One regset of exactly LEN bytes into BUF: 0, or -1 with errno. */
static int getregset(pid_t pid, int type, void *buf, size_t len)
{
	struct iovec iov = { buf, len };

	if (ptrace(PTRACE_GETREGSET, pid, (void *)(long)type, &iov))
		return -1;
	if (iov.iov_len != len) {
		errno = EIO;
		return -1;
	}
	return 0;
}

int uexec_arch_read_regs(pid_t pid, struct uexec_arch_regs *r)
{
	struct a64_regs a;

	memset(&a, 0, sizeof(a));
	if (getregset(pid, NT_PRSTATUS, &a.gp, sizeof(a.gp)) ||
	    getregset(pid, NT_PRFPREG, &a.fp, sizeof(a.fp)) ||
	    getregset(pid, NT_ARM_TLS, &a.tpidr, sizeof(a.tpidr)))
		return -1;
	memset(r, 0, sizeof(*r));
	memcpy(r->opaque, &a, sizeof(a));
	return 0;
}

uintptr_t uexec_arch_regs_pc(const struct uexec_arch_regs *r)
{
	struct a64_regs a;

	get(r, &a);
	return a.gp.pc;
}

uintptr_t uexec_arch_regs_sp(const struct uexec_arch_regs *r)
{
	struct a64_regs a;

	get(r, &a);
	return a.gp.sp;
}

unsigned int uexec_arch_regs_word(const struct uexec_arch_regs *r)
{
	(void)r;
	return 8;
}

const struct uexec_cmp_known *uexec_arch_compare_known(size_t *n)
{
	*n = 0;
	return NULL;
}

/* The general registers: the pc relocated, the sp by kind, pstate without
 * SS, x0-x30 and tpidr_el0 by value. */
static void compare_gp(struct uexec_cmp *c, const struct a64_regs *k, const struct a64_regs *u)
{
	char name[32];

	uexec_cmp_addr(c, "regs.pc", UEXEC_CMP_BY_VALUE, k->gp.pc, u->gp.pc);
	uexec_cmp_addr(c, "regs.sp", UEXEC_CMP_BY_KIND, k->gp.sp, u->gp.sp);
	uexec_cmp_hex(c, "regs.pstate", k->gp.pstate & ~PSTATE_SS, u->gp.pstate & ~PSTATE_SS);
	for (int i = 0; i < 31; i++) {
		snprintf(name, sizeof(name), "regs.x%d", i);
		uexec_cmp_hex(c, name, k->gp.regs[i], u->gp.regs[i]);
	}
	uexec_cmp_hex(c, "regs.tpidr_el0", k->tpidr, u->tpidr);
}

static void vreg_string(const struct user_fpsimd_struct *fp, int i, char *out, size_t len)
{
	uint64_t half[2];

	memcpy(half, &fp->vregs[i], sizeof(half));
	snprintf(out, len, "%016llx%016llx", (unsigned long long)half[1],
		 (unsigned long long)half[0]);
}

static void compare_fp(struct uexec_cmp *c, const struct user_fpsimd_struct *k,
		       const struct user_fpsimd_struct *u)
{
	char name[32], kd[40], ud[40];

	uexec_cmp_hex(c, "fpu.fpsr", k->fpsr, u->fpsr);
	uexec_cmp_hex(c, "fpu.fpcr", k->fpcr, u->fpcr);
	for (int i = 0; i < 32; i++) {
		snprintf(name, sizeof(name), "fpu.v%d", i);
		vreg_string(k, i, kd, sizeof(kd));
		vreg_string(u, i, ud, sizeof(ud));
		uexec_cmp_value(c, name, kd, ud);
	}
}

void uexec_arch_compare_regs(struct uexec_cmp *c, const struct uexec_arch_regs *k,
			     const struct uexec_arch_regs *u)
{
	struct a64_regs ka, ua;

	get(k, &ka);
	get(u, &ua);
	compare_gp(c, &ka, &ua);
	compare_fp(c, &ka.fp, &ua.fp);
}
