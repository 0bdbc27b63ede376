/* SPDX-License-Identifier: MIT */
/*
 * uexec --wait-gdb: the program runs under --break in a child, stopped
 * before its first instruction, and this process becomes gdb attached to
 * it, with the program's and its interpreter's symbols at their load
 * addresses (from the --break report) and a breakpoint at the entry.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compare/cmp.h"
#include "debug.h"

static void add_arg(char **argv, int *n, int max, char *s)
{
	if (*n < max - 1)
		argv[(*n)++] = s;
}

/* gdb's argument vector for the stopped child described by R. */
static int gdb_argv(const struct uexec_cmp_report *r, char **argv, int max,
		    char (*bufs)[4200])
{
	char path[4096];
	int n = 0, b = 0;

	add_arg(argv, &n, max, "gdb");
	add_arg(argv, &n, max, "-q");
	add_arg(argv, &n, max, "-p");
	snprintf(bufs[b], sizeof(bufs[b]), "%lu", uexec_cmp_report_ulong(r, "pid"));
	add_arg(argv, &n, max, bufs[b++]);
	/* The stop was a SIGSTOP: gdb's attach sees it (twice); swallow it. */
	add_arg(argv, &n, max, "-ex");
	add_arg(argv, &n, max, "handle SIGSTOP nostop noprint nopass");
	if (uexec_cmp_report_get(r, "exe_path", path, sizeof(path))) {
		snprintf(bufs[b], sizeof(bufs[b]), "add-symbol-file %s -o %#lx", path,
			 uexec_cmp_report_ulong(r, "exe_bias"));
		add_arg(argv, &n, max, "-ex");
		add_arg(argv, &n, max, bufs[b++]);
	}
	if (uexec_cmp_report_get(r, "interp_path", path, sizeof(path))) {
		snprintf(bufs[b], sizeof(bufs[b]), "add-symbol-file %s -o %#lx", path,
			 uexec_cmp_report_ulong(r, "interp_bias"));
		add_arg(argv, &n, max, "-ex");
		add_arg(argv, &n, max, bufs[b++]);
	}
	snprintf(bufs[b], sizeof(bufs[b]), "tbreak *%#lx", uexec_cmp_report_ulong(r, "entry"));
	add_arg(argv, &n, max, "-ex");
	add_arg(argv, &n, max, bufs[b++]);
	add_arg(argv, &n, max, "-ex");
	add_arg(argv, &n, max, "continue");
	argv[n] = NULL;
	return n;
}

/* The child of --wait-gdb: run the program under --break; the report
 * goes to FD.  Does not return. */
static __attribute__((noreturn)) void wait_gdb_child(const char *prog, char *const argv[],
						      char *const envp[],
						      struct uexec_options *opts, int fd)
{
	uexec_set_break_report_fd(fd);
	opts->flags |= UEXEC_F_BREAK;
	uexec_execve_opts(prog, -1, argv, envp, opts);
	fprintf(stderr, "uexec: %s\n", uexec_strerror());
	_exit(uexec_exit_status(errno));
}

int uexec_wait_gdb_main(const char *prog, char *const argv[], char *const envp[],
			struct uexec_options *opts)
{
	char *gargv[20], bufs[6][4200];
	struct uexec_cmp_report r;
	int p[2], status;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC)) {
		fprintf(stderr, "uexec: --wait-gdb: pipe: %s\n", strerror(errno));
		return UEXEC_EXIT_CANNOT_EXECUTE;
	}
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "uexec: --wait-gdb: fork: %s\n", strerror(errno));
		return UEXEC_EXIT_CANNOT_EXECUTE;
	}
	if (pid == 0) {
		close(p[0]);
		wait_gdb_child(prog, argv, envp, opts, fcntl(p[1], F_DUPFD, 3));
	}
	close(p[1]);
	uexec_cmp_read_report(p[0], &r);
	close(p[0]);
	if (waitpid(pid, &status, WUNTRACED) < 0 || !WIFSTOPPED(status))
		return WIFEXITED(status) ? WEXITSTATUS(status) : UEXEC_EXIT_CANNOT_EXECUTE;
	gdb_argv(&r, gargv, 20, bufs);
	fprintf(stderr, "uexec: --wait-gdb: program pid %d stopped before its first "
		"instruction; starting gdb\n", pid);
	execvp("gdb", gargv);
	fprintf(stderr, "uexec: --wait-gdb: gdb: %s; the program (pid %d) is killed\n",
		strerror(errno), pid);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return UEXEC_EXIT_NOT_FOUND;
}
