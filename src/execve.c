/* SPDX-License-Identifier: MIT */
/*
 * The public entry points (include/uexec/uexec.h): uexec_execve() and its
 * kin, above the exec core (exec.c) and the handler list.  One exec runs
 * the kernel's way: refuse what a userspace exec cannot do, set up the
 * binprm, let the handlers make a plan, map it reversibly (mm.c), prepare
 * the final stage (final_prepare.c), then pass the point of no return
 * (commit.c).
 *
 * Contract: every failure before uexec_commit() returns -1 with errno and
 * a one-line reason (uexec_strerror()), having released all it took: the
 * caller's process is as it was.  On success nothing returns.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "binfmt_d.h"
#include "formats.h"
#include "binprm.h"
#include "commit.h"
#include "debug.h"
#include "escape.h"
#include "exec.h"
#include "execve.h"
#include "ownstack.h"
#include "final_prepare.h"
#include "fresh.h"
#include "layout.h"
#include "mm.h"
#include "plan_print.h"
#include "sharedmm.h"

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


/* The exec state beyond the binprm: mm.c's and the final stage's. */
struct exec_state {
	struct uexec_binprm bprm;
	struct uexec_mm mm;
	struct uexec_handover ho;
};

static void state_free(struct exec_state *x)
{
	uexec_layout_drop_maps_fd();
	uexec_final_release(&x->ho);
	uexec_mm_unmap(&x->bprm.plan, &x->mm);
	uexec_mm_free(&x->mm);
	uexec_binprm_free(&x->bprm);
}

/* What EMFILE's message adds: the kernel's exec opens the program without
 * a descriptor, uexec needs a few of its own while it loads. */
static const char *nofile_note(char *buf, size_t len)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return "";
	snprintf(buf, len, " (RLIMIT_NOFILE is %llu: uexec needs a few descriptors of its "
		 "own while it loads a program, the kernel's exec none)",
		 (unsigned long long)rl.rlim_cur);
	return buf;
}

/* STEP names where it failed, for the "errors" trace (doc/debugging.md). */
static int fail(struct exec_state *x, const char *name, int err, const char *step)
{
	struct uexec_binprm *bprm = &x->bprm;
	char note[160];

	uexec_set_error("%s: %s%s", name, bprm->err[0] ? bprm->err : strerror(err),
			err == EMFILE ? nofile_note(note, sizeof(note)) : "");
	UEXEC_DEBUG(UEXEC_DBG_ERRORS, "fail step %s errno %s (%d) message %s", step,
		    strerrorname_np(err) ? strerrorname_np(err) : "?", err, uexec_strerror());
	state_free(x);
	errno = err;
	return -1;
}

/*
 * Threads of an emulator that runs this process (qemu-user's RCU thread
 * shares the host process with the emulated program and is listed in
 * /proc/self/task; nothing inside can tell it from a thread of the
 * program's own): UEXEC_EMULATOR_THREADS=N says N of them are the
 * emulator's.  The test harness for another architecture sets it; unset,
 * every thread counts.
 */
static int emulator_threads(void)
{
	const char *v = getenv("UEXEC_EMULATOR_THREADS");
	char *end;
	long n;

	if (!v || !*v)
		return 0;
	n = strtol(v, &end, 10);
	return (*end || n < 0 || n > 64) ? 0 : (int)n;
}

/*
 * Is the caller alone on its mm, as a userspace exec needs?  The kernel
 * answers the common case in one call (uexec_mm_alone()); only when it
 * says no, or cannot be asked, are the threads counted and the sharers
 * looked for, to name them.  0, or 1 (threads) or 2 (shared) with the
 * reason in BPRM.  An emulator's own threads (UEXEC_EMULATOR_THREADS)
 * make the kernel say no: the count, less them, decides then.
 */
static int lone_process(struct uexec_binprm *bprm)
{
	int alone = uexec_mm_alone(), threads, own;

	if (alone == 1)
		return 0;
	threads = count_threads();
	own = threads - emulator_threads();
	if (own > 1) {
		uexec_binprm_error(bprm, EBUSY, "the calling process has %d threads; uexec "
				   "runs only in a single-threaded process", own);
		return 1;
	}
	if (alone == 0 && threads == 1)
		return uexec_mm_shared_unnamed(bprm->err, sizeof(bprm->err)) ? 2 : 0;
	return uexec_mm_shared(bprm->err, sizeof(bprm->err)) > 0 ? 2 : 0;
}

/* Map the plan and prepare the final stage; for a dry run, undo both and
 * print the plan.  -errno, or 0 (the commit follows unless DRY_RUN). */
