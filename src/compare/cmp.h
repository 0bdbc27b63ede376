/* SPDX-License-Identifier: MIT */
/*
 * What the parts of uexec --compare share (src/compare/, internal):
 *  - report.c   the --break report ("key=value" lines) of the uexec side;
 *  - tracee.c   starting the two sides under ptrace, stopping them at the
 *               program's first instruction, killing them;
 *  - snapshot.c one side's initial state (registers, maps, stack, /proc);
 *  - items.c    the item API: the rules (known differences, ignored
 *               prefixes), the rows, addresses described relocated;
 *  - diff.c     the items of each area (auxv, stack, mm, maps, process);
 *  - compare.c  the CLI entry;
 * and the architecture's registers (src/arch/ARCH/compare_regs.c), which
 * emits its items through the item API below.
 */
#ifndef UEXEC_COMPARE_CMP_H
#define UEXEC_COMPARE_CMP_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "archdep.h"
#include "compare/compare.h"

/* ------------------------------------------------------------------ */
/* The architecture's register snapshot: defaults for an architecture
 * without one (uexec_compare_main refuses before they are used), else
 * its functions. */

#ifndef UEXEC_ARCH_PTRACE_REGS
struct uexec_arch_regs {
	char unused;
};
struct uexec_cmp;
static inline int uexec_arch_read_regs(pid_t pid, struct uexec_arch_regs *r)
{
	errno = ENOSYS;
	return -1;
}
static inline uintptr_t uexec_arch_regs_pc(const struct uexec_arch_regs *r) { return 0; }
static inline uintptr_t uexec_arch_regs_sp(const struct uexec_arch_regs *r) { return 0; }
static inline unsigned int uexec_arch_regs_word(const struct uexec_arch_regs *r)
{
	return sizeof(long);
}
static inline void uexec_arch_compare_regs(struct uexec_cmp *c,
					   const struct uexec_arch_regs *k,
					   const struct uexec_arch_regs *u)
{
}
static inline const struct uexec_cmp_known *uexec_arch_compare_known(size_t *n)
{
	*n = 0;
	return NULL;
}
#else
/* The architecture's compare_regs.c (arch.h defines struct uexec_arch_regs,
 * an opaque snapshot kept by value). */
struct uexec_cmp;
struct uexec_cmp_known;
/* PID's registers (a ptrace-stopped tracee of this process): 0, or -1
 * with errno. */
int uexec_arch_read_regs(pid_t pid, struct uexec_arch_regs *r);
/* The program counter and the stack pointer of a snapshot. */
uintptr_t uexec_arch_regs_pc(const struct uexec_arch_regs *r);
uintptr_t uexec_arch_regs_sp(const struct uexec_arch_regs *r);
/* The bytes of a stack word of the mode the snapshot runs in (4 for an
 * i386 program on x86_64). */
unsigned int uexec_arch_regs_word(const struct uexec_arch_regs *r);
/* The items "regs.*" and "fpu.*" of kernel side K and uexec side U, put
 * through the item API below. */
void uexec_arch_compare_regs(struct uexec_cmp *c, const struct uexec_arch_regs *k,
			     const struct uexec_arch_regs *u);
/* This architecture's known differences among those items (*N rows). */
const struct uexec_cmp_known *uexec_arch_compare_known(size_t *n);
#endif

/* ------------------------------------------------------------------ */
/* The --break report (report.c) */

struct uexec_cmp_report {
	char buf[8192];
	size_t len;
};

/* Read FD to its end (or a full buffer; on a non-blocking FD, what is
 * there) into R, NUL-terminated: 0, or -1 with errno. */
int uexec_cmp_read_report(int fd, struct uexec_cmp_report *r);
/* The value of KEY (up to the end of its line) copied to OUT; NULL if absent. */
const char *uexec_cmp_report_get(const struct uexec_cmp_report *r, const char *key,
				 char *out, size_t len);
/* The value of KEY as a number (strtoul base 0); 0 if absent. */
unsigned long uexec_cmp_report_ulong(const struct uexec_cmp_report *r, const char *key);

/* ------------------------------------------------------------------ */
/* One side's initial state (snapshot.c) */

#define UEXEC_CMP_MAX_AUXV 64
#define UEXEC_CMP_MAX_FDS 256

struct uexec_cmp_map {
	unsigned long lo, hi, off;
	char perms[8];
	char name[PATH_MAX];
	const char *cls;	/* exe, interp, stack, heap, [vdso], ..., other */
	unsigned long base;	/* the start of what it belongs to */
	char vmflags[128];	/* its VmFlags in /proc/PID/smaps ("" unknown) */
};

struct uexec_cmp_fd {
	int fd;
	char target[PATH_MAX];
	char flags[32];
};

