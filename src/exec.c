/* SPDX-License-Identifier: MIT */
/*
 * The exec itself (the kernel's fs/exec.c): the handler list, the binprm's
 * life, search_binary_handler() and the rewrite loop of exec_binprm(), and
 * the public uexec_execve*() calls.
 *
 * Everything in this file runs before the point of no return: a failure
 * frees what it took and returns -errno, and the caller's process is as it
 * was.  The point of no return is uexec_commit() (commit.c).
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

#include "binprm.h"
#include "binfmt_misc.h"
#include "escape.h"
#include "sharedmm.h"
#include "execfd.h"

static __thread char last_error[600];

void uexec_set_error(const char *fmt, ...)
{
	char raw[sizeof(last_error)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	uexec_escape_line(raw, strlen(raw), last_error, sizeof(last_error));
}

const char *uexec_strerror(void)
{
	return last_error;
}

int uexec_exit_status(int err)
{
	return (err == ENOENT || err == ENOTDIR) ? UEXEC_EXIT_NOT_FOUND
						 : UEXEC_EXIT_CANNOT_EXECUTE;
}

/* ------------------------------------------------------------------ */
/* The handler list (the kernel's formats list).  Not thread-safe: it is
 * set up by the single thread that is about to exec. */

static struct uexec_binfmt *formats;

void uexec_register_binfmt(struct uexec_binfmt *fmt)
{
	struct uexec_binfmt **pp = &formats;

	while (*pp && *pp != fmt)
		pp = &(*pp)->next;
	if (*pp)
		return;
	fmt->next = NULL;
	if (!fmt->origin)
		fmt->origin = "built-in";
	fmt->enabled = 1;
	*pp = fmt;
}

void uexec_insert_binfmt(struct uexec_binfmt *fmt)
{
	uexec_unregister_binfmt(fmt);
	if (!fmt->origin)
		fmt->origin = "built-in";
	fmt->enabled = 1;
	fmt->next = formats;
	formats = fmt;
}

void uexec_unregister_binfmt(struct uexec_binfmt *fmt)
{
	struct uexec_binfmt **pp;

	for (pp = &formats; *pp; pp = &(*pp)->next) {
		if (*pp == fmt) {
			*pp = fmt->next;
			fmt->next = NULL;
			return;
		}
	}
}

struct uexec_binfmt *uexec_binfmt_first(void)
{
	return formats;
}

void uexec_builtin_formats_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	/* The kernel's order: (binfmt_misc rules go in front), script, ELF. */
	uexec_register_binfmt(&uexec_script_format);
	uexec_register_binfmt(&uexec_elf_format);
}

/* ------------------------------------------------------------------ */
/* String vectors */

