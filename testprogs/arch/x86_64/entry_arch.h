/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 part of the "entry" program (entry.c): its system calls, the
 * page size, and the register checks against what the kernel's
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

static int expect(int ok, const char *what, unsigned long value, int show);
static size_t slen(const char *s);
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
}

#endif
