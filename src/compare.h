/* SPDX-License-Identifier: MIT */
/*
 * The debugging tools: the handler chain record, the register state at
 * entry, the --break report, and uexec --compare (compare.c), which runs
 * a program through the kernel's execve and through uexec and prints
 * every difference between the two initial states.
 */
#ifndef UEXEC_COMPARE_H
#define UEXEC_COMPARE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "uexec/uexec.h"

/* One answer of one handler (search_binary_handler), in order. */
#define UEXEC_CHAIN_MAX 256
struct uexec_handler_step {
	char handler[32];
	char file[256];
	int depth;		/* rewrites before this one */
	int ret;		/* 0, -ENOEXEC or -errno */
	int rewrote;		/* 0 answered by rewriting the exec (#!, misc) */
};
const struct uexec_handler_step *uexec_trace_chain(size_t *n);

/* A register as the program finds it at its first instruction. */
struct uexec_reg {
	const char *name;
	unsigned long value;
};
#define UEXEC_MAX_REGS 32
/* The registers entry.S hands over (its contract), for ENTRY and SP;
 * returns how many were written to OUT (at most MAX). */
size_t uexec_entry_registers(uintptr_t entry, uintptr_t sp, struct uexec_reg *out,
			     size_t max);

/* --break: where the announcement goes instead of stderr (closed after
 * it); used by --compare and --wait-gdb. */
void uexec_set_break_report_fd(int fd);

/* The CLI's --compare: PROG (resolved path) with ARGV and ENVP.  IGNORE
 * is a comma-separated list of item prefixes to allow (or NULL).  Returns
 * the exit status: 0 same, 1 different, 2 could not compare. */
struct uexec_compare_opts {
	const char *ignore;
	const char *argv0;	/* -a: both sides */
	const char *interp;	/* --interp: the uexec side only */
	int verbose;		/* print the equal items too */
	FILE *out;
};
int uexec_compare_main(const char *prog, char *const argv[], char *const envp[],
		       const struct uexec_compare_opts *co);

/* The CLI's --wait-gdb: run PROG under --break in a child and replace
 * this process by gdb attached to it.  Returns only on failure (status). */
int uexec_wait_gdb_main(const char *prog, char *const argv[], char *const envp[],
			struct uexec_options *opts);

/* --json failures: one JSON document on OUT for the error ERR/MSG. */
void uexec_plan_print_json_error(FILE *out, const char *msg, int err, int status);

#endif
