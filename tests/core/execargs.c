/* SPDX-License-Identifier: MIT */
/*
 * execargs MODE PROGRAM [ARGS...]: exec PROGRAM the way MODE says, through
 * the kernel ("kernel-...") or through uexec ("uexec-..."), so that the
 * test can compare what PROGRAM prints:
 *   *-nullargv  execve()/uexec_execve() with a NULL argv (Linux >= 5.18
 *               runs the program with argv {""})
 *   *-opath     fexecve()/uexec_fexecve() on an O_PATH descriptor
 *   *-plain     execve()/uexec_execve() of PROGRAM with ARGS as its argv
 *               (argv[0] included), environ as its environment
 *   *-many N    the same with argv {PROGRAM, N times "x"}, built here, so
 *               that this caller's own stack holds none of them
 * A failed exec prints "FAIL: ..." and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "uexec/uexec.h"

extern char **environ;

int main(int argc, char **argv)
{
	char *const *volatile none = NULL;	/* (glibc declares argv nonnull) */
	const char *mode = argc > 2 ? argv[1] : "";
	int uexec = !strncmp(mode, "uexec-", 6), fd;

	if (argc < 3)
		return 2;
	if (strstr(mode, "-nullargv")) {
		if (uexec)
			uexec_execve(argv[2], none, environ);
		else	/* the system call itself: glibc's execve() is declared nonnull */
			syscall(SYS_execve, argv[2], none, environ);
	} else if (strstr(mode, "-opath")) {
		fd = open(argv[2], O_PATH | O_CLOEXEC);
		if (fd < 0)
			return printf("FAIL: open: %s\n", strerror(errno)), 1;
		if (uexec)
			uexec_fexecve(fd, argv + 2, environ);
		else
			fexecve(fd, argv + 2, environ);
	} else if (strstr(mode, "-many")) {
		long n = argc > 3 ? strtol(argv[3], NULL, 10) : 0;
		char **v = n >= 0 ? calloc((size_t)n + 2, sizeof(*v)) : NULL;

		if (!v)
			return 2;
		v[0] = argv[2];
		for (long i = 1; i <= n; i++)
			v[i] = "x";
		if (uexec)
			uexec_execve(argv[2], v, environ);
		else
			execve(argv[2], v, environ);
	} else if (strstr(mode, "-plain")) {
		if (uexec)
			uexec_execve(argv[2], argv + 3, environ);
		else
			execve(argv[2], argv + 3, environ);
	} else {
		return 2;
	}
	printf("FAIL: %s: %s\n", mode, uexec ? uexec_strerror() : strerror(errno));
	return 1;
}
