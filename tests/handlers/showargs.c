/* SPDX-License-Identifier: MIT */
/*
 * showargs: the interpreter of the handler tests.  Prints what a program
 * run by a rewriting handler sees: argv, AT_FLAGS, and AT_EXECFD (with the
 * file behind it, its close-on-exec flag and its first bytes).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long execfd;

	printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	printf("AT_FLAGS=%lu\n", getauxval(AT_FLAGS));
	errno = 0;
	execfd = getauxval(AT_EXECFD);
	if (errno == ENOENT) {
		printf("AT_EXECFD=none\n");
	} else {
		char link[64], target[PATH_MAX] = "", head[9] = "";
		int fl = fcntl((int)execfd, F_GETFD);
		ssize_t n;

		printf("AT_EXECFD=%lu\n", execfd);
		snprintf(link, sizeof(link), "/proc/self/fd/%lu", execfd);
		n = readlink(link, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		printf("execfd.path=%s\n", target);
		printf("execfd.cloexec=%d\n", fl < 0 ? -1 : !!(fl & FD_CLOEXEC));
		n = pread((int)execfd, head, 8, 0);
		head[n > 0 ? n : 0] = '\0';
		for (int i = 0; i < 8; i++)
			if (head[i] && (head[i] < ' ' || head[i] > '~'))
				head[i] = '.';
		printf("execfd.head=%s\n", head);
	}
	return 0;
}
