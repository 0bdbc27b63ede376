/* SPDX-License-Identifier: MIT */
/* uexec_fexecve()'s descriptor (execfd.h has the contract). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "execfd.h"

int uexec_exec_fd_dup(int fd)
{
	char path[64];
	int flags = fcntl(fd, F_GETFL);
	int r;

	if (flags < 0 || !(flags & O_PATH))
		return fcntl(fd, F_DUPFD_CLOEXEC, 3);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	r = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (r < 0 || r >= 3)
		return r;
	/* Keep 0-2 free, as F_DUPFD_CLOEXEC, 3 does. */
	flags = fcntl(r, F_DUPFD_CLOEXEC, 3);
	close(r);
	return flags;
}

/* Whether PATH (LEN bytes, NUL-terminated) ends in d_path()'s " (deleted)"
 * and is not, as it stands, the name of the file ST describes. */
static int marked_deleted(const char *path, size_t len, const struct stat *st)
{
	static const char mark[] = " (deleted)";
	const size_t n = sizeof(mark) - 1;
	struct stat named;

	if (len < n || memcmp(path + len - n, mark, n))
		return 0;
	return stat(path, &named) || named.st_dev != st->st_dev || named.st_ino != st->st_ino;
}

const char *uexec_fd_dentry_name(int fd, char *buf, size_t len)
{
	char link[64], path[4096];
	const char *base;
	struct stat st;
	ssize_t n;
	size_t m;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0 || len == 0 || fstat(fd, &st))
		return NULL;
	path[n] = '\0';
	m = (size_t)n;
	if (marked_deleted(path, m, &st))
		path[m -= sizeof(" (deleted)") - 1] = '\0';
	base = strrchr(path, '/');
	base = base && base[1] ? base + 1 : path;
	m = strnlen(base, len - 1);
	memcpy(buf, base, m);
	buf[m] = '\0';
	return buf;
}
