/* SPDX-License-Identifier: MIT */
/*
 * The point of no return (commit.h): the kernel's begin_new_exec and what
 * follows it in load_elf_binary.  From here on the caller's state is given
 * up: signal handlers, descriptors, glibc's per-thread kernel
 * registrations; then the final stage takes over.  Nothing here returns;
 * what fails is either harmless and said under --debug=exec, or fatal: one
 * line on stderr, _exit(127).
 *
 * Nothing here allocates or maps memory: the final stage's lists were made
 * from the address space as it is now (final_prepare.c).  The caller's
 * stdio buffers are not flushed, as execve(2) discards them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "archdep.h"
#include "commit.h"
#include "creds.h"
#include "debug.h"
#include "execfd.h"
#include "fresh.h"
#include "ownstack.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_OFF 0
#endif

#ifndef RSEQ_FLAG_UNREGISTER
#define RSEQ_FLAG_UNREGISTER 1
#endif

/* glibc >= 2.35 says where it registered the thread's rseq area. */
extern const ptrdiff_t __rseq_offset __attribute__((weak));
extern const unsigned int __rseq_size __attribute__((weak));

/* The kernel's struct sigaction for rt_sigaction(2). */
struct ksigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

__attribute__((noreturn, format(printf, 2, 3)))
static void die(const struct uexec_binprm *bprm, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = uexec_vformat_line(line, sizeof(line), bprm->filename, fmt, ap);
	va_end(ap);
	(void)!write(2, line, n);
	_exit(127);
}

/* Would the action SA discard SIG's pending instances (do_sigaction():
 * SIG_IGN, or SIG_DFL where the default is to ignore)? */
static bool discards_pending(int sig, const struct ksigaction *sa)
{
	return sa->handler == SIG_IGN || (sa->handler == SIG_DFL &&
		(sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH));
}

/*
 * Set SIG's action to SA, keeping its pending instances, which the
 * kernel's flush_signal_handlers() leaves where rt_sigaction() would
 * discard them: each is taken off first (a pending signal is a blocked
 * one) and queued again, its siginfo as it was (to the process).
 */
static void set_action_keeping_pending(int sig, const struct ksigaction *sa)
{
	const struct timespec now = { 0, 0 };
	siginfo_t info[2];
	sigset_t one;
	int n = 0;

	sigemptyset(&one);
	sigaddset(&one, sig);
	while (n < 2 && sigtimedwait(&one, &info[n], &now) == sig)
		n++;
	syscall(SYS_rt_sigaction, sig, sa, NULL, 8);
	for (int i = 0; i < n; i++)
		syscall(SYS_rt_sigqueueinfo, getpid(), sig, &info[i]);
	UEXEC_DEBUG(UEXEC_DBG_EXEC, "signal %d: %d pending kept", sig, n);
}

/* flush_signal_handlers(): caught signals go back to SIG_DFL, ignored ones
 * stay ignored; flags and masks are cleared.  The blocked mask and pending
 * signals are kept, as across execve. */
static void flush_signal_handlers(void)
{
	sigset_t pending;
	int reset = 0, known = 0;
	bool keep;

	for (int sig = 1; sig < 65; sig++) {
		struct ksigaction old, sa;

		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (syscall(SYS_rt_sigaction, sig, NULL, &old, 8))
			continue;
		memset(&sa, 0, sizeof(sa));
		sa.handler = old.handler == SIG_IGN ? SIG_IGN : SIG_DFL;
		if (old.handler == sa.handler && !old.flags && !old.mask)
			continue;
		keep = false;
		if (discards_pending(sig, &sa)) {	/* the pending set read once, if at all */
			if (!known++ && sigpending(&pending))
				sigemptyset(&pending);
			keep = sigismember(&pending, sig) == 1;
		}
		if (keep)
			set_action_keeping_pending(sig, &sa);
		else
			syscall(SYS_rt_sigaction, sig, &sa, NULL, 8);
		reset++;
	}
	UEXEC_DEBUG(UEXEC_DBG_EXEC, "signals: %d dispositions reset", reset);
}