static int map_and_prepare(struct exec_state *x)
{
	struct uexec_binprm *bprm = &x->bprm;
	const struct uexec_options *opts = bprm->opts;
	int ret;

	ret = uexec_mm_map(&bprm->plan, &x->mm, bprm->err, sizeof(bprm->err));
	UEXEC_BENCH_PHASE(5);
	if (!ret)
		ret = uexec_final_prepare(bprm, &x->mm, &x->ho, bprm->err, sizeof(bprm->err));
	if (ret || !(opts->flags & UEXEC_F_DRY_RUN))
		return ret;
	uexec_final_release(&x->ho);
	uexec_mm_unmap(&bprm->plan, &x->mm);
	uexec_debug_handover(&bprm->plan);
	uexec_plan_print(bprm, opts->plan_out ? opts->plan_out : stdout);
	return 0;
}

/* uexec_execve_opts()'s arguments, for its work on uexec's own stack. */
struct exec_args {
	const char *path;
	int fd;
	char *const *argv, *const *envp;
	const struct uexec_options *opts;
};

static int do_execve(void *p)
{
	const struct exec_args *a = p;
	const char *path = a->path;
	int fd = a->fd;
	char *const *argv = a->argv, *const *envp = a->envp;
	static struct exec_state x;	/* large; one exec at a time */
	struct uexec_binprm *bprm = &x.bprm;
	const struct uexec_options *opts = a->opts;
	char fd_name[32];	/* the name the kernel gives an exec through FD */
	const char *name = path;
	int ret;

	if (!name) {
		snprintf(fd_name, sizeof(fd_name), "/dev/fd/%d", fd);
		name = fd_name;
	}

	UEXEC_BENCH_PHASE(1);
	memset(&x.mm, 0, sizeof(x.mm));
	memset(&x.ho, 0, sizeof(x.ho));
	uexec_binprm_init(bprm, opts);
	uexec_trace_reset();
	if (bprm->opts->debug) {
		uexec_debug_mask = bprm->opts->debug;
		uexec_debug_file = bprm->opts->debug_out;
	}
	if (!path && fd < 0)	/* a NULL argv is an empty one, as execve's */
		return fail(&x, name, EINVAL, "args");
	uexec_builtin_formats_init();
	if (!(bprm->opts->flags & UEXEC_F_NO_SYSTEM_BINFMT))
		uexec_misc_load_system();
	UEXEC_BENCH_PHASE(2);
	/* A fresh process has one thread and its own mm (fresh.h). */
	if (uexec_fresh_process())
		UEXEC_DEBUG(UEXEC_DBG_EXEC, "shared-vm: threads and sharing not checked "
			    "(a fresh process)");
	else if ((ret = lone_process(bprm)))
		return fail(&x, name, EBUSY, ret == 1 ? "threads" : "shared-vm");
	ret = uexec_bprm_init(bprm, path, fd, argv ? argv : (char *const[]){ NULL },
			      envp ? envp : (char *const[]){ NULL });
	if (!ret)
		ret = uexec_bprm_stack_limits(bprm, uexec_layout_rlimit_stack());
	if (ret)
		return fail(&x, name, -ret, "open");
	UEXEC_BENCH_PHASE(3);
	ret = uexec_exec_binprm(bprm);
	if (ret)
		return fail(&x, name, -ret, "handlers");
	if (!bprm->plan.ready) {
		uexec_binprm_error(bprm, ENOEXEC, "handler %s accepted the file but "
				   "produced no load plan", bprm->handler ? bprm->handler->name : "?");
		return fail(&x, name, ENOEXEC, "plan");
	}
	UEXEC_BENCH_PHASE(4);
	uexec_debug_images(&bprm->plan);
	ret = map_and_prepare(&x);
	if (ret)
		return fail(&x, name, -ret, "map");
	if (bprm->opts->flags & UEXEC_F_DRY_RUN) {
		state_free(&x);
		return 0;
	}
	UEXEC_BENCH_PHASE(6);
	ret = uexec_commit_prepare(bprm);
	if (ret)
		return fail(&x, name, -ret, "commit");
	uexec_commit(bprm, &x.ho);
}

/* The exec runs on uexec's own stack (ownstack.h), so that the caller's
 * RLIMIT_STACK bounds the program's stack only, as the kernel's does. */
int uexec_execve_opts(const char *path, int fd, char *const argv[],
		      char *const envp[], const struct uexec_options *opts)
{
	struct exec_args a = { path, fd, argv, envp, opts };

	UEXEC_BENCH_PHASE(0);

	return uexec_on_own_stack(do_execve, &a);
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
	/* Without a name, as fexecve() of the memfd: "/dev/fd/N" is the
	 * file's name and comm the memfd's own, "memfd:uexec". */
	ret = uexec_execve_opts(name, fd, argv, envp, opts);
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
