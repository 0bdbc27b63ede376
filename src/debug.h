/* SPDX-License-Identifier: MIT */
/*
 * The debug trace (--debug=CATEGORIES, UEXEC_DEBUG), the handler chain
 * record, the --break announcement, and the names and quoting they and the
 * plan printer share (debug.c).  Everything that writes the trace writes
 * straight to a descriptor, with no stdio buffer and no malloc: it is safe
 * up to the last instruction before the final stage.
 */
#ifndef UEXEC_DEBUG_H
#define UEXEC_DEBUG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "uexec/uexec.h"
#include "uexec/binfmt.h"

struct uexec_binprm;
struct uexec_plan;

/* "uexec: WHAT: text\n" into BUF of SIZE (>= 2) bytes, cut to fit however
 * long WHAT is.  Returns the length, newline included. */
size_t uexec_vformat_line(char *buf, size_t size, const char *what, const char *fmt,
			  va_list ap);

const char *uexec_debug_category_name(unsigned int bit);
/* "a,b,c" (names, "all", "none") into a mask: 0, or -1 with the unknown
 * word in *bad (a static buffer). */
int uexec_debug_parse(const char *spec, unsigned int *mask, const char **bad);
void uexec_debug_help(FILE *out);

extern unsigned int uexec_debug_mask;
extern FILE *uexec_debug_file;	/* NULL: stderr */
void uexec_debug(unsigned int cat, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define UEXEC_DEBUG(cat, ...) \
	do { if (uexec_debug_mask & (cat)) uexec_debug((cat), __VA_ARGS__); } while (0)

/*
 * Exit points for bench/phases.sh, in a build configured with
 * --enable-bench-phases only (elsewhere the macro is nothing): a launch
 * whose environment has UEXEC_BENCH_PHASE=N (read once a process) exits
 * with status 0 at point N, so that a benchmark can tell, by difference,
 * what each phase costs.  The points, in order: 0 uexec_execve() entered;
 * 1 on uexec's own stack; 2 the system's rules loaded; 3 the file opened
 * and checked; 4 the plan made; 5 the plan mapped; 6 the final stage
 * prepared; 7 the commit done, the final stage next.
 */
#ifdef UEXEC_BENCH_PHASES
void uexec_bench_phase(int n);
#define UEXEC_BENCH_PHASE(n) uexec_bench_phase(n)
#else
#define UEXEC_BENCH_PHASE(n) ((void)0)
#endif

/* One answer of one handler (search_binary_handler), in order; recorded
 * always (the plan prints it), traced under "handlers". */
#define UEXEC_CHAIN_MAX 256
struct uexec_handler_step {
	const char *handler;	/* the handler's name (it lives as long as the process) */
	const char *file;	/* the file's name then, cut at 255 bytes; the chain's */
	int depth;		/* rewrites before this one */
	int ret;		/* 0, -ENOEXEC or -errno */
	int rewrote;		/* 0 answered by rewriting the exec (#!, misc) */
};
void uexec_trace_reset(void);
/* The chain's copy of the file BPRM tries handlers on now: taken once per
 * search (every handler of one search sees the same file), then passed to
 * each uexec_trace_handler() of that search. */
const char *uexec_trace_file(const struct uexec_binprm *bprm);
void uexec_trace_handler(const struct uexec_binprm *bprm, const char *file,
			 const struct uexec_binfmt *fmt, int ret);
const struct uexec_handler_step *uexec_trace_chain(size_t *n);

/* The plan's images, and the state handed to the program. */
void uexec_debug_images(const struct uexec_plan *plan);
void uexec_debug_handover(const struct uexec_plan *plan);

/* --break: where the announcement goes instead of stderr (closed after
 * it); used by --compare and --wait-gdb.  The announcement itself runs
 * after the point of no return: write(2) only. */
void uexec_set_break_report_fd(int fd);
void uexec_break_announce(const struct uexec_plan *plan);

/* Names. */
const char *uexec_auxv_name(unsigned long key);		/* NULL if unknown */
bool uexec_auxv_is_pointer(unsigned long key);
bool uexec_auxv_is_string(unsigned long key);	/* points to a stack string */
const char *uexec_phdr_type_name(unsigned long type, char *buf, size_t len);
const char *uexec_prot_string(int prot);
const char *uexec_pflags_string(unsigned int p_flags);
/* S quoted with C escapes into BUF (cut with "..."); async-signal-safe. */
const char *uexec_quote(const char *s, char *buf, size_t len);

#endif