/*
 * exit_itimers(): the process's POSIX timers (timer_create(), CPU-clock
 * ones too) are deleted by the exec, and would otherwise keep signalling
 * the new program.  They are listed in /proc/self/timers ("ID: N" lines;
 * CONFIG_CHECKPOINT_RESTORE), collected a buffer at a time and deleted, as
 * often as the file still lists some.  Interval timers (setitimer(),
 * alarm()) survive an exec and are left.  Without the file nothing is done:
 * said under --debug=exec.
 */
static int timer_id(const char *s)
{
	int id = 0;

	while (*s >= '0' && *s <= '9' && id < (1 << 27))
		id = id * 10 + (*s++ - '0');
	return id;
}

static void exit_itimers(void)
{
	int ids[128], deleted = 0;

	for (int round = 0; round < 64; round++) {
		char buf[4096];
		size_t n = 0, len = 0;
		int fd = open("/proc/self/timers", O_RDONLY | O_CLOEXEC), ok;
		ssize_t got;

		if (fd < 0) {
			UEXEC_DEBUG(UEXEC_DBG_EXEC, "posix timers: /proc/self/timers: %s: "
				    "not deleted", strerror(errno));
			return;
		}
		while (n < sizeof(ids) / sizeof(ids[0]) &&
		       (got = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0) {
			char *line = buf, *nl;

			len += (size_t)got;
			buf[len] = 0;
			while (n < sizeof(ids) / sizeof(ids[0]) && (nl = strchr(line, '\n'))) {
				if (!strncmp(line, "ID: ", 4))
					ids[n++] = timer_id(line + 4);
				line = nl + 1;
			}
			len -= (size_t)(line - buf);	/* a partial line is kept */
			memmove(buf, line, len);
			if (len == sizeof(buf) - 1)
				len = 0;	/* no line is that long */
		}
		close(fd);
		ok = 0;
		while (n--)
			ok += !syscall(SYS_timer_delete, ids[n]);
		deleted += ok;
		if (!ok)	/* none listed, or none that would go */
			break;
	}
	if (deleted)
		UEXEC_DEBUG(UEXEC_DBG_EXEC, "posix timers: %d deleted", deleted);
}

/*
 * begin_new_exec()'s dumpability of the new mm: SUID_DUMP_USER (1) where
 * the ids after the exec have euid == uid and egid == gid, else
 * fs.suid_dumpable.  uexec keeps the caller's mm, and with it what a
 * PR_SET_DUMPABLE of the caller's set.  Where the final stage changes the
 * ids, commit_creds() sets suid_dumpable itself; fs.suid_dumpable 2 cannot
 * be set by prctl() and stays as it is.
 */
static void set_dumpable(const struct uexec_creds *c)
{
	int want = 1, now = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);

	if (c->setid)
		return;
	if (c->euid != c->uid || c->egid != c->gid) {
		int fd = open("/proc/sys/fs/suid_dumpable", O_RDONLY | O_CLOEXEC);
		char v = '0';

		if (fd >= 0) {
			if (read(fd, &v, 1) != 1)
				v = '0';
			close(fd);
		}
		want = v - '0';
	}
	if (now != want && (want == 0 || want == 1) && !prctl(PR_SET_DUMPABLE, want, 0, 0, 0))
		UEXEC_DEBUG(UEXEC_DBG_EXEC, "dumpable: %d (was %d)", want, now);
}

/* __set_task_comm()'s truncation of NAME into COMM (LEN bytes); no printf
 * here: a fork's child pays a page fault for each page of its code. */
static void set_comm(char *comm, size_t len, const char *name)
{
	size_t n = strnlen(name, len - 1);

	memcpy(comm, name, n);
	comm[n] = '\0';
}