static int strv_reserve(struct uexec_strv *sv, size_t n)
{
	char **nv;
	size_t cap;

	if (n + 1 <= sv->cap)
		return 0;
	cap = sv->cap ? sv->cap * 2 : 8;
	while (cap < n + 1)
		cap *= 2;
	nv = realloc(sv->v, cap * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	sv->v = nv;
	sv->cap = cap;
	return 0;
}

int uexec_strv_init(struct uexec_strv *sv, char *const *src)
{
	size_t n = 0;

	memset(sv, 0, sizeof(*sv));
	while (src && src[n])
		n++;
	if (strv_reserve(sv, n))
		return -ENOMEM;
	for (sv->n = 0; sv->n < n; sv->n++) {
		sv->v[sv->n] = strdup(src[sv->n]);
		if (!sv->v[sv->n]) {
			uexec_strv_free(sv);
			return -ENOMEM;
		}
	}
	sv->v[sv->n] = NULL;
	return 0;
}

int uexec_strv_push_front(struct uexec_strv *sv, const char *s)
{
	char *copy = strdup(s);

	if (!copy || strv_reserve(sv, sv->n + 1)) {
		free(copy);
		return -ENOMEM;
	}
	memmove(sv->v + 1, sv->v, (sv->n + 1) * sizeof(*sv->v));
	sv->v[0] = copy;
	sv->n++;
	return 0;
}

void uexec_strv_free(struct uexec_strv *sv)
{
	for (size_t i = 0; sv->v && i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	memset(sv, 0, sizeof(*sv));
}

/* ------------------------------------------------------------------ */
/* binprm accessors (the plugin ABI) */

const unsigned char *uexec_binprm_buf(const struct uexec_binprm *bprm,
				       size_t *len)
{
	if (len)
		*len = bprm->buf_len;
	return bprm->buf;
}

const char *uexec_binprm_filename(const struct uexec_binprm *bprm)
{
	return bprm->interp_name;
}

int uexec_binprm_fd(const struct uexec_binprm *bprm)
{
	return bprm->fd;
}

long uexec_binprm_read(const struct uexec_binprm *bprm, long long offset,
		       void *buf, size_t len)
{
	ssize_t n;

	if (offset < 0)
		return -EINVAL;
	do
		n = pread(bprm->fd, buf, len, (off_t)offset);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : (long)n;
}

int uexec_binprm_load_elf(struct uexec_binprm *bprm)
{
	return uexec_elf_format.load_binary(bprm);
}

struct uexec_binfmt *uexec_binprm_handler(const struct uexec_binprm *bprm)
{
	return bprm->handler;
}

int uexec_binprm_argc(const struct uexec_binprm *bprm)
{
	return (int)bprm->argv.n;
}

const char *uexec_binprm_arg(const struct uexec_binprm *bprm, int i)
{
	if (i < 0 || (size_t)i >= bprm->argv.n)
		return NULL;
	return bprm->argv.v[i];
}

int uexec_binprm_remove_arg_zero(struct uexec_binprm *bprm)
{
	struct uexec_strv *sv = &bprm->argv;

	if (sv->n == 0)
		return -EINVAL;
	free(sv->v[0]);
	memmove(sv->v, sv->v + 1, sv->n * sizeof(*sv->v));
	sv->n--;
	return 0;
}

int uexec_binprm_push_arg(struct uexec_binprm *bprm, const char *arg)
{
	return uexec_strv_push_front(&bprm->argv, arg);
}

int uexec_binprm_set_interpreter_fd(struct uexec_binprm *bprm, int fd,
				    const char *name)
{
	char *copy = strdup(name);

	if (!copy)
		return -ENOMEM;
	if (bprm->next_fd >= 0)
		close(bprm->next_fd);
	free(bprm->next_name);
	bprm->next_fd = fd;
	bprm->next_name = copy;
	return 0;
}

int uexec_binprm_set_interpreter(struct uexec_binprm *bprm,
				 const char *filename)
{
	int fd, ret;

	ret = uexec_open_exec(filename, &fd, bprm->err, sizeof(bprm->err));
	if (ret)
		return ret;
	ret = uexec_binprm_set_interpreter_fd(bprm, fd, filename);
	if (ret)
		close(fd);
	return ret;
}

void uexec_binprm_set_preserve_argv0(struct uexec_binprm *bprm)
{
	bprm->interp_flags |= UEXEC_BINPRM_F_PRESERVE_ARGV0;
}

/* The kernel's have_execfd: exec_binprm() keeps the file this handler
 * rewrites away from as bprm->execfd. */
int uexec_binprm_set_execfd(struct uexec_binprm *bprm)
{
	bprm->interp_flags |= UEXEC_BINPRM_F_EXECFD;
	return 0;
}

int uexec_binprm_error(struct uexec_binprm *bprm, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(bprm->err, sizeof(bprm->err), fmt, ap);
	va_end(ap);
	return -err;
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

/*
 * Open PATH for execution.  On success *fd_out is an O_CLOEXEC descriptor
 * of a regular, executable file.  On failure returns -errno and writes the
 * reason (without the file name) to ERR.
 */
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
	int ret;

	ret = prepare_binprm(bprm);
	if (ret)
		return ret;
	bprm->err[0] = '\0';
	for (fmt = formats; fmt; fmt = fmt->next) {
		if (!fmt->enabled)
			continue;
		bprm->handler = fmt;
		ret = fmt->load_binary(bprm);
		uexec_trace_handler(bprm, fmt, ret);
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
static int exec_binprm(struct uexec_binprm *bprm)
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
		close(bprm->fd);
		free(bprm->interp_name);
		bprm->fd = bprm->next_fd;
		bprm->interp_name = bprm->next_name;
		bprm->next_fd = -1;
		bprm->next_name = NULL;
	}
}

void uexec_binprm_free(struct uexec_binprm *bprm)
{
	uexec_plan_free(&bprm->plan);
	if (bprm->fd >= 0)
		close(bprm->fd);
	if (bprm->next_fd >= 0)
		close(bprm->next_fd);
	if (bprm->execfd >= 0)
		close(bprm->execfd);
	bprm->fd = bprm->next_fd = bprm->execfd = -1;
	free(bprm->filename);
	free(bprm->interp_name);
	free(bprm->next_name);
	bprm->filename = bprm->interp_name = bprm->next_name = NULL;
	uexec_strv_free(&bprm->argv);
	uexec_strv_free(&bprm->envp);
}

/* The kernel's exec kills the other threads; uexec cannot, so it refuses. */
static int count_threads(void)
{
	char buf[4096];
	int fd, n = 0;
	long got;

	fd = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);

			if (d->d_name[0] != '.')
				n++;
			off += d->d_reclen;
		}
	}
	close(fd);
	return n;
}

