/* SPDX-License-Identifier: MIT */
/* Glue between the command line tool and the library's internals. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binprm.h"
#include "debug.h"
#include "exec.h"
#include "execve.h"
#include "cli.h"


int uexec_cli_open_check(const char *path, int *fd, char *err, size_t errlen)
{
	int ret = uexec_open_exec(path, fd, err, errlen);

	if (ret)
		errno = -ret;
	return ret;
}

int uexec_cli_debug_parse(const char *spec, unsigned int *mask, const char **bad)
{
	return uexec_debug_parse(spec, mask, bad);
}

void uexec_cli_debug_help(FILE *out)
{
	uexec_debug_help(out);
}

/* "uexec -": the program is read from standard input into a sealed memfd. */
int uexec_cli_exec_stdin(char *const argv[], char *const envp[],
			 const struct uexec_options *opts)
{
	size_t len = 0, cap = 1 << 20;
	char *buf = malloc(cap);
	ssize_t n;
	int ret, e;

	if (!buf) {
		uexec_set_error("-: out of memory");
		errno = ENOMEM;
		return -1;
	}
	while ((n = read(0, buf + len, cap - len)) > 0) {
		len += (size_t)n;
		if (len == cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				uexec_set_error("-: out of memory");
				errno = ENOMEM;
				return -1;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (n < 0) {
		e = errno;
		free(buf);
		uexec_set_error("-: read: %s", strerror(e));
		errno = e;
		return -1;
	}
	ret = uexec_execve_mem_opts(buf, len, "stdin", argv, envp, opts);
	e = errno;
	free(buf);
	errno = e;
	return ret;
}