static void disable_altstack(void)
{
	stack_t ss = { .ss_flags = SS_DISABLE };

	if (sigaltstack(&ss, NULL))
		UEXEC_DEBUG(UEXEC_DBG_EXEC, "sigaltstack: %s", strerror(errno));
}

/*
 * The system calls that the point of no return cannot do without, made
 * where they do nothing (munmap and mremap of length 0: EINVAL; setresuid
 * and setresgid of -1: no change), so that a seccomp filter that denies one
 * is seen now, not after it: EPERM, EACCES or ENOSYS, which none of them
 * gives for these arguments (an emulator may answer another error: that
 * is no refusal).  0, or -errno with the reason in BPRM.
 */
static int probe_final_calls(struct uexec_binprm *bprm)
{
	static const struct {
		const char *name;
		long nr, a, b, c;
	} calls[] = {
		{ "munmap", SYS_munmap, 0, 0, 0 },
		{ "mremap", SYS_mremap, 0, 0, 0 },
		{ "setresgid", SYS_setresgid, -1, -1, -1 },
		{ "setresuid", SYS_setresuid, -1, -1, -1 },
	};

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		long r = syscall(calls[i].nr, calls[i].a, calls[i].b, calls[i].c, 0L);
		int e = errno;

		if (r != -1 || (e != EPERM && e != EACCES && e != ENOSYS))
			continue;
		return uexec_binprm_error(bprm, e, "the kernel refuses %s (%s; a seccomp "
					  "filter?), which uexec needs after its point of no "
					  "return", calls[i].name, strerror(e));
	}
	return 0;
}

/*
 * exec_task_namespaces(): after unshare(CLONE_NEWTIME) the caller's
 * children are in the new time namespace, and so is the program its exec
 * starts (whose vDSO then reads the namespace's clocks).  uexec enters it
 * with setns() at the commit, which needs what unshare() needed,
 * CAP_SYS_ADMIN, where the kernel's exec needs nothing: without it the
 * launch is refused here.  A fresh process is in its children's time
 * namespace already (its exec put it there: fresh.h).
 */
static int prepare_timens(struct uexec_binprm *bprm)
{
	char now[64], next[64];
	ssize_t a, b;

	if (uexec_fresh_process())
		return 0;
	a = readlink("/proc/self/ns/time", now, sizeof(now));
	b = readlink("/proc/self/ns/time_for_children", next, sizeof(next));
	if (a <= 0 || b <= 0 || (a == b && !memcmp(now, next, (size_t)a)))
		return 0;	/* one namespace (or none: no CONFIG_TIME_NS, no /proc) */
	if (!uexec_capable(CAP_SYS_ADMIN))
		return uexec_binprm_error(bprm, EPERM, "the program's time namespace "
					  "(unshare(CLONE_NEWTIME)) can be entered only with "
					  "CAP_SYS_ADMIN, which this process no longer holds");
	bprm->timens_fd = open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
	if (bprm->timens_fd < 0)
		return uexec_binprm_error(bprm, errno, "the program's time namespace: %s",
					  strerror(errno));
	return 0;
}

static void enter_timens(struct uexec_binprm *bprm)
{
	if (bprm->timens_fd < 0)
		return;
	if (setns(bprm->timens_fd, CLONE_NEWTIME))
		die(bprm, "entering the program's time namespace: %s", strerror(errno));
	UEXEC_DEBUG(UEXEC_DBG_EXEC, "time namespace: the children's entered (setns)");
}

