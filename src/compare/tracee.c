/* SPDX-License-Identifier: MIT */
/*
 * The two tracees of --compare.  The kernel side: fork, PTRACE_TRACEME,
 * execve: the child stops with SIGTRAP before its first instruction.  The
 * uexec side: fork, PTRACE_TRACEME, execve of uexec itself with --break
 * and a report descriptor; uexec writes the entry and sp it will jump to
 * (the report), raises SIGSTOP in its final stage, and the tracer
 * single-steps it until its pc and sp are those: the program's first
 * instruction, with the registers and stack it will see.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compare/cmp.h"

#define MAX_STEPS 1000000L

void uexec_cmp_perror(const char *what)
{
	fprintf(stderr, "uexec: --compare: %s: %s\n", what, strerror(errno));
}

static void ptrace_denied(const char *what, int err)
{
	if (err == ENOSYS) {	/* an emulator's (qemu-user's) */
		fprintf(stderr, "uexec: --compare: ptrace is not implemented here "
			"(%s: %s)\n", what, strerror(err));
		return;
	}
	fprintf(stderr, "uexec: --compare: ptrace is not permitted here (%s: %s); "
		"check /proc/sys/kernel/yama/ptrace_scope, seccomp, and CAP_SYS_PTRACE "
		"in containers\n", what, strerror(err));
}

/* In the child: PTRACE_TRACEME and execve; a failure goes to ERRFD as
 * "T errno" or "E errno". */
static __attribute__((noreturn)) void traced_exec(const char *path, char *const argv[],
						  char *const envp[], int errfd)
{
	char msg[32];
	int n;

	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL)) {
		n = snprintf(msg, sizeof(msg), "T %d", errno);
		(void)!write(errfd, msg, (size_t)n);
		_exit(125);
	}
	execve(path, argv, envp);
	n = snprintf(msg, sizeof(msg), "E %d", errno);
	(void)!write(errfd, msg, (size_t)n);
	_exit(127);
}

/* Fork a traced child that execs PATH; the child is stopped after its
 * exec's SIGTRAP (descriptors without close-on-exec are passed down). */
int uexec_cmp_start_traced(struct uexec_cmp_side *s, const char *path, char *const argv[],
			   char *const envp[])
{
	char msg[32];
	int p[2], status;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC)) {
		uexec_cmp_perror("pipe");
		return -1;
	}
	s->pid = fork();
	if (s->pid < 0) {
		uexec_cmp_perror("fork");
		return -1;
	}
	if (s->pid == 0)
		traced_exec(path, argv, envp, p[1]);
	close(p[1]);
	n = read(p[0], msg, sizeof(msg) - 1);
	close(p[0]);
	if (n > 0) {
		msg[n] = 0;
		waitpid(s->pid, &status, 0);
		s->pid = 0;
		if (msg[0] == 'T')
			ptrace_denied("PTRACE_TRACEME", atoi(msg + 2));
		else
			fprintf(stderr, "uexec: --compare: %s side: execve %s: %s\n",
				s->label, path, strerror(atoi(msg + 2)));
		return -1;
	}
	if (waitpid(s->pid, &status, 0) < 0 || !WIFSTOPPED(status) ||
	    WSTOPSIG(status) != SIGTRAP) {
		fprintf(stderr, "uexec: --compare: %s side: no exec stop (status %#x)\n",
			s->label, status);
		return -1;
	}
	ptrace(PTRACE_SETOPTIONS, s->pid, NULL, (void *)(long)PTRACE_O_EXITKILL);
	return 0;
}

/* Continue S until it stops with SIGSTOP (the final stage's --break
 * stop), passing on every other signal it gets meanwhile (the SIGCHLD of
 * uexec's probe children, for one): 0 with S stopped; -1 when it ended
 * (S->pid is then 0) or could not be traced. */
static int continue_to_sigstop(struct uexec_cmp_side *s)
{
	int status, sig = 0;

	for (;;) {
		if (ptrace(PTRACE_CONT, s->pid, NULL, (void *)(long)sig) ||
		    waitpid(s->pid, &status, 0) < 0)
			return -1;
		if (!WIFSTOPPED(status)) {
			fprintf(stderr, "uexec: --compare: the uexec run ended before the "
				"program's first instruction (%s %d)\n", WIFEXITED(status) ?
				"exit status" : "signal", WIFEXITED(status) ?
				WEXITSTATUS(status) : WTERMSIG(status));
			s->pid = 0;
			return -1;
		}
		if (WSTOPSIG(status) == SIGSTOP)
			return 0;
		sig = WSTOPSIG(status);
	}
}

