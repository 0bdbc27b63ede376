/* SPDX-License-Identifier: MIT */
/* uexec_fexecve()'s descriptor (execfd.h has the contract). */
#include <fcntl.h>
#include <stdio.h>
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
