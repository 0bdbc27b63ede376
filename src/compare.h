/* SPDX-License-Identifier: MIT */
/*
 * uexec --compare (compare.c), which runs a program through the kernel's
 * execve and through uexec and prints every difference between the two
 * initial states, and --wait-gdb.
 */
#ifndef UEXEC_COMPARE_H
#define UEXEC_COMPARE_H

#include <stddef.h>
#include <stdint.h>
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
