/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 part of the "entry" program (entry.c): its system calls, the
 * page size, and the register and vector-state checks against what the kernel's
 * start_thread() and ELF_PLAT_INIT leave.  The registers were saved by
 * entry_start.S in this directory.
 */
#ifndef ENTRY_ARCH_H
#define ENTRY_ARCH_H

#define PAGE 4096UL

enum { R_RAX, R_RBX, R_RCX, R_RDX, R_RSI, R_RDI, R_RBP, R_RSP, R_R8, R_R9,
       R_R10, R_R11, R_R12, R_R13, R_R14, R_R15, R_FLAGS, R_FS, R_FCW, R_MXCSR,
       R_COUNT };

static const char *const reg_names[] = {
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9",
	"r10", "r11", "r12", "r13", "r14", "r15",
};

extern unsigned long entry_regs[R_COUNT];
extern unsigned long entry_xstate[2];		/* XCR0, XINUSE */
extern unsigned char entry_xsave[4096];		/* XSAVE, components 0-7 */

/* The .bss _start writes besides entry_regs. */
#define ENTRY_ARCH_SAVED(p)                                                        \
	(((p) >= (uintptr_t)entry_xstate && (p) < (uintptr_t)(entry_xstate + 2)) || \
	 ((p) >= (uintptr_t)entry_xsave && (p) < (uintptr_t)(entry_xsave + sizeof(entry_xsave))))

static int expect(int ok, const char *what, unsigned long value, int show);
static size_t slen(const char *s);
static void puts_(const char *s);
static void putnum(unsigned long v, unsigned int base);
void *memcpy(void *d, const void *s, size_t n);

static long sys3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

/* open(PATH, O_RDONLY). */
#define ENTRY_OPEN(path) sys3(__NR_open, (long)(path), 0 /* O_RDONLY */, 0)

#define ENTRY_PAGESZ_OK(v) ((v) == PAGE)
#define ENTRY_PAGESZ_WHAT "AT_PAGESZ is not 4096"

static void entry_arch_init(unsigned long *sp)
{
	(void)sp;
}

static void cpuid2(unsigned int leaf, unsigned int sub, unsigned int *a, unsigned int *b)
{
	unsigned int c, d;

	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(c), "=d"(d) : "a"(leaf), "c"(sub));
}

/* Whether LEN bytes at P are all zero. */
static int zero_bytes(const unsigned char *p, unsigned int len)
{
	unsigned char v = 0;

	for (unsigned int i = 0; i < len; i++)
		v |= p[i];
	return v == 0;
}

/*
 * The vector state exec leaves (fpu_flush_thread(): the initial state of
 * every XSAVE component): XMM, the upper halves of YMM, the opmask
 * registers, the upper ZMM halves and ZMM16-31 all zero, as _start saved
 * them.  Which components are in use (XINUSE, bits 0-7) is printed, not
 * checked: a CPU may report a component in its initial state as in use;
 * what matters is that uexec's run says what the kernel's says.
 */
static void check_vectors(void)
{
	static const struct { unsigned int comp; const char *what; } comps[] = {
		{ 2, "the upper halves of ymm0-15 are not 0" },
		{ 5, "an opmask register k0-k7 is not 0" },
		{ 6, "the upper halves of zmm0-15 are not 0" },
		{ 7, "a register zmm16-31 is not 0" },
	};
	unsigned long xcr0 = entry_xstate[0];
	unsigned int size, off;

	if (!xcr0)
		return;		/* no XSAVE: the SSE check below is all */
	expect(zero_bytes(entry_xsave + 160, 256), "a register xmm0-15 is not 0", 0, 0);
	for (unsigned int i = 0; i < sizeof(comps) / sizeof(comps[0]); i++) {
		if (!(xcr0 & (1ul << comps[i].comp)))
			continue;
		cpuid2(0xd, comps[i].comp, &size, &off);
		if (off + size <= sizeof(entry_xsave))
			expect(zero_bytes(entry_xsave + off, size), comps[i].what, 0, 0);
	}
	puts_("xstate in use (XINUSE & 0xff): ");
	if (entry_xstate[1] == ~0ul)
		puts_("unknown");
	else
		putnum(entry_xstate[1] & 0xff, 16);
	puts_("\n");
}

/* rsp, rdx and every other general register as start_thread() leaves
 * them; rflags, fs base and the FPU/SSE control state after exec. */
static void check_registers(void)
{
	char what[48];

	expect((entry_regs[R_RSP] & 15) == 0, "rsp is not 16-byte aligned",
	       entry_regs[R_RSP] & 15, 1);
	for (int r = R_RAX; r <= R_R15; r++) {
		if (r == R_RSP)
			continue;
		memcpy(what, reg_names[r], slen(reg_names[r]) + 1);
		memcpy(what + slen(what), " is not 0", 10);
		expect(entry_regs[r] == 0, what, entry_regs[r], 1);
	}
	expect(!(entry_regs[R_FLAGS] & 0x400), "DF is set", entry_regs[R_FLAGS], 1);
	/* The kernel gives 0x202 (IF).  uexec leaves through a vDSO
	 * "syscall; xor...; ret" sequence that also sets ZF and PF (0x246): a
	 * documented difference (README), allowed by the psABI, which leaves
	 * rflags unspecified at entry but for DF.  Every other bit must be
	 * the kernel's. */
	expect((entry_regs[R_FLAGS] & ~0x44UL) == 0x202,
	       "rflags is not 0x202 (IF only; ZF, PF may be set)", entry_regs[R_FLAGS], 1);
	expect(entry_regs[R_FS] == 0, "fs base is not 0", entry_regs[R_FS], 1);
	expect((entry_regs[R_FCW] & 0xffff) == 0x37f, "x87 control word is not 0x37f",
	       entry_regs[R_FCW] & 0xffff, 1);
	expect((entry_regs[R_MXCSR] & 0xffffffff) == 0x1f80, "mxcsr is not 0x1f80",
	       entry_regs[R_MXCSR] & 0xffffffff, 1);
	check_vectors();
}

#endif
