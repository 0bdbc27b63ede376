/* SPDX-License-Identifier: MIT */
/*
 * The exec core (the kernel's fs/exec.c): opening the file, setting up the
 * binprm (alloc_bprm, bprm_stack_limits), search_binary_handler() and the
 * rewrite loop of exec_binprm().  The public entry points sit above this
 * in execve.c; the handlers below it only answer search_binary_handler().
 *
 * Everything in this file runs before the point of no return: a failure
 * returns -errno with the reason in bprm->err, and the caller's process is
 * as it was.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "binfmt_elf.h"
#include "binprm.h"
#include "debug.h"
#include "exec.h"
#include "execfd.h"
#include "formats.h"

/* Read by the rewriting handlers (script, binfmt_misc): see
 * path_inaccessible() below. */
bool uexec_binprm_path_inaccessible(const struct uexec_binprm *bprm)
{
	return bprm->path_inaccessible;
}

/* ------------------------------------------------------------------ */
/* Opening the file (the kernel's do_open_execat + may_open) */

static int check_exec_permission(int fd, const struct stat *st)
{
	struct statvfs vfs;

	if (syscall(SYS_faccessat2, fd, "", X_OK, AT_EACCESS | AT_EMPTY_PATH)) {
		if (errno != ENOSYS && errno != EINVAL)
			return -errno;
		/* Older kernels: the mode bits, as root sees them too. */
		if (geteuid() == 0 ? !(st->st_mode & 0111) :
		    st->st_uid == geteuid() ? !(st->st_mode & S_IXUSR) :
		    !(st->st_mode & (S_IXGRP | S_IXOTH)))
			return -EACCES;
	}
	if (fstatvfs(fd, &vfs) == 0 && (vfs.f_flag & ST_NOEXEC))
		return -EACCES;
	return 0;
}

/* The checks of may_open() for an exec, on a descriptor (exec.h). */
int uexec_check_exec_fd(int fd, char *err, size_t errlen)
{
	struct stat st;
	int ret;

	if (fstat(fd, &st)) {
		ret = -errno;
		snprintf(err, errlen, "%s", strerror(errno));
		return ret;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "Is a directory");
		return -EACCES;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		return -EACCES;
	}
	ret = check_exec_permission(fd, &st);
	if (ret)
		snprintf(err, errlen, "%s", strerror(-ret));
	return ret;
}

int uexec_open_exec(const char *path, int *fd_out, char *err, size_t errlen)
{
	int fd, ret;

	if (!path || !*path) {
		snprintf(err, errlen, "%s", strerror(ENOENT));
		return -ENOENT;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s", strerror(errno));
		return ret;
	}
	ret = uexec_check_exec_fd(fd, err, errlen);
	if (ret) {
		close(fd);
		return ret;
	}
	*fd_out = fd;
	return 0;
}

/* The kernel's prepare_binprm: the first BINPRM_BUF_SIZE bytes. */
static int prepare_binprm(struct uexec_binprm *bprm)
{
	ssize_t n;

	memset(bprm->buf, 0, sizeof(bprm->buf));
	n = pread(bprm->fd, bprm->buf, sizeof(bprm->buf), 0);
	if (n < 0)
		return uexec_binprm_error(bprm, errno, "read: %s",
					  strerror(errno));
	bprm->buf_len = (size_t)n;
	return 0;
}

int uexec_search_binary_handler(struct uexec_binprm *bprm)
{
	struct uexec_binfmt *fmt;
	char reason[sizeof(bprm->err)] = "";
	const char *file;
	int ret;

	ret = prepare_binprm(bprm);
	if (ret)
		return ret;
	bprm->err[0] = '\0';
	file = uexec_trace_file(bprm);
	for (fmt = uexec_binfmt_first(); fmt; fmt = fmt->next) {
		if (!fmt->enabled)
			continue;
		bprm->handler = fmt;
		ret = fmt->load_binary(bprm);
		uexec_trace_handler(bprm, file, fmt, ret);
		if (bprm->point_of_no_return || ret != -ENOEXEC)
			return ret;
		/* A handler that declines may say why: the first reason is
		 * kept for the final message. */
		if (!reason[0] && bprm->err[0])
			memcpy(reason, bprm->err, sizeof(reason));
		bprm->err[0] = '\0';
	}
	bprm->handler = NULL;
	if (reason[0])
		return uexec_binprm_error(bprm, ENOEXEC, "%s (%s)", strerror(ENOEXEC),
					  reason);
	return uexec_binprm_error(bprm, ENOEXEC, "%s", strerror(ENOEXEC));
}

/*
 * The kernel's exec_binprm: handlers that rewrite the exec (scripts,
 * binfmt_misc) set a next file and return 0; the loop then tries the list
 * again on it, at most UEXEC_MAX_REWRITE_DEPTH times.
 */
int uexec_exec_binprm(struct uexec_binprm *bprm)
{
	int ret;

	for (bprm->depth = 0;; bprm->depth++) {
		if (bprm->depth > UEXEC_MAX_REWRITE_DEPTH)
			return uexec_binprm_error(bprm, ELOOP, "%s",
						  strerror(ELOOP));
		ret = uexec_search_binary_handler(bprm);
		if (ret < 0)
			return ret;
		if (bprm->next_fd < 0)
			return 0;
		/*
		 * As the kernel's exec_binprm: with have_execfd, the file
		 * being left becomes the program's AT_EXECFD (kept open, not
		 * close-on-exec, at the lowest free number); a second one in
		 * the same exec is ENOEXEC.
		 */
		if (bprm->interp_flags & UEXEC_BINPRM_F_EXECFD) {
			if (bprm->execfd >= 0)
				return uexec_binprm_error(bprm, ENOEXEC, "%s: a second "
						"rewrite after one passing the program "
						"as AT_EXECFD (flag O or C)",
						bprm->next_name);
			bprm->execfd = fcntl(bprm->fd, F_DUPFD, 0);
			if (bprm->execfd < 0)
				return uexec_binprm_error(bprm, errno, "AT_EXECFD: %s",
							  strerror(errno));
		}
		/* The interpreter was opened by its path: as in the kernel,
		 * bprm->path_inaccessible stays what alloc_bprm made it. */
		close(bprm->fd);
		free(bprm->interp_name);
		bprm->fd = bprm->next_fd;
		bprm->interp_name = bprm->next_name;
		bprm->next_fd = -1;
		bprm->next_name = NULL;
	}
}

