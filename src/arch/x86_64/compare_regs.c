/* SPDX-License-Identifier: MIT */
/*
 * --compare's register snapshot on x86_64 (the contract is in arch.h,
 * "--compare: register snapshot"): the general registers (NT_PRSTATUS,
 * struct user_regs_struct) and the FPU/SSE state (NT_PRFPREG, the fxsave
 * image) of a tracee, read with PTRACE_GETREGSET, and their items.
 */
#include <elf.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

#include "arch.h"
#include "compare/cmp.h"

/* What struct uexec_arch_regs holds (copied in and out with memcpy). */
struct x86_regs {
	struct user_regs_struct gp;
	struct user_fpregs_struct fp;
};
_Static_assert(sizeof(struct x86_regs) <= sizeof(struct uexec_arch_regs),
	       "struct uexec_arch_regs is too small for the x86_64 registers");

static void get(const struct uexec_arch_regs *r, struct x86_regs *x)
{
	memcpy(x, r->opaque, sizeof(*x));
}

static int getregset(pid_t pid, int type, void *buf, size_t len)
{
	struct iovec iov = { buf, len };

	return ptrace(PTRACE_GETREGSET, pid, (void *)(long)type, &iov) ? -1 : 0;
}

int uexec_arch_read_regs(pid_t pid, struct uexec_arch_regs *r)
{
	struct x86_regs x;

	memset(&x, 0, sizeof(x));
	if (getregset(pid, NT_PRSTATUS, &x.gp, sizeof(x.gp)) ||
	    getregset(pid, NT_PRFPREG, &x.fp, sizeof(x.fp)))
		return -1;
	memset(r, 0, sizeof(*r));
	memcpy(r->opaque, &x, sizeof(x));
	return 0;
}

uintptr_t uexec_arch_regs_pc(const struct uexec_arch_regs *r)
{
	struct x86_regs x;

	get(r, &x);
	return x.gp.rip;
}

uintptr_t uexec_arch_regs_sp(const struct uexec_arch_regs *r)
{
	struct x86_regs x;

	get(r, &x);
	return x.gp.rsp;
}

/* The user code segment of the i386 compat ABI (__USER32_CS). */
#define USER32_CS 0x23

unsigned int uexec_arch_regs_word(const struct uexec_arch_regs *r)
{
	struct x86_regs x;

	get(r, &x);
	return x.gp.cs == USER32_CS ? 4 : 8;
}

static const struct uexec_cmp_known known[] = {
	{ "regs.eflags.zf-pf", "ZF and PF are set by the vDSO exit gadget's register "
	  "clearing (the psABI leaves rflags unspecified but DF)" },
	{ "regs.orig_rax", "the system call the kernel side stopped in (execve); "
	  "not visible to the program" },
};

const struct uexec_cmp_known *uexec_arch_compare_known(size_t *n)
{
	*n = sizeof(known) / sizeof(known[0]);
	return known;
}

#define REG(field) { #field, offsetof(struct user_regs_struct, field) }
/* ZF and PF: set by the vDSO exit gadget's xors after the last syscall. */
#define EFLAGS_ZF_PF 0x44UL
/* TF: the tracer's single-stepping of the uexec side, not uexec's. */
#define EFLAGS_TF 0x100UL

static void compare_gp(struct uexec_cmp *c, const struct user_regs_struct *k,
		       const struct user_regs_struct *u)
{
	static const struct { const char *name; size_t off; } regs[] = {
		REG(rax), REG(rbx), REG(rcx), REG(rdx), REG(rsi), REG(rdi), REG(rbp),
		REG(r8), REG(r9), REG(r10), REG(r11), REG(r12), REG(r13), REG(r14),
		REG(r15), REG(cs), REG(ss), REG(ds), REG(es), REG(fs),
		REG(gs), REG(fs_base), REG(gs_base), REG(orig_rax),
	};
	char name[48];

	uexec_cmp_addr(c, "regs.rip", UEXEC_CMP_BY_VALUE, k->rip, u->rip);
	uexec_cmp_hex(c, "regs.eflags", k->eflags & ~EFLAGS_ZF_PF,
		      u->eflags & ~(EFLAGS_TF | EFLAGS_ZF_PF));
	uexec_cmp_hex(c, "regs.eflags.zf-pf", k->eflags & EFLAGS_ZF_PF,
		      u->eflags & EFLAGS_ZF_PF);
	uexec_cmp_addr(c, "regs.rsp", UEXEC_CMP_BY_KIND, k->rsp, u->rsp);
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		unsigned long kv, uv;

		memcpy(&kv, (const char *)k + regs[i].off, sizeof(kv));
		memcpy(&uv, (const char *)u + regs[i].off, sizeof(uv));
		snprintf(name, sizeof(name), "regs.%s", regs[i].name);
		uexec_cmp_hex(c, name, kv, uv);
	}
}

static void xmm_string(const struct user_fpregs_struct *fp, int i, char *out, size_t len)
{
	snprintf(out, len, "%08x%08x%08x%08x", fp->xmm_space[4 * i + 3],
		 fp->xmm_space[4 * i + 2], fp->xmm_space[4 * i + 1], fp->xmm_space[4 * i]);
}

static void compare_fp(struct uexec_cmp *c, const struct user_fpregs_struct *k,
		       const struct user_fpregs_struct *u)
{
	char name[48], kd[40], ud[40];

	uexec_cmp_hex(c, "fpu.fcw", k->cwd, u->cwd);
	uexec_cmp_hex(c, "fpu.fsw", k->swd, u->swd);
	uexec_cmp_hex(c, "fpu.ftw", k->ftw, u->ftw);
	uexec_cmp_hex(c, "fpu.mxcsr", k->mxcsr, u->mxcsr);
	for (int i = 0; i < 16; i++) {
		snprintf(name, sizeof(name), "fpu.xmm%d", i);
		xmm_string(k, i, kd, sizeof(kd));
		xmm_string(u, i, ud, sizeof(ud));
		uexec_cmp_value(c, name, kd, ud);
	}
}

void uexec_arch_compare_regs(struct uexec_cmp *c, const struct uexec_arch_regs *k,
			     const struct uexec_arch_regs *u)
{
	struct x86_regs kx, ux;

	get(k, &kx);
	get(u, &ux);
	compare_gp(c, &kx.gp, &ux.gp);
	compare_fp(c, &kx.fp, &ux.fp);
}
