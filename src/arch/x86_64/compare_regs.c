/* SPDX-License-Identifier: MIT */
/*
 * --compare's register snapshot on x86_64 (the contract is in arch.h,
 * "--compare: register snapshot"): the general registers (NT_PRSTATUS,
 * struct user_regs_struct) and the FPU/SSE state (NT_PRFPREG, the fxsave
 * image) of a tracee, read with PTRACE_GETREGSET, and their items.
 */
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

#include "archdep.h"
#include "compare/cmp.h"

/*
 * What struct uexec_arch_regs holds (copied in and out with memcpy).  The
 * kernel gives a tracee's registers in the view of the mode it runs in
 * (task_user_regset_view: user_64bit_mode of its code segment): a tracee
 * in 32-bit mode (an i386 program, under the kernel or after uexec's
 * lretq) gets the i386 NT_PRSTATUS, stored here widened into the x86_64
 * struct with COMPAT set, and its FPU state from NT_PRXFPREG (the same
 * fxsave image; NT_PRFPREG is the legacy fsave one in that view).
 */
struct x86_regs {
	struct user_regs_struct gp;
	struct user_fpregs_struct fp;
	int compat;
};
_Static_assert(sizeof(struct x86_regs) <= sizeof(struct uexec_arch_regs),
	       "struct uexec_arch_regs is too small for the x86_64 registers");

/* NT_PRSTATUS of the i386 view (the kernel's struct user_regs_struct32). */
struct i386_regs {
	uint32_t ebx, ecx, edx, esi, edi, ebp, eax, ds, es, fs, gs, orig_eax, eip, cs,
		 eflags, esp, ss;
};

static void get(const struct uexec_arch_regs *r, struct x86_regs *x)
{
	memcpy(x, r->opaque, sizeof(*x));
}

/* One regset into BUF of LEN bytes; the bytes the kernel wrote, or -1. */
static ssize_t getregset(pid_t pid, int type, void *buf, size_t len)
{
	struct iovec iov = { buf, len };

	return ptrace(PTRACE_GETREGSET, pid, (void *)(long)type, &iov) ? -1 :
	       (ssize_t)iov.iov_len;
}

static void widen(const struct i386_regs *r, struct user_regs_struct *gp)
{
	gp->rbx = r->ebx, gp->rcx = r->ecx, gp->rdx = r->edx, gp->rsi = r->esi;
	gp->rdi = r->edi, gp->rbp = r->ebp, gp->rax = r->eax, gp->ds = r->ds;
	gp->es = r->es, gp->fs = r->fs, gp->gs = r->gs, gp->orig_rax = r->orig_eax;
	gp->rip = r->eip, gp->cs = r->cs, gp->eflags = r->eflags, gp->rsp = r->esp;
	gp->ss = r->ss;
}

