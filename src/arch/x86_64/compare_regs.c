/* SPDX-License-Identifier: MIT */
/*
 * --compare's register snapshot on x86_64 (the contract is in arch.h,
 * "--compare: register snapshot"): the general registers (NT_PRSTATUS,
 * struct user_regs_struct), the FPU/SSE state (NT_PRFPREG, the fxsave
 * image) and a digest of the XSAVE state beyond it (NT_X86_XSTATE) of a
 * tracee, read with PTRACE_GETREGSET, and their items.
 */
#include <cpuid.h>
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
/* The XSAVE components past SSE that --compare digests. */
static const struct { unsigned int comp; const char *name; } xcomps[] = {
	{ 2, "fpu.ymm-upper" }, { 5, "fpu.opmask" }, { 6, "fpu.zmm-upper" },
	{ 7, "fpu.zmm16-31" },
};
#define NXCOMPS (sizeof(xcomps) / sizeof(xcomps[0]))
#define XSTATE_AVX_BITS 0xe4ull		/* AVX, opmask, ZMM_Hi256, Hi16_ZMM */

struct x86_regs {
	struct user_regs_struct gp;
	struct user_fpregs_struct fp;
	int compat;
	int have_xstate;		/* NT_X86_XSTATE read */
	uint64_t xstate_bv;		/* its header's XSTATE_BV */
	uint64_t xhash[NXCOMPS];	/* FNV-1a of each component; 0: all zero */
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

/* FNV-1a of LEN bytes at P, or 0 when they are all zero (or absent). */
static uint64_t bytes_digest(const unsigned char *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	unsigned char any = 0;

	for (size_t i = 0; i < len; i++) {
		any |= p[i];
		h = (h ^ p[i]) * 0x100000001b3ull;
	}
	return any ? h | 1 : 0;
}

/*
 * The XSAVE state in the kernel's user (standard) format: XSTATE_BV, and
 * per component of xcomps[] that the buffer holds (offsets from CPUID leaf
 * 0xd, as the kernel lays them out) a digest.  Leaves have_xstate 0 where
 * the regset is not there (no XSAVE).
 */
static void read_xstate(pid_t pid, struct x86_regs *x)
{
	static _Alignas(64) unsigned char buf[16384];
	ssize_t n = getregset(pid, NT_X86_XSTATE, buf, sizeof(buf));
	unsigned int size, off, ecx, edx;

	if (n < 576)
		return;
	x->have_xstate = 1;
	memcpy(&x->xstate_bv, buf + 512, sizeof(x->xstate_bv));
	for (size_t i = 0; i < NXCOMPS; i++) {
		if (!__get_cpuid_count(0xd, xcomps[i].comp, &size, &off, &ecx, &edx) ||
		    !size || (size_t)off + size > (size_t)n)
			continue;
		x->xhash[i] = bytes_digest(buf + off, size);
	}
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
	read_xstate(pid, &x);
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

static void xhash_string(uint64_t h, char *out, size_t len)
{
	if (h)
		snprintf(out, len, "not zero (digest %016llx)", (unsigned long long)h);
	else
		snprintf(out, len, "zero");
}

/*
 * Which of AVX's and AVX-512's components are in use, and their registers:
 * AVX's upper halves, AVX-512's opmask, upper halves and zmm16-31.  Not
 * x87's and SSE's bits (their registers are compared above): the kernel
 * side is read at the exec's stop, from the initial image in memory, the
 * uexec side from the CPU's own save, and a CPU may call SSE in use once
 * MXCSR is loaded, as this one does under the kernel's exec too (the
 * program sees the same XGETBV either way: testprogs/entry).
 */
static void compare_xstate(struct uexec_cmp *c, const struct x86_regs *k,
			   const struct x86_regs *u)
{
	char kd[48], ud[48];

	uexec_cmp_hex(c, "fpu.xstate_bv.avx", k->xstate_bv & XSTATE_AVX_BITS,
		      u->xstate_bv & XSTATE_AVX_BITS);
	for (size_t i = 0; i < NXCOMPS; i++) {
		xhash_string(k->xhash[i], kd, sizeof(kd));
		xhash_string(u->xhash[i], ud, sizeof(ud));
		uexec_cmp_value(c, xcomps[i].name, kd, ud);
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
	if (kx.have_xstate && ux.have_xstate)
		compare_xstate(c, &kx, &ux);
}
