/* SPDX-License-Identifier: MIT */
/*
 * The point of no return (the kernel's begin_new_exec and what follows it
 * in load_elf_binary).  On entry the plan is fully mapped (mm.c) and
 * nothing of the caller has changed but those new mappings.  From here on
 * the caller's state is given up: signal handlers, descriptors, glibc's
 * per-thread kernel registrations, the kernel's idea of the process's brk,
 * arguments and auxv.  Nothing here returns; what fails is either harmless
 * and said under --debug=exec, or fatal: one line on stderr, _exit(127).
 *
 * No malloc() after the PR_SET_MM_MAP step: the process's brk is then the
 * program's.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/prctl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "arch.h"
#include "binprm.h"

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
	int n;

	n = snprintf(line, sizeof(line), "uexec: %s: ", bprm->filename);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	(void)!write(2, line, (size_t)n);
	_exit(127);
}

/* flush_signal_handlers(): caught signals go back to SIG_DFL, ignored ones
 * stay ignored; flags and masks are cleared.  The blocked mask and pending
 * signals are kept, as across execve. */
static void flush_signal_handlers(void)
{
	int reset = 0;

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
		syscall(SYS_rt_sigaction, sig, &sa, NULL, 8);
		reset++;
	}
	UEXEC_DEBUG(UEXEC_DBG_EXEC, "signals: %d dispositions reset", reset);
}

static void disable_altstack(void)
{
	stack_t ss = { .ss_flags = SS_DISABLE };

	if (sigaltstack(&ss, NULL))
		UEXEC_DEBUG(UEXEC_DBG_EXEC, "sigaltstack: %s", strerror(errno));
}

/* Undo what glibc registered with the kernel for this (the only) thread:
 * the kernel would otherwise keep writing to, or reading from, memory the
 * program does not know about. */
static void forget_thread_registrations(void)
{
	long r = -1;

	if (&__rseq_size && &__rseq_offset && __rseq_size) {
		void *area = (char *)uexec_arch_thread_pointer() + __rseq_offset;
		static const unsigned int lens[] = { 32, 0, 20 };

		for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]) && r; i++) {
			unsigned int len = lens[i] ? lens[i] : __rseq_size;

			r = syscall(SYS_rseq, area, len, RSEQ_FLAG_UNREGISTER, UEXEC_RSEQ_SIG);
		}
		UEXEC_DEBUG(UEXEC_DBG_EXEC, "rseq: unregister %p: %s", area,
			    r ? strerror(errno) : "ok");
	}
	r = syscall(SYS_set_robust_list, NULL, 3 * sizeof(void *));
	UEXEC_DEBUG(UEXEC_DBG_EXEC, "robust futex list: %s", r ? strerror(errno) : "cleared");
	syscall(SYS_set_tid_address, NULL);
}

/*
 * Close the descriptors marked close-on-exec, uexec's own among them (they
 * all are), but KEEP.  Uses getdents64 on a stack buffer: no malloc.
 */
static void do_close_on_exec(int keep)
{
	char buf[4096];
	long got;
	int dfd, closed = 0;

	dfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		for (int fd = 0; fd < 65536; fd++) {
			int fl = fcntl(fd, F_GETFD);

			if (fl >= 0 && (fl & FD_CLOEXEC) && fd != keep && !close(fd))
				closed++;
		}
		UEXEC_DEBUG(UEXEC_DBG_EXEC, "descriptors: %d close-on-exec closed", closed);
		return;
	}
	while ((got = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			char *end;
			long fd = strtol(d->d_name, &end, 10);
			int fl;

			off += d->d_reclen;
			if (*end || end == d->d_name || fd == dfd || fd == keep)
				continue;
			fl = fcntl((int)fd, F_GETFD);
			if (fl >= 0 && (fl & FD_CLOEXEC) && !close((int)fd))
				closed++;
		}
	}
	close(dfd);
	UEXEC_DEBUG(UEXEC_DBG_EXEC, "descriptors: %d close-on-exec closed", closed);
}