/* About 1 MiB: always on the heap (uexec_cmp_side_new). */
struct uexec_cmp_side {
	const char *label;	/* "kernel" or "uexec" */
	pid_t pid;		/* the tracee, 0 when there is none */
	struct uexec_arch_regs regs;
	unsigned long pc, sp;	/* from regs */
	unsigned int word;	/* bytes of a stack word (8, or 4 for i386) */
	struct uexec_cmp_map *maps;
	size_t nmaps;
	unsigned char *stack;	/* bytes [sp, top) */
	unsigned long top, stack_lo;
	unsigned long argc, envc;
	unsigned long auxv[UEXEC_CMP_MAX_AUXV][2];
	size_t auxc;
	unsigned long exe_lo, exe_hi, interp_lo, interp_hi;
	unsigned long stat[53];	/* /proc/PID/stat, 1-based fields */
	char cmdline[8192];
	size_t cmdline_len;
	char comm[64], exe[PATH_MAX], personality[32], status[8192], limits[8192];
	struct uexec_cmp_fd fds[UEXEC_CMP_MAX_FDS];
	size_t nfds;
};

/* A zeroed side named LABEL (a string constant), or NULL. */
struct uexec_cmp_side *uexec_cmp_side_new(const char *label);
/* Kill S's tracee (uexec_cmp_kill) and free S; NULL is allowed. */
void uexec_cmp_side_free(struct uexec_cmp_side *s);
/* Read the state of S's stopped tracee, which runs PROG: 0, or -1. */
int uexec_cmp_snapshot(struct uexec_cmp_side *s, const char *prog);
/* The mapping holding ADDR, or NULL. */
const struct uexec_cmp_map *uexec_cmp_map_at(const struct uexec_cmp_side *s,
					     unsigned long addr);
/* The value of auxv entry KEY, 0 when absent. */
unsigned long uexec_cmp_aux(const struct uexec_cmp_side *s, unsigned long key);
/* The string at ADDR in the stack ("" when not in it). */
const char *uexec_cmp_stack_str(const struct uexec_cmp_side *s, unsigned long addr);
/* Stack word INDEX (of s->word bytes) from sp; 0 past the top. */
unsigned long uexec_cmp_stack_word(const struct uexec_cmp_side *s, size_t index);

/* ------------------------------------------------------------------ */
/* The two tracees (tracee.c); errors are printed on stderr */

/* The kernel side: S runs PATH with ARGV and ENVP, stopped at its exec's
 * SIGTRAP (the program's first instruction): 0, or -1. */
int uexec_cmp_start_traced(struct uexec_cmp_side *s, const char *path, char *const argv[],
			   char *const envp[]);
/* The uexec side: S runs uexec --break on PROG, stopped at the program's
 * first instruction (its registers read into s->regs): 0, or -1. */
int uexec_cmp_start_uexec(struct uexec_cmp_side *s, const char *prog, char *const argv[],
			  char *const envp[], const struct uexec_compare_opts *co);
/* Kill S's tracee and reap it. */
void uexec_cmp_kill(struct uexec_cmp_side *s);
/* "uexec: --compare: WHAT: strerror(errno)" on stderr. */
void uexec_cmp_perror(const char *what);

/* ------------------------------------------------------------------ */
/* The item API (items.c): every comparison goes through it */

enum uexec_cmp_how {
	UEXEC_CMP_BY_VALUE,	/* the shown values must be equal */
	UEXEC_CMP_BY_KIND,	/* only their kinds must be equal */
};

/* A known difference: items named ITEM or ITEM.* / ITEM[...]. */
struct uexec_cmp_known {
	const char *item;
	const char *why;
};

/* One comparison: the options, where the rows go, the two sides, the counts. */
struct uexec_cmp {
	const struct uexec_compare_opts *co;
	FILE *out;
	const struct uexec_cmp_side *k, *u;
	int same, differ, known, ignored;
};

/* One row: TAG ITEM KERNEL UEXEC (long values on lines of their own). */
void uexec_cmp_row(struct uexec_cmp *c, const char *tag, const char *item, const char *k,
		   const char *u);
/* Compare item NAME, shown as KD/UD, by HOW (the kinds KK/UK for
 * UEXEC_CMP_BY_KIND): counted and printed as same, DIFF, KNOWN or IGNORED. */
void uexec_cmp_item(struct uexec_cmp *c, const char *name, enum uexec_cmp_how how,
		    const char *kd, const char *ud, const char *kk, const char *uk);
/* By value: two strings; two numbers shown in hex. */
void uexec_cmp_value(struct uexec_cmp *c, const char *name, const char *kd, const char *ud);
void uexec_cmp_hex(struct uexec_cmp *c, const char *name, unsigned long k, unsigned long u);
/* An address of each side (KA of c->k, UA of c->u), compared relocated
 * ("exe+0x40") or by kind. */
void uexec_cmp_addr(struct uexec_cmp *c, const char *name, enum uexec_cmp_how how,
		    unsigned long ka, unsigned long ua);
/* ADDR as what it points into: "exe+0x40", "interp+0x1c70", "stack
 * top-0x1f8", "[vdso]+0x0", "0", "other+0x10 (NAME)", "unmapped 0x...";
 * KIND gets the part before the offset. */
void uexec_cmp_describe(const struct uexec_cmp_side *s, unsigned long addr, char *out,
			size_t len, char *kind, size_t klen);

/* ------------------------------------------------------------------ */
/* The areas (diff.c), in the order they are printed after the registers */

void uexec_cmp_auxv(struct uexec_cmp *c);
void uexec_cmp_stack(struct uexec_cmp *c);
void uexec_cmp_mm(struct uexec_cmp *c);
void uexec_cmp_maps(struct uexec_cmp *c);
void uexec_cmp_process(struct uexec_cmp *c);

#endif