/* STEP names where it failed, for the "errors" trace (doc/debugging.md). */
static int fail(struct uexec_binprm *bprm, const char *name, int err, const char *step)
{
	uexec_set_error("%s: %s", name, bprm->err[0] ? bprm->err : strerror(err));
	UEXEC_DEBUG(UEXEC_DBG_ERRORS, "fail step %s errno %s (%d) message %s", step,
		    strerrorname_np(err) ? strerrorname_np(err) : "?", err, uexec_strerror());
	uexec_binprm_free(bprm);
	errno = err;
	return -1;
}

/*
 * Set up a binprm for PATH or FD.  On failure returns -errno with the
 * reason in bprm->err; the binprm is then to be freed by the caller.
 */
static int bprm_init(struct uexec_binprm *bprm, const char *path, int fd,
		     char *const argv[], char *const envp[],
		     const struct uexec_options *opts)
{
	int ret;

	if (fd >= 0) {
		char name[64];

		snprintf(name, sizeof(name), "/dev/fd/%d", fd);
		bprm->filename = strdup(path ? path : name);
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
	if (uexec_strv_init(&bprm->argv, argv) || uexec_strv_init(&bprm->envp, envp))
		return uexec_binprm_error(bprm, ENOMEM, "out of memory");
	if (opts && opts->argv0) {
		if (bprm->argv.n)
			uexec_binprm_remove_arg_zero(bprm);
		if (uexec_strv_push_front(&bprm->argv, opts->argv0))
			return uexec_binprm_error(bprm, ENOMEM, "out of memory");
	}
	/* As Linux >= 5.18: an empty argv gets "" as argv[0]. */
	if (bprm->argv.n == 0 && uexec_strv_push_front(&bprm->argv, ""))
		return uexec_binprm_error(bprm, ENOMEM, "out of memory");
	return 0;
}

int uexec_execve_opts(const char *path, int fd, char *const argv[],
		      char *const envp[], const struct uexec_options *opts)
{
	static const struct uexec_options no_opts;
	struct uexec_binprm bprm;
	const char *name = path ? path : "(fd)";
	int ret, threads;

	memset(&bprm, 0, sizeof(bprm));
	bprm.fd = bprm.next_fd = bprm.execfd = -1;
	bprm.plan.exe.fd = bprm.plan.interp.fd = -1;
	bprm.opts = opts ? opts : &no_opts;
	uexec_trace_reset();
	if (bprm.opts->debug) {
		uexec_debug_mask = bprm.opts->debug;
		uexec_debug_file = bprm.opts->debug_out;
	}
	if (!path && fd < 0)	/* a NULL argv is an empty one, as execve's */
		return fail(&bprm, name, EINVAL, "args");
	uexec_builtin_formats_init();
	if (!(bprm.opts->flags & UEXEC_F_NO_SYSTEM_BINFMT))
		uexec_misc_load_system();

	threads = count_threads();
	if (threads > 1) {
		uexec_binprm_error(&bprm, EBUSY, "the calling process has %d threads; "
				   "uexec runs only in a single-threaded process", threads);
		return fail(&bprm, name, EBUSY, "threads");
	}
	if (uexec_mm_shared(bprm.err, sizeof(bprm.err)) > 0)
		return fail(&bprm, name, EBUSY, "shared-vm");
	ret = bprm_init(&bprm, path, fd, argv ? argv : (char *const[]){ NULL },
			envp ? envp : (char *const[]){ NULL },
			bprm.opts);
	if (ret)
		return fail(&bprm, name, -ret, "open");
	ret = exec_binprm(&bprm);
	if (ret)
		return fail(&bprm, name, -ret, "handlers");
	if (!bprm.plan.ready) {
		uexec_binprm_error(&bprm, ENOEXEC, "handler %s accepted the file but "
				   "produced no load plan", bprm.handler ? bprm.handler->name : "?");
		return fail(&bprm, name, ENOEXEC, "plan");
	}
	uexec_debug_images(&bprm);
	if (bprm.opts->flags & UEXEC_F_DRY_RUN) {
		ret = uexec_plan_map(&bprm.plan, bprm.err, sizeof(bprm.err));
		uexec_plan_unmap(&bprm.plan);
		if (ret)
			return fail(&bprm, name, -ret, "map");
		uexec_debug_handover(&bprm);
		uexec_plan_print(&bprm, bprm.opts->plan_out ? bprm.opts->plan_out : stdout);
		uexec_binprm_free(&bprm);
		return 0;
	}
	ret = uexec_plan_map(&bprm.plan, bprm.err, sizeof(bprm.err));
	if (!ret)
		ret = uexec_final_prepare(&bprm.plan, bprm.err, sizeof(bprm.err));
	if (ret) {
		uexec_plan_unmap(&bprm.plan);
		return fail(&bprm, name, -ret, "map");
	}
	uexec_commit(&bprm);
}

int uexec_execve(const char *path, char *const argv[], char *const envp[])
{
	return uexec_execve_opts(path, -1, argv, envp, NULL);
}

int uexec_fexecve(int fd, char *const argv[], char *const envp[])
{
	return uexec_execve_opts(NULL, fd, argv, envp, NULL);
}

/*
 * The program from memory: copied into a sealed memfd named NAME, so that
 * its mappings are file-backed and named as the kernel's would be.
 */
int uexec_execve_mem_opts(const void *buf, size_t len, const char *name,
			  char *const argv[], char *const envp[],
			  const struct uexec_options *opts)
{
	const char *base = name && strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	char path[64];
	size_t done = 0;
	int fd, ret, e;

	fd = memfd_create(base && *base ? base : "uexec", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0) {
		e = errno;
		uexec_set_error("%s: memfd_create: %s", name ? name : "(memory)", strerror(e));
		errno = e;
		return -1;
	}
	while (done < len) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);

		if (n <= 0) {
			e = n < 0 ? errno : EIO;
			close(fd);
			uexec_set_error("%s: memfd: %s", name ? name : "(memory)", strerror(e));
			errno = e;
			return -1;
		}
		done += (size_t)n;
	}
	fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
	snprintf(path, sizeof(path), "/dev/fd/%d", fd);
	ret = uexec_execve_opts(name ? name : path, fd, argv, envp, opts);
	e = errno;
	close(fd);
	errno = e;
	return ret;
}

int uexec_execve_mem(const void *buf, size_t len, const char *name,
		     char *const argv[], char *const envp[])
{
	return uexec_execve_mem_opts(buf, len, name, argv, envp, NULL);
}
