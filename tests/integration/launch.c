/* SPDX-License-Identifier: MIT */
/*
 * launch [OPTIONS] [--] PROGRAM [ARG...]: prepare the process state an
 * exec must hand over or drop, then run PROGRAM: with execv(2) (the
 * kernel, or "$UEXEC" as PROGRAM), or with -L in this very process through
 * libuexec's uexec_execve(), so that uexec itself has to undo the state.
 *
 *   -i SIG   ignore SIG (stays ignored across exec)
 *   -I SIG   ignore SIG, with flags and a mask (stays ignored, they go)
 *   -c SIG   catch SIG with a handler (becomes default)
 *   -b SIG   block SIG (the mask is kept)
 *   -o FD    open /dev/null as FD (stays open)
 *   -O FD    open /dev/null as FD, close-on-exec (is closed)
 *   -x       close every descriptor above 2 first (those inherited)
 *   -F       fill the vector and FPU control registers (fill_vectors.h)
 *   -L       exec in process with uexec_execve()
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uexec/uexec.h"
#include "fill_vectors.h"

extern char **environ;

static void on_signal(int sig)
{
	(void)sig;
}

static int number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*end || end == s || v < 0 || v > 65535) {
		fprintf(stderr, "launch: not a number: %s\n", s);
		exit(2);
	}
	return (int)v;
}

static void set_disposition(int sig, void (*handler)(int), int with_flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	/* Flags and a mask too: the exec must clear them with the handler. */
	if (with_flags) {
		sa.sa_flags = SA_RESTART | SA_NODEFER;
		sigaddset(&sa.sa_mask, SIGUSR2);
	}
	if (sigaction(sig, &sa, NULL)) {
		fprintf(stderr, "launch: sigaction %d: %s\n", sig, strerror(errno));
		exit(2);
	}
}

static void open_at(int fd, int cloexec)
{
	int tmp = open("/dev/null", O_RDONLY | (cloexec ? O_CLOEXEC : 0));

	if (tmp < 0 || (tmp != fd && dup3(tmp, fd, cloexec ? O_CLOEXEC : 0) < 0)) {
		fprintf(stderr, "launch: fd %d: %s\n", fd, strerror(errno));
		exit(2);
	}
	if (tmp != fd)
		close(tmp);
}

/* Close what this process inherited above stderr, so that the descriptors
 * the options open are all there are. */
static void close_inherited(void)
{
	for (int fd = 3; fd < 65536; fd++)
		close(fd);
}

int main(int argc, char **argv)
{
	sigset_t block;
	int c, in_process = 0, fill = 0;

	sigemptyset(&block);
	while ((c = getopt(argc, argv, "+i:I:c:b:o:O:xFL")) != -1) {
		switch (c) {
		case 'i': set_disposition(number(optarg), SIG_IGN, 0); break;
		case 'I': set_disposition(number(optarg), SIG_IGN, 1); break;
		case 'c': set_disposition(number(optarg), on_signal, 1); break;
		case 'b': sigaddset(&block, number(optarg)); break;
		case 'o': open_at(number(optarg), 0); break;
		case 'O': open_at(number(optarg), 1); break;
		case 'x': close_inherited(); break;
		case 'F': fill = 1; break;
		case 'L': in_process = 1; break;
		default: return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: launch [-i|-I|-c|-b SIG] [-o|-O FD] [-x] [-F] [-L] PROGRAM [ARG...]\n");
		return 2;
	}
	sigprocmask(SIG_BLOCK, &block, NULL);
	if (fill)
		launch_fill_vectors();	/* last: only the exec comes after */
	if (in_process) {
		uexec_execve(argv[optind], argv + optind, environ);
		fprintf(stderr, "launch: uexec_execve: %s\n", uexec_strerror());
		return 127;
	}
	execv(argv[optind], argv + optind);
	fprintf(stderr, "launch: %s: %s\n", argv[optind], strerror(errno));
	return 127;
}
