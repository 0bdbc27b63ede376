/* SPDX-License-Identifier: MIT */
/*
 * tracer UEXEC PROG [ARGS...]: the test tracer of --break.
 *
 * Runs "UEXEC --break PROG ARGS" as its child, waits for the SIGSTOP, reads
 * the announcement (pid, first instruction, sp, gdb command), attaches with
 * PTRACE_ATTACH as a debugger would, single-steps to the announced first
 * instruction, checks sp, argc and argv[0] there, detaches, lets the
 * program run, and checks that it exits 0.  Prints what it sees; exits 0
 * when every check holds, 1 otherwise (each failure says "FAIL ..."), 77
 * when ptrace is not permitted.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tracer_arch.h"

static int failures;

static void check(int ok, const char *what)
{
	if (!ok) {
		printf("FAIL %s\n", what);
		failures++;
	}
}

/* Everything the child wrote to stderr so far (it is stopped). */
static void read_message(int fd, char *buf, size_t len)
{
	size_t n = 0;
	ssize_t r;

	fcntl(fd, F_SETFL, O_NONBLOCK);
	while (n + 1 < len && (r = read(fd, buf + n, len - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = 0;
}

static pid_t start(char **argv, int *errfd)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	*errfd = p[0];
	return pid;
}

/* Single-step PID to ENTRY with stack pointer SP; SIGSTOPs on the way are
 * swallowed. */
static int step_to(pid_t pid, unsigned long entry, unsigned long sp,
		   struct tracer_regs *regs)
{
	int status;

	for (long n = 0; n < 1000000; n++) {
		if (tracer_get_regs(pid, regs))
			return -1;
		if (regs->pc == entry && regs->sp == sp)
			return 0;
		if (ptrace(PTRACE_SINGLESTEP, pid, NULL, NULL) ||
		    waitpid(pid, &status, 0) < 0 || !WIFSTOPPED(status))
			return -1;
	}
	return -1;
}

static void peek_string(pid_t pid, unsigned long addr, char *out, size_t len)
{
	size_t n = 0;

	while (n + sizeof(long) < len) {
		long w = ptrace(PTRACE_PEEKDATA, pid, (void *)(addr + n), NULL);

		memcpy(out + n, &w, sizeof(w));
		if (memchr(&w, 0, sizeof(w)))
			return;
		n += sizeof(w);
	}
	out[n] = 0;
}

int main(int argc, char **argv)
{
	char **cargv = calloc((size_t)argc + 2, sizeof(*cargv)), msg[8192], want[64], s[4096];
	unsigned long entry = 0, sp = 0;
	struct tracer_regs regs;
	int status, errfd, mpid = 0;
	const char *p;
	pid_t pid;

	if (argc < 3 || !cargv) {
		fprintf(stderr, "usage: tracer UEXEC PROG [ARGS...]\n");
		return 2;
	}
	cargv[0] = argv[1];
	cargv[1] = "--break";
	for (int i = 2; i < argc; i++)
		cargv[i] = argv[i];
	pid = start(cargv, &errfd);
	if (pid < 0 || waitpid(pid, &status, WUNTRACED) < 0 || !WIFSTOPPED(status)) {
		printf("FAIL the child did not stop (status %#x)\n", status);
		return 1;
	}
	printf("stopped by signal %d\n", WSTOPSIG(status));
	check(WSTOPSIG(status) == SIGSTOP, "stopped by SIGSTOP");
	read_message(errfd, msg, sizeof(msg));
	printf("message: %s", msg);
	if ((p = strstr(msg, "pid ")))
		sscanf(p, "pid %d stopped before the program's first instruction %lx (sp %lx)",
		       &mpid, &entry, &sp);
	check(mpid == pid, "the message names the pid");
	check(entry && sp, "the message names the first instruction and sp");
	snprintf(want, sizeof(want), "gdb -q -p %d ", pid);
	check(strstr(msg, want) != NULL, "the gdb command attaches to the pid");
	snprintf(s, sizeof(s), "add-symbol-file %s -o ", argv[2]);
	check(strstr(msg, s) != NULL, "the gdb command loads the program's symbols");

	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL)) {
		printf("ptrace not permitted: %s\n", strerror(errno));
		kill(pid, SIGKILL);
		return 77;
	}
	waitpid(pid, &status, 0);
	check(step_to(pid, entry, sp, &regs) == 0, "reached the first instruction");
	printf("at entry pc=%#lx sp=%#lx flags=%#lx\n", regs.pc, regs.sp, regs.flags);
	check(ptrace(PTRACE_PEEKDATA, pid, (void *)regs.sp, NULL) == argc - 2,
	      "argc at sp");
	peek_string(pid, (unsigned long)ptrace(PTRACE_PEEKDATA, pid,
					       (void *)(regs.sp + sizeof(long)), NULL),
		    s, sizeof(s));
	printf("argv[0]=%s\n", s);
	check(!strcmp(s, argv[2]), "argv[0] above argc");
	snprintf(want, sizeof(want), "%s are zero", tracer_arg_names);
	check(!regs.arg[0] && !regs.arg[1] && !regs.arg[2] && !regs.arg[3], want);
	check(tracer_before_detach(pid, &regs) == 0, "registers set back before detaching");
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	kill(pid, SIGCONT);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status)) {
		printf("FAIL the program did not exit (status %#x)\n", status);
		return 1;
	}
	printf("exited with status %d\n", WEXITSTATUS(status));
	check(WEXITSTATUS(status) == 0, "the program ran to completion");
	return failures ? 1 : 0;
}
