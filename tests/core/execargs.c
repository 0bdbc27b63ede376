/* SPDX-License-Identifier: MIT */
/*
 * execargs MODE PROGRAM [ARGS...]: exec PROGRAM the way MODE says, through
 * the kernel ("kernel-...") or through uexec ("uexec-..."), so that the
 * test can compare what PROGRAM prints:
 *   *-nullargv  execve()/uexec_execve() with a NULL argv (Linux >= 5.18
 *               runs the program with argv {""})
 *   *-opath     fexecve()/uexec_fexecve() on an O_PATH descriptor
 * A failed exec prints "FAIL: ..." and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
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
		else
			execve(argv[2], none, environ);
	} else if (strstr(mode, "-opath")) {
		fd = open(argv[2], O_PATH | O_CLOEXEC);
		if (fd < 0)
			return printf("FAIL: open: %s\n", strerror(errno)), 1;
		if (uexec)
			uexec_fexecve(fd, argv + 2, environ);
		else
			fexecve(fd, argv + 2, environ);
	} else {
		return 2;
	}
	printf("FAIL: %s: %s\n", mode, uexec ? uexec_strerror() : strerror(errno));
	return 1;
}
