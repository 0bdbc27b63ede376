/* SPDX-License-Identifier: MIT */
/*
 * sharedvm PROGRAM: the library refuses to exec in a process that shares
 * its address space with another (EBUSY, one line of reason), and the
 * other process lives on:
 *   - a vfork() child (the parent resumes and reports),
 *   - a clone(CLONE_VM | SIGCHLD) child,
 *   - a parent whose CLONE_VM child still runs,
 *   - a process whose CLONE_VM | CLONE_PARENT sibling still runs;
 *   - a process sharing with a stranger: the CLONE_VM grandchild of a
 *     CLONE_VM child that has exited (reparented away; no relation to
 *     name, the kernel's unshare(CLONE_VM) tells);
 * then, with nothing shared, the same call runs PROGRAM.
 * sharedvm --no-kcmp PROGRAM: the same with kcmp(2) and unshare(2) refused
 * by a seccomp filter (as Docker's default profile does): the vfork and
 * CLONE_VM children are still refused (uexec reads the parent's maps
 * instead).  Each refusal
 * prints "refused: REASON" on its own line; a failure prints "FAIL: ...".
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uexec/uexec.h"

extern char **environ;
static char **prog_argv;
static volatile int release, stranger_up, stranger_done;

/* The exec must fail with EBUSY and a one-line reason that names RELATION.
 * Returns 0 when it did. */
static int refused(const char *relation)
{
	int r = uexec_execve(prog_argv[0], prog_argv, environ);
	int e = errno;
	const char *msg = uexec_strerror();

	if (r != -1 || e != EBUSY || strchr(msg, '\n') || !strstr(msg, "address space") ||
	    !strstr(msg, relation)) {
		printf("FAIL: %s: r=%d errno=%d (%s)\n", relation, r, e, msg);
		return 1;
	}
	printf("refused: %s\n", msg);
	fflush(stdout);
	return 0;
}

static int exit_status(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, __WALL) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int clone_child(void *arg)
{
	(void)arg;
	return refused("parent");
}

static int waiting_child(void *arg)
{
	(void)arg;
	while (!release)
		usleep(1000);
	return 0;
}

static pid_t clone_vm(int (*fn)(void *), int flags)
{
	size_t size = 256 * 1024;
	char *stack = malloc(size);

	return stack ? clone(fn, stack + size, CLONE_VM | SIGCHLD | flags, NULL) : -1;
}

/* This process (single-threaded) has a CLONE_VM child that runs. */
static int refused_with_child(const char *relation, int flags)
{
	pid_t pid;
	int bad;

	release = 0;
	pid = clone_vm(waiting_child, flags);
	if (pid < 0)
		return printf("FAIL: clone: %s\n", strerror(errno)), 1;
	bad = refused(relation);
	release = 1;
	if (!(flags & CLONE_PARENT) && exit_status(pid) != 0)
		return printf("FAIL: %s: the CLONE_VM child did not end well\n", relation), 1;
	return bad;
}

static int stranger(void *arg)
{
	(void)arg;
	stranger_up = 1;
	while (!release)
		usleep(1000);
	stranger_done = 1;
	return 0;
}

/* A CLONE_VM child that starts a CLONE_VM grandchild and exits at once. */
static int stranger_parent(void *arg)
{
	(void)arg;
	return clone_vm(stranger, 0) < 0;
}

static int stranger_case(void)
{
	pid_t pid;
	int bad;

	release = stranger_up = stranger_done = 0;
	pid = clone_vm(stranger_parent, 0);
	if (pid < 0 || exit_status(pid) != 0)
		return printf("FAIL: stranger: clone: %s\n", strerror(errno)), 1;
	while (!stranger_up)
		usleep(1000);
	bad = refused("another process");
	release = 1;
	while (!stranger_done)
		usleep(1000);
	usleep(20000);	/* until it has exited, and left the mm */
	return bad;
}

static int sibling_case(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(refused_with_child("sibling", CLONE_PARENT));
	if (pid < 0 || exit_status(pid) != 0)
		return 1;
	/* The sibling, now our child, ends once released. */
	while (waitpid(-1, NULL, __WALL) > 0)
		;
	return 0;
}

/* kcmp(2) and unshare(2) fail with EPERM from now on. */
static int refuse_kcmp(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_kcmp, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_unshare, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
		return printf("FAIL: seccomp: %s\n", strerror(errno)), 1;
	return 0;
}

static int vfork_case(void)
{
	pid_t pid = vfork();

	if (pid == 0)
		_exit(refused("parent"));
	if (pid < 0 || exit_status(pid) != 0)
		return printf("FAIL: the vfork child (pid %d) was not refused\n", pid), 1;
	printf("vfork parent alive\n");
	return 0;
}

int main(int argc, char **argv)
{
	bool no_kcmp = argc > 1 && !strcmp(argv[1], "--no-kcmp");
	pid_t pid;
	int bad = 0;

	if (argc < 2 + no_kcmp)
		return 2;
	prog_argv = argv + 1 + no_kcmp;
	setvbuf(stdout, NULL, _IONBF, 0);
	if (no_kcmp && refuse_kcmp())
		return 1;
	bad |= vfork_case();
	pid = clone_vm(clone_child, 0);
	if (pid < 0 || exit_status(pid) != 0)
		bad |= printf("FAIL: the CLONE_VM child (pid %d) was not refused\n", pid) > 0;
	if (!no_kcmp) {
		bad |= refused_with_child("child", 0);
		bad |= sibling_case();
		bad |= stranger_case();
	}
	if (bad)
		return 1;
	uexec_execve(prog_argv[0], prog_argv, environ);
	printf("FAIL: exec with nothing shared: %s\n", uexec_strerror());
	return 1;
}