int uexec_arch_read_regs(pid_t pid, struct uexec_arch_regs *r)
{
	union {
		struct user_regs_struct r64;
		struct i386_regs r32;
	} gp;
	struct x86_regs x;
	ssize_t n = getregset(pid, NT_PRSTATUS, &gp, sizeof(gp));

	memset(&x, 0, sizeof(x));
	if (n == (ssize_t)sizeof(gp.r32)) {
		x.compat = 1;
		widen(&gp.r32, &x.gp);
	} else if (n == (ssize_t)sizeof(gp.r64)) {
		x.gp = gp.r64;
	} else {
		if (n >= 0)
			errno = EIO;
		return -1;
	}
	if (getregset(pid, x.compat ? NT_PRXFPREG : NT_PRFPREG, &x.fp, sizeof(x.fp)) < 0)
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

unsigned int uexec_arch_regs_word(const struct uexec_arch_regs *r)
{
	struct x86_regs x;

	get(r, &x);
	return x.compat ? 4 : 8;
}

static const struct uexec_cmp_known known[] = {
	{ "regs.eflags.zf-pf", "ZF and PF are set by the vDSO exit gadget's register "
	  "clearing (the psABI leaves rflags unspecified but DF)" },
	{ "regs.orig_rax", "the system call the kernel side stopped in (execve); "
	  "not visible to the program" },
	{ "regs.orig_eax", "the system call the kernel side stopped in (execve); "
	  "not visible to the program" },
};

const struct uexec_cmp_known *uexec_arch_compare_known(size_t *n)
{
	*n = sizeof(known) / sizeof(known[0]);
	return known;
}

/* A general register by name and place in struct user_regs_struct. */
struct reg {
	const char *name;
	size_t off;
};
#define REG(field) { #field, offsetof(struct user_regs_struct, field) }
#define REG32(name, field) { #name, offsetof(struct user_regs_struct, field) }
/* What a program of each mode sees, but the pc, sp and eflags (rip, rsp,
 * eflags first); an i386 program has no r8-r15 and no fs_base/gs_base. */
static const struct reg regs64[] = {
	REG(rip), REG(rsp), REG(rax), REG(rbx), REG(rcx), REG(rdx), REG(rsi), REG(rdi),
	REG(rbp), REG(r8), REG(r9), REG(r10), REG(r11), REG(r12), REG(r13), REG(r14),
	REG(r15), REG(cs), REG(ss), REG(ds), REG(es), REG(fs),
	REG(gs), REG(fs_base), REG(gs_base), REG(orig_rax),
};
static const struct reg regs32[] = {
	REG32(eip, rip), REG32(esp, rsp), REG32(eax, rax), REG32(ebx, rbx),
	REG32(ecx, rcx), REG32(edx, rdx), REG32(esi, rsi), REG32(edi, rdi),
	REG32(ebp, rbp), REG(cs), REG(ss), REG(ds), REG(es), REG(fs), REG(gs),
	REG32(orig_eax, orig_rax),
};
/* ZF and PF: set by the vDSO exit gadget's xors after the last syscall. */
#define EFLAGS_ZF_PF 0x44UL
/* TF: the tracer's single-stepping of the uexec side, not uexec's. */
#define EFLAGS_TF 0x100UL

static unsigned long reg_at(const struct user_regs_struct *r, const struct reg *g)
{
	unsigned long v;

	memcpy(&v, (const char *)r + g->off, sizeof(v));
	return v;
}

/* The general registers of table REGS (N): the pc relocated, eflags
 * without TF (and ZF/PF apart), the sp by kind, the rest by value. */
static void compare_gp(struct uexec_cmp *c, const struct user_regs_struct *k,
		       const struct user_regs_struct *u, const struct reg *regs, size_t n)
{
	char name[48];

	snprintf(name, sizeof(name), "regs.%s", regs[0].name);
	uexec_cmp_addr(c, name, UEXEC_CMP_BY_VALUE, k->rip, u->rip);
	uexec_cmp_hex(c, "regs.eflags", k->eflags & ~EFLAGS_ZF_PF,
		      u->eflags & ~(EFLAGS_TF | EFLAGS_ZF_PF));
	uexec_cmp_hex(c, "regs.eflags.zf-pf", k->eflags & EFLAGS_ZF_PF,
		      u->eflags & EFLAGS_ZF_PF);
	snprintf(name, sizeof(name), "regs.%s", regs[1].name);
	uexec_cmp_addr(c, name, UEXEC_CMP_BY_KIND, k->rsp, u->rsp);
	for (size_t i = 2; i < n; i++) {
		snprintf(name, sizeof(name), "regs.%s", regs[i].name);
		uexec_cmp_hex(c, name, reg_at(k, &regs[i]), reg_at(u, &regs[i]));
	}
}

static void xmm_string(const struct user_fpregs_struct *fp, int i, char *out, size_t len)
{
	snprintf(out, len, "%08x%08x%08x%08x", fp->xmm_space[4 * i + 3],
		 fp->xmm_space[4 * i + 2], fp->xmm_space[4 * i + 1], fp->xmm_space[4 * i]);
}

/* The FPU/SSE control and status, and the NXMM registers of the mode. */
static void compare_fp(struct uexec_cmp *c, const struct user_fpregs_struct *k,
		       const struct user_fpregs_struct *u, int nxmm)
{
	char name[48], kd[40], ud[40];

	uexec_cmp_hex(c, "fpu.fcw", k->cwd, u->cwd);
	uexec_cmp_hex(c, "fpu.fsw", k->swd, u->swd);
	uexec_cmp_hex(c, "fpu.ftw", k->ftw, u->ftw);
	uexec_cmp_hex(c, "fpu.mxcsr", k->mxcsr, u->mxcsr);
	for (int i = 0; i < nxmm; i++) {
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
	if (kx.compat != ux.compat) {
		uexec_cmp_value(c, "regs.mode", kx.compat ? "i386" : "x86_64",
				ux.compat ? "i386" : "x86_64");
		return;
	}
	if (kx.compat)
		compare_gp(c, &kx.gp, &ux.gp, regs32, sizeof(regs32) / sizeof(regs32[0]));
	else
		compare_gp(c, &kx.gp, &ux.gp, regs64, sizeof(regs64) / sizeof(regs64[0]));
	compare_fp(c, &kx.fp, &ux.fp, kx.compat ? 8 : 16);
}
