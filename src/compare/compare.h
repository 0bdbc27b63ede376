/* SPDX-License-Identifier: MIT */
/*
 * The CLI's debugger entry points (src/compare/): uexec --compare, which
 * runs a program through the kernel's execve and through uexec and prints
 * every difference between the two initial states, and uexec --wait-gdb.
 * Built into the CLI only (libuexec-cli), not into the installed library.
 */
#ifndef UEXEC_COMPARE_COMPARE_H
#define UEXEC_COMPARE_COMPARE_H

#include <stdio.h>

#include "uexec/uexec.h"

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

#endif