int uexec_commit_prepare(struct uexec_binprm *bprm)
{
	long r = -1;
	int32_t cpu_id;
	void *area;
	static const unsigned int lens[] = { 32, 0, 20 };
	int ret = probe_final_calls(bprm);

	if (!ret)
		ret = prepare_timens(bprm);

	if (ret || !&__rseq_size || !&__rseq_offset || !__rseq_size)
		return ret;
	area = (char *)uexec_arch_thread_pointer() + __rseq_offset;
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]) && r; i++) {
		unsigned int len = lens[i] ? lens[i] : __rseq_size;

		r = syscall(SYS_rseq, area, len, RSEQ_FLAG_UNREGISTER, UEXEC_RSEQ_SIG);
	}
	UEXEC_DEBUG(UEXEC_DBG_EXEC, "rseq: unregister %p: %s", area, r ? strerror(errno) : "ok");
	/* struct rseq's cpu_id: -1 (never registered) or -2 (registration
	 * failed) where the kernel does not update the area. */
	memcpy(&cpu_id, (char *)area + 4, sizeof(cpu_id));
	if (!r || errno == ENOSYS || cpu_id < 0)
		return 0;
	return uexec_binprm_error(bprm, errno, "the caller's rseq area cannot be unregistered "
				  "(rseq: %s; a seccomp filter?): the kernel would go on "
				  "writing into memory the program does not own",
				  strerror(errno));
}

/* Undo the rest of what glibc registered with the kernel for this (the
 * only) thread (rseq: uexec_commit_prepare()): the kernel would otherwise
 * read or write memory the program does not know about. */
static void forget_thread_registrations(void)
{
	long r = syscall(SYS_set_robust_list, NULL, 3 * sizeof(void *));
	UEXEC_DEBUG(UEXEC_DBG_EXEC, "robust futex list: %s", r ? strerror(errno) : "cleared");
	syscall(SYS_set_tid_address, NULL);
}

/* begin_new_exec()'s clear_syscall_work_syscall_user_dispatch(): a
 * caller's syscall user dispatch (PR_SET_SYSCALL_USER_DISPATCH, Linux
 * 5.11) reads its selector byte in the caller's memory at every system
 * call, and the final stage unmaps that memory (SIGSEGV).  Off; EINVAL
 * where the kernel has none. */
static void clear_syscall_user_dispatch(void)
{
	if (!prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0))
		UEXEC_DEBUG(UEXEC_DBG_EXEC, "syscall user dispatch: off");
}

/* The stack limit the plan used, where a secure exec cut it (binfmt_elf.c):
 * lowering the soft limit cannot fail. */
static void set_rlim_stack(const struct uexec_binprm *bprm)
{
	struct rlimit rl;

	if (bprm->plan.stack.rlimit == bprm->rlim_stack || getrlimit(RLIMIT_STACK, &rl))
		return;
	rl.rlim_cur = bprm->plan.stack.rlimit;
	if (!setrlimit(RLIMIT_STACK, &rl))
		UEXEC_DEBUG(UEXEC_DBG_EXEC, "RLIMIT_STACK: %zu (a secure exec's)",
			    bprm->plan.stack.rlimit);
}

static int is_kept(int fd, const int *keep, size_t nkeep)
{
	for (size_t i = 0; i < nkeep; i++)
		if (keep[i] == fd)
			return 1;
	return 0;
}

/* FD closed if it is close-on-exec and not in KEEP; false if it is not
 * open at all. */
static bool close_if_cloexec(int fd, const int *keep, size_t nkeep, int *closed)
{
	int fl = fcntl(fd, F_GETFD);

	if (fl < 0)
		return false;
	if ((fl & FD_CLOEXEC) && !is_kept(fd, keep, nkeep) && !close(fd))
		(*closed)++;
	return true;
}

/* The close-on-exec descriptors below LIMIT closed (those in KEEP left);
 * returns how many open ones were seen there. */
static long close_below(int limit, const int *keep, size_t nkeep, int *closed)
{
	long seen = 0;

	for (int fd = 0; fd < limit; fd++)
		seen += close_if_cloexec(fd, keep, nkeep, closed);
	return seen;
}

/*
 * How many descriptors are open, as the size of /proc/self/fd tells
 * (Linux 6.2: the count of the descriptor table's open bits); -1 where it
 * does not (no /proc; an older kernel says 0, and this process has at
 * least the program's file open).  The count is exact here: the process
 * is single-threaded (execve.c), so nothing opens or closes meanwhile.
 */