static const char *kbasename(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* The kernel's view of the process: its brk, arguments, environment and
 * auxv now belong to the program.  Not permitted everywhere (it needs
 * CONFIG_CHECKPOINT_RESTORE); then the program uses uexec's brk. */
static void set_mm_map(struct uexec_binprm *bprm)
{
	const struct uexec_plan *plan = &bprm->plan;
	const struct uexec_stack *st = &plan->stack;
	struct prctl_mm_map map;
	unsigned long auxv[UEXEC_MAX_AUXV * 2];
	int r;

	for (size_t i = 0; i < st->auxc; i++) {
		auxv[2 * i] = st->auxv_pairs[i][0];
		auxv[2 * i + 1] = st->auxv_pairs[i][1];
	}
	memset(&map, 0, sizeof(map));
	map.start_code = plan->exe.start_code;
	map.end_code = plan->exe.end_code;
	if (map.end_code <= map.start_code) {
		map.start_code = plan->exe.lo + plan->exe.load_bias;
		map.end_code = map.start_code + 1;
	}
	map.start_data = plan->exe.start_data;
	map.end_data = plan->exe.end_data;
	if (map.end_data < map.start_data)
		map.end_data = map.start_data;
	map.start_brk = plan->start_brk;
	map.brk = plan->brk;
	map.start_stack = st->sp;
	map.arg_start = st->arg_start;
	map.arg_end = st->arg_end;
	map.env_start = st->env_start;
	map.env_end = st->env_end;
	map.auxv = (__u64 *)auxv;
	map.auxv_size = (__u32)(st->auxc * 2 * sizeof(unsigned long));
	map.exe_fd = (__u32)-1;
	r = prctl(PR_SET_MM, PR_SET_MM_MAP, &map, sizeof(map), 0);
	if (r) {
		UEXEC_DEBUG(UEXEC_DBG_BRK, "PR_SET_MM_MAP: %s: the program's brk is uexec's "
			    "(%p), /proc/self/cmdline and auxv are uexec's", strerror(errno),
			    sbrk(0));
		return;
	}
	UEXEC_DEBUG(UEXEC_DBG_BRK, "brk %#lx (start_brk %#lx, end of bss %#lx) via "
		    "PR_SET_MM_MAP", (unsigned long)plan->brk, (unsigned long)plan->start_brk,
		    (unsigned long)plan->exe.elf_brk);
}

static void debug_plan_state(const struct uexec_binprm *bprm)
{
	const struct uexec_stack *st = &bprm->plan.stack;

	if (!(uexec_debug_mask & (UEXEC_DBG_STACK | UEXEC_DBG_ENTRY)))
		return;
	UEXEC_DEBUG(UEXEC_DBG_STACK, "stack top %#lx sp %#lx size %zu map %#lx-%#lx",
		    (unsigned long)st->top, (unsigned long)st->sp, st->size,
		    (unsigned long)(st->top - st->map_size), (unsigned long)st->top);
	UEXEC_DEBUG(UEXEC_DBG_STACK, "argc %zu at %#lx", bprm->argv.n, (unsigned long)st->sp);
	for (size_t i = 0; i < bprm->argv.n; i++)
		UEXEC_DEBUG(UEXEC_DBG_STACK, "argv[%zu] at %#lx -> %#lx \"%s\"", i,
			    (unsigned long)(st->argv + i * sizeof(long)),
			    *(unsigned long *)(st->argv + i * sizeof(long)), bprm->argv.v[i]);
	for (size_t i = 0; i < bprm->envp.n; i++)
		UEXEC_DEBUG(UEXEC_DBG_STACK, "envp[%zu] at %#lx -> %#lx \"%s\"", i,
			    (unsigned long)(st->envp + i * sizeof(long)),
			    *(unsigned long *)(st->envp + i * sizeof(long)), bprm->envp.v[i]);
	for (size_t i = 0; i < st->auxc; i++)
		UEXEC_DEBUG(UEXEC_DBG_STACK, "auxv[%zu] at %#lx: %lu %#lx", i,
			    (unsigned long)(st->auxv + 2 * i * sizeof(long)),
			    st->auxv_pairs[i][0], st->auxv_pairs[i][1]);
	UEXEC_DEBUG(UEXEC_DBG_ENTRY, "entry %#lx rsp %#lx, other registers 0",
		    (unsigned long)bprm->plan.entry, (unsigned long)st->sp);
}

void uexec_commit(struct uexec_binprm *bprm)
{
	const struct uexec_plan *plan = &bprm->plan;
	int stop = bprm->opts && (bprm->opts->flags & UEXEC_F_BREAK);
	int dbg_fd = uexec_debug_mask ? (uexec_debug_file ? fileno(uexec_debug_file) : 2) : -1;
	char comm[16];

	bprm->point_of_no_return = true;
	if (plan->stack.sp & (UEXEC_STACK_ALIGN - 1))
		die(bprm, "internal error: misaligned stack pointer %#lx",
		    (unsigned long)plan->stack.sp);
	debug_plan_state(bprm);

	flush_signal_handlers();
	disable_altstack();
	forget_thread_registrations();
	snprintf(comm, sizeof(comm), "%s", kbasename(bprm->filename));
	prctl(PR_SET_NAME, comm, 0, 0, 0);
	if (stdout)
		fflush(stdout);
	if (stderr)
		fflush(stderr);
	do_close_on_exec(dbg_fd);
	set_mm_map(bprm);
	if (dbg_fd > 2 && (fcntl(dbg_fd, F_GETFD) & FD_CLOEXEC))
		close(dbg_fd);
	uexec_arch_enter(plan->stack.sp, plan->entry, stop);
}
