/* SPDX-License-Identifier: MIT */
/*
 * execargs MODE PROGRAM [ARGS...]: exec PROGRAM the way MODE says, through
 * the kernel ("kernel-...") or through uexec ("uexec-..."), so that the
 * test can compare what PROGRAM prints:
 *   *-nullargv  execve()/uexec_execve() with a NULL argv (Linux >= 5.18
 *               runs the program with argv {""})
 *   *-opath     fexecve()/uexec_fexecve() on an O_PATH descriptor
 *   *-fd        fexecve()/uexec_fexecve() on a descriptor open for reading,
 *               not close-on-exec (so that a script's interpreter can
 *               open /dev/fd/N)
 *   *-fdcopy NAME UNLINK PROGRAM [ARGS...]
 *               the same on a copy of PROGRAM made as NAME, unlinked
 *               first when UNLINK is 1
 *   *-memfd     fexecve() of a memfd named "uexec" holding PROGRAM, or
 *               uexec_execve_mem() of it without a name
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
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "uexec/uexec.h"

extern char **environ;

/* PROGRAM (FROM) copied to TO, executable. */
static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n = 0;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	while (out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			n = -1;
	close(in);
	if (out < 0 || close(out) || n < 0)
		return -1;
	return 0;
}

static int run_fd(int uexec, int fd, char **argv)
{
	if (uexec)
		uexec_fexecve(fd, argv, environ);
	else
		fexecve(fd, argv, environ);
	printf("FAIL: fexecve: %s\n", uexec ? uexec_strerror() : strerror(errno));
	return 1;
}

/* ARGV[0] read whole into memory, then run from there. */
static int run_memfd(int uexec, char **argv)
{
	static char buf[64 << 20];
	int in = open(argv[0], O_RDONLY | O_CLOEXEC), fd;
	size_t len = 0;
	ssize_t n;

	if (in < 0)
		return printf("FAIL: open: %s\n", strerror(errno)), 1;
	while (len < sizeof(buf) && (n = read(in, buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)n;
	close(in);
	if (uexec) {
		uexec_execve_mem(buf, len, NULL, argv, environ);
		printf("FAIL: uexec_execve_mem: %s\n", uexec_strerror());
		return 1;
	}
	fd = memfd_create("uexec", MFD_CLOEXEC);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		return printf("FAIL: memfd: %s\n", strerror(errno)), 1;
	return run_fd(0, fd, argv);
}

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
	} else if (strstr(mode, "-fdcopy")) {
		if (argc < 5 || copy_file(argv[4], argv[2]))
			return printf("FAIL: copy: %s\n", strerror(errno)), 1;
		fd = open(argv[2], O_RDONLY);
		if (fd < 0 || (!strcmp(argv[3], "1") && unlink(argv[2])))
			return printf("FAIL: open: %s\n", strerror(errno)), 1;
		return run_fd(uexec, fd, argv + 4);
	} else if (strstr(mode, "-fd")) {
		fd = open(argv[2], O_RDONLY);
		if (fd < 0)
			return printf("FAIL: open: %s\n", strerror(errno)), 1;
		return run_fd(uexec, fd, argv + 2);
	} else if (strstr(mode, "-memfd")) {
		return run_memfd(uexec, argv + 2);
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