/* Single-step the stopped S until its pc is ENTRY and its sp SP (its
 * registers then in s->regs): 0, or -1. */
static int step_to(struct uexec_cmp_side *s, unsigned long entry, unsigned long sp)
{
	int status;

	for (long steps = 0; steps < MAX_STEPS; steps++) {
		if (uexec_arch_read_regs(s->pid, &s->regs))
			return -1;
		if (uexec_arch_regs_pc(&s->regs) == entry && uexec_arch_regs_sp(&s->regs) == sp)
			return 0;
		if (ptrace(PTRACE_SINGLESTEP, s->pid, NULL, NULL) ||
		    waitpid(s->pid, &status, 0) < 0 || !WIFSTOPPED(status) ||
		    WSTOPSIG(status) != SIGTRAP) {
			fprintf(stderr, "uexec: --compare: single-stepping the uexec side to "
				"%#lx failed (status %#x)\n", entry, status);
			return -1;
		}
	}
	fprintf(stderr, "uexec: --compare: the uexec side did not reach %#lx\n", entry);
	return -1;
}

/* Continue the uexec side to its SIGSTOP, read the --break report from
 * RFD (written and closed before that stop; read without blocking, so
 * that another stop cannot hang the tracer), then single-step it to the
 * entry and sp the report names. */
static int run_to_entry(struct uexec_cmp_side *s, int rfd)
{
	struct uexec_cmp_report r;
	unsigned long entry;

	if (continue_to_sigstop(s))
		return -1;
	fcntl(rfd, F_SETFL, fcntl(rfd, F_GETFL) | O_NONBLOCK);
	uexec_cmp_read_report(rfd, &r);
	entry = uexec_cmp_report_ulong(&r, "entry");
	if (!entry) {
		fprintf(stderr, "uexec: --compare: the uexec side stopped by signal %d, "
			"without a report\n", SIGSTOP);
		return -1;
	}
	return step_to(s, entry, uexec_cmp_report_ulong(&r, "sp"));
}

void uexec_cmp_kill(struct uexec_cmp_side *s)
{
	int status;

	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, &status, 0);
		s->pid = 0;
	}
}

/* argv for the uexec side: uexec --report-fd=N --break [-a X] [--interp P] -- PROG ARGS */
static char **uexec_argv(const char *self, int fd, const char *prog, char *const argv[],
			 const struct uexec_compare_opts *co, char *fdopt, size_t fdlen)
{
	size_t n = 0, argc = 0;
	char **v;

	while (argv[argc])
		argc++;
	v = calloc(argc + 10, sizeof(*v));
	if (!v)
		return NULL;
	snprintf(fdopt, fdlen, "--report-fd=%d", fd);
	v[n++] = (char *)self;
	v[n++] = fdopt;
	v[n++] = "--break";
	if (co->argv0) {
		v[n++] = "--argv0";
		v[n++] = (char *)co->argv0;
	}
	if (co->interp) {
		v[n++] = "--interp";
		v[n++] = (char *)co->interp;
	}
	v[n++] = "--";
	v[n++] = (char *)prog;
	for (size_t i = 1; i < argc; i++)
		v[n++] = argv[i];
	v[n] = NULL;
	return v;
}

int uexec_cmp_start_uexec(struct uexec_cmp_side *s, const char *prog, char *const argv[],
			  char *const envp[], const struct uexec_compare_opts *co)
{
	char self[PATH_MAX], fdopt[32];
	char **uargv = NULL;
	int p[2], fd, ret = -1;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n < 0) {
		uexec_cmp_perror("/proc/self/exe");
		return -1;
	}
	self[n] = 0;
	if (pipe2(p, O_CLOEXEC)) {
		uexec_cmp_perror("pipe");
		return -1;
	}
	/* Not close-on-exec: the uexec child inherits it and closes it
	 * just before the jump (debug.c, uexec_break_announce). */
	fd = fcntl(p[1], F_DUPFD, 100);
	close(p[1]);
	if (fd >= 0)
		uargv = uexec_argv(self, fd, prog, argv, co, fdopt, sizeof(fdopt));
	if (uargv)
		ret = uexec_cmp_start_traced(s, self, uargv, envp);
	if (fd >= 0)
		close(fd);
	free(uargv);
	if (!ret)
		ret = run_to_entry(s, p[0]);
	close(p[0]);
	return ret;
}
