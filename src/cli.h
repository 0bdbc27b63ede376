/* SPDX-License-Identifier: MIT */
/* Internal calls the command line tool uses beside the public API. */
#ifndef UEXEC_CLI_H
#define UEXEC_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "uexec/uexec.h"

int uexec_cli_open_check(const char *path, int *fd, char *err, size_t errlen);
int uexec_cli_debug_parse(const char *spec, unsigned int *mask, const char **bad);
void uexec_cli_debug_help(FILE *out);
/* The largest program "uexec -" reads from standard input (documented in
 * uexec(1) and the README): past it the exec fails with EFBIG (exit 126). */
#define UEXEC_STDIN_MAX (1UL << 30)
#define UEXEC_STDIN_MAX_TEXT "1 GiB"
int uexec_cli_exec_stdin(char *const argv[], char *const envp[],
			 const struct uexec_options *opts);

#endif