/*
 * The kernel's BINPRM_FLAGS_PATH_INACCESSIBLE, set once by alloc_bprm()
 * for an exec through a close-on-exec descriptor: the name the exec starts
 * with is "/dev/fd/N" and N is close-on-exec (or not open) in this
 * process, so an interpreter could not open the file after the exec.
 */
static bool path_inaccessible(const char *name)
{
	char *end;
	long fd;
	int fl;

	if (strncmp(name, "/dev/fd/", 8))
		return false;
	fd = strtol(name + 8, &end, 10);
	if (end == name + 8 || *end || fd < 0 || fd > 0x7fffffff)
		return false;
	fl = fcntl((int)fd, F_GETFD);
	return fl < 0 || (fl & FD_CLOEXEC);
}

/*
 * Set up a binprm for PATH or FD.  On failure returns -errno with the
 * reason in bprm->err; the binprm is then to be freed by the caller.
 */
int uexec_bprm_init(struct uexec_binprm *bprm, const char *path, int fd,
		    char *const argv[], char *const envp[])
{
	int ret;

	if (fd >= 0) {
		char name[64];

		snprintf(name, sizeof(name), "/dev/fd/%d", fd);
		bprm->fd_arg = fd;
		bprm->filename = strdup(path ? path : name);
		bprm->comm_from_dentry = !path;
		bprm->fd = uexec_exec_fd_dup(fd);	/* O_PATH reopened */
		if (bprm->fd < 0)
			return uexec_binprm_error(bprm, errno, "%s", strerror(errno));
		ret = uexec_check_exec_fd(bprm->fd, bprm->err, sizeof(bprm->err));
		if (ret)
			return ret;
	} else {
		bprm->filename = strdup(path);
		ret = uexec_open_exec(path, &bprm->fd, bprm->err, sizeof(bprm->err));
		if (ret)
			return ret;
	}
	bprm->interp_name = bprm->filename ? strdup(bprm->filename) : NULL;
	if (!bprm->interp_name)
		return uexec_binprm_error(bprm, ENOMEM, "out of memory");
	bprm->path_inaccessible = path_inaccessible(bprm->interp_name);
	if (uexec_strv_init(&bprm->argv, argv) || uexec_strv_init(&bprm->envp, envp))
		return uexec_binprm_error(bprm, ENOMEM, "out of memory");
	if (bprm->opts->argv0) {
		if (bprm->argv.n)
			uexec_binprm_remove_arg_zero(bprm);
		if (uexec_strv_push_front(&bprm->argv, bprm->opts->argv0))
			return uexec_binprm_error(bprm, ENOMEM, "out of memory");
	}
	/* As Linux >= 5.18: an empty argv gets "" as argv[0]. */
	if (bprm->argv.n == 0 && uexec_strv_push_front(&bprm->argv, ""))
		return uexec_binprm_error(bprm, ENOMEM, "out of memory");
	return 0;
}

/* The kernel's MAX_ARG_STRLEN and the floor of its argument space
 * (ARG_MAX), in pages of the ELF ABI's page size. */
#define MAX_ARG_STRLEN (32UL * UEXEC_PAGE_SIZE)
#define ARG_MAX_FLOOR (32UL * UEXEC_PAGE_SIZE)

/*
 * The kernel's bprm_stack_limits(), and copy_strings()' length check: the
 * strings may take 3/4 of _STK_LIM or a quarter of RLIMIT_STACK, at least
 * ARG_MAX, less the pointers of the caller's argc (at least 1) and envc;
 * each string at most MAX_ARG_STRLEN.  The strings are counted against
 * bprm->arg_limit when the stack is built (uexec_create_elf_tables), so
 * that a rewrite's strings count too, as in copy_string_kernel().
 */
int uexec_bprm_stack_limits(struct uexec_binprm *bprm, size_t rlim_stack)
{
	size_t limit = 6UL << 20, ptrs;

	bprm->rlim_stack = rlim_stack;
	for (size_t i = 0; i < bprm->argv.n; i++)
		if (strlen(bprm->argv.v[i]) + 1 > MAX_ARG_STRLEN)
			return uexec_binprm_error(bprm, E2BIG, "argument %zu: %s", i,
						  strerror(E2BIG));
	for (size_t i = 0; i < bprm->envp.n; i++)
		if (strlen(bprm->envp.v[i]) + 1 > MAX_ARG_STRLEN)
			return uexec_binprm_error(bprm, E2BIG, "environment string %zu: %s",
						  i, strerror(E2BIG));
	if (rlim_stack / 4 < limit)
		limit = rlim_stack / 4;
	if (limit < ARG_MAX_FLOOR)
		limit = ARG_MAX_FLOOR;
	ptrs = ((bprm->argv.n ? bprm->argv.n : 1) + bprm->envp.n) * sizeof(void *);
	if (limit <= ptrs)
		return uexec_binprm_error(bprm, E2BIG, "%s (%zu arguments and environment "
					  "strings)", strerror(E2BIG),
					  bprm->argv.n + bprm->envp.n);
	bprm->arg_limit = limit - ptrs;
	return 0;
}