static long open_descriptor_count(void)
{
	struct stat st;

	if (stat("/proc/self/fd", &st) || st.st_size <= 0)
		return -1;
	return (long)st.st_size;
}

/* How far past the count the numbers are tried before the directory is
 * read instead: a few holes cost a fcntl each, a far descriptor (fd 255,
 * a dup2 to 1000) one reading of /proc/self/fd. */
#define PROBE_SLACK 8

/*
 * Close the descriptors marked close-on-exec, uexec's own among them (they
 * all are), but those in KEEP (the final stage closes them).  Where all
 * the open descriptors are among the first few numbers (the count says
 * so), fcntl on each of these numbers is all it takes; else, or without
 * the count, /proc/self/fd is read (getdents64 on a stack buffer: no
 * malloc), whose listing costs a dentry and an inode a descriptor.
 */
static void do_close_on_exec(const int *keep, size_t nkeep)
{
	char buf[4096];
	long got, count = open_descriptor_count();
	int dfd, closed = 0, probed = 0;

	if (count > 0 && count < 65536) {
		probed = (int)count + PROBE_SLACK;
		if (close_below(probed, keep, nkeep, &closed) == count) {
			UEXEC_DEBUG(UEXEC_DBG_EXEC, "descriptors: %d close-on-exec closed "
				    "(all %ld open below %d)", closed, count, probed);
			return;
		}
	}
	dfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		close_below(65536, keep, nkeep, &closed);
		UEXEC_DEBUG(UEXEC_DBG_EXEC, "descriptors: %d close-on-exec closed", closed);
		return;
	}
	while ((got = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			char *end;
			long fd = strtol(d->d_name, &end, 10);

			off += d->d_reclen;
			if (!*end && end != d->d_name && fd != dfd && fd >= probed)
				close_if_cloexec((int)fd, keep, nkeep, &closed);
		}
	}
	close(dfd);
	UEXEC_DEBUG(UEXEC_DBG_EXEC, "descriptors: %d close-on-exec closed (listed%s)", closed,
		    probed ? ", past the first ones tried" : "");
}

static void close_unless_kept(int fd, const int *keep, size_t nkeep, int *closed)
{
	if (fd >= 0 && !is_kept(fd, keep, nkeep) && !close(fd))
		(*closed)++;
}

/*
 * In a fresh process (fresh.h) the close-on-exec descriptors are exactly
 * uexec's own, and these are all of them: the binprm's file, the
 * interpreter's, those rules hold, the caller's debug and plan files, and
 * the descriptor asked to run when it is close-on-exec.  Closed but those
 * in KEEP: what do_close_on_exec() closes, without reading /proc/self/fd.
 * Returns false, closing nothing, when the held descriptors are not all
 * known (the scan must be made).
 */
static bool close_own_descriptors(const struct uexec_binprm *bprm, const int *keep,
				  size_t nkeep)
{
	const struct uexec_options *o = bprm->opts;
	const int *held;
	size_t nheld = uexec_fresh_process_held(&held);
	int closed = 0;

	if (nheld == (size_t)-1)
		return false;
	for (size_t i = 0; i < nheld; i++)
		close_unless_kept(held[i], keep, nkeep, &closed);
	close_unless_kept(bprm->fd, keep, nkeep, &closed);
	close_unless_kept(bprm->next_fd, keep, nkeep, &closed);
	close_unless_kept(bprm->plan.interp.fd, keep, nkeep, &closed);
	close_unless_kept(o->debug_out ? fileno(o->debug_out) : -1, keep, nkeep, &closed);
	close_unless_kept(o->plan_out ? fileno(o->plan_out) : -1, keep, nkeep, &closed);
	if (bprm->fd_arg >= 0 && (fcntl(bprm->fd_arg, F_GETFD) & FD_CLOEXEC))
		close_unless_kept(bprm->fd_arg, keep, nkeep, &closed);
	UEXEC_DEBUG(UEXEC_DBG_EXEC, "descriptors: %d close-on-exec closed (uexec's own: "
		    "a fresh process has no other)", closed);
	return true;
}

