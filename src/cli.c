/* SPDX-License-Identifier: MIT */
/* Glue between the command line tool and the library's internals. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* The reason of a failed "uexec -", ERR its errno (set again); -1. */
static int stdin_error(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int stdin_error(int err, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	uexec_set_error("-: %s", why);
	errno = err;
	return -1;
}

static int too_large(void)
{
	return stdin_error(EFBIG, "the program on standard input is larger than %s, "
			   "the limit of uexec -", UEXEC_STDIN_MAX_TEXT);
}

/* Grow *BUF (capacity *CAP, LEN used) for the next read, never past
 * UEXEC_STDIN_MAX + 1 bytes (the one byte that shows the limit is passed).
 * Returns 0, or -1 with the reason set. */
static int stdin_grow(char **buf, size_t *cap, size_t len)
{
	size_t ncap = *cap * 2 > UEXEC_STDIN_MAX ? (size_t)UEXEC_STDIN_MAX + 1 : *cap * 2;
	char *nb;

	if (len < *cap)
		return 0;
	if (*cap > UEXEC_STDIN_MAX)
		return too_large();
	nb = realloc(*buf, ncap);
	if (!nb)
		return stdin_error(ENOMEM, "out of memory");
	*buf = nb;
	*cap = ncap;
	return 0;
}

/* "uexec -": the program is read from standard input into a sealed memfd,
 * at most UEXEC_STDIN_MAX bytes (else EFBIG, before anything is run). */
int uexec_cli_exec_stdin(char *const argv[], char *const envp[],
			 const struct uexec_options *opts)
{
	size_t len = 0, cap = 1 << 20;
	struct stat st;
	char *buf;
	ssize_t n;
	int ret, e;

	if (fstat(0, &st) == 0 && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_size > UEXEC_STDIN_MAX)
		return too_large();
	buf = malloc(cap);
	if (!buf)
		return stdin_error(ENOMEM, "out of memory");
	for (;;) {
		if (stdin_grow(&buf, &cap, len))
			goto free_buf;
		n = read(0, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	if (n < 0) {
		stdin_error(errno, "read: %s", strerror(errno));
		goto free_buf;
	}
	ret = uexec_execve_mem_opts(buf, len, "stdin", argv, envp, opts);
	e = errno;
	free(buf);
	errno = e;
	return ret;
free_buf:
	e = errno;
	free(buf);
	errno = e;
	return -1;
}
