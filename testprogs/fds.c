/* SPDX-License-Identifier: MIT */
/*
 * fds: list the open descriptors (0..4095, probed with fcntl so that the
 * listing opens none), with their kind and close-on-exec flag.  After an
 * exec no descriptor may be close-on-exec: those were closed.  The harness
 * compares the list with the one the program prints when the kernel runs
 * it from the same state.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "check.h"

static const char *kind(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		return "?";
	switch (st.st_mode & S_IFMT) {
	case S_IFREG: return "file";
	case S_IFDIR: return "dir";
	case S_IFCHR: return "chr";
	case S_IFIFO: return "fifo";
	case S_IFSOCK: return "socket";
	default: return "other";
	}
}

int main(void)
{
	int n = 0;

	for (int fd = 0; fd < 4096; fd++) {
		int fl = fcntl(fd, F_GETFD);

		if (fl < 0)
			continue;
		n++;
		printf("fd %d: %s%s\n", fd, kind(fd), fl & FD_CLOEXEC ? " cloexec" : "");
		CHECK(!(fl & FD_CLOEXEC), "fd %d is close-on-exec after exec", fd);
	}
	printf("%d open\n", n);
	return check_exit();
}