static const char *kbasename(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* begin_new_exec()'s name for comm: the last component of what was asked
 * to run, or, for a descriptor without a name, the name of the file that
 * is loaded last (a script's interpreter, say) as its dentry has it. */
static const char *comm_name(const struct uexec_binprm *bprm, const struct uexec_plan *plan,
			     char *buf, size_t len)
{
	const char *d;

	if (bprm->comm_from_dentry && (d = uexec_fd_dentry_name(plan->exe.fd, buf, len)))
		return d;
	return kbasename(bprm->filename);
}

void uexec_commit(struct uexec_binprm *bprm, struct uexec_handover *ho)
{
	const struct uexec_plan *plan = &bprm->plan;
	struct uexec_final *f = ho->final;
	int keep[2] = { plan->exe.fd, f ? f->debug_fd : -1 };
	char comm[16], dentry[16];

	bprm->point_of_no_return = true;
	if (plan->stack.sp & (UEXEC_STACK_ALIGN - 1))
		die(bprm, "internal error: misaligned stack pointer %#lx",
		    (unsigned long)plan->stack.sp);
	if (!f)
		die(bprm, "internal error: no final stage");
	if (uexec_debug_mask)
		keep[1] = uexec_debug_file ? fileno(uexec_debug_file) : 2;
	uexec_debug_handover(plan);
	if (!uexec_fresh_process())
		clear_syscall_user_dispatch();
	enter_timens(bprm);
	set_rlim_stack(bprm);

	/* A fresh process's signals are as the kernel's exec left them, and it
	 * has no POSIX timers (the exec deleted them; uexec makes none). */
	if (!uexec_fresh_process()) {
		exit_itimers();
		flush_signal_handlers();
	} else {
		UEXEC_DEBUG(UEXEC_DBG_EXEC, "signals: none to reset (a fresh process)");
	}
	disable_altstack();
	set_dumpable(&bprm->cred);
	/* mlockall(MCL_FUTURE) lives in the mm, which the kernel's exec
	 * replaces: the program's mappings must not be locked for it. */
	if (!uexec_fresh_process() && uexec_own_stack_prefaulted()) {
		munlockall();
		UEXEC_DEBUG(UEXEC_DBG_EXEC, "mlockall(MCL_FUTURE): undone (munlockall)");
	}
	forget_thread_registrations();
	set_comm(comm, sizeof(comm), comm_name(bprm, plan, dentry, sizeof(dentry)));
	prctl(PR_SET_NAME, comm, 0, 0, 0);
	/* elf_read_implies_exec()'s READ_IMPLIES_EXEC: the program's own
	 * later mmap()s and brk get PROT_EXEC from the kernel (its mappings
	 * made by uexec already have it). */
	if (plan->read_implies_exec && personality(plan->personality) == -1)
		die(bprm, "personality(%#lx): %s", plan->personality, strerror(errno));
	/* unshare_files(): a table shared with another process (CLONE_FILES
	 * without CLONE_VM) is copied first, so that closing the close-on-exec
	 * descriptors does not close the other's (a no-op when not shared). */
	if (!uexec_fresh_process() && syscall(SYS_unshare, CLONE_FILES))
		UEXEC_DEBUG(UEXEC_DBG_EXEC, "unshare(CLONE_FILES): %s: a shared descriptor "
			    "table stays shared", strerror(errno));
	if (!uexec_fresh_process() || !close_own_descriptors(bprm, keep, 2))
		do_close_on_exec(keep, 2);
	if (f->stop)
		uexec_break_announce(plan);
	UEXEC_BENCH_PHASE(7);
	uexec_final_enter(ho);
}
