/* SPDX-License-Identifier: MIT */
/*
 * threaded PROGRAM: the library refuses to exec in a multi-threaded
 * process (EBUSY, one-line reason) and leaves it working; then, with the
 * thread gone, the same call runs PROGRAM.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "uexec/uexec.h"

extern char **environ;
static volatile int stop;

static void *spin(void *arg)
{
	(void)arg;
	while (!stop)
		usleep(1000);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	int r;

	if (argc < 2)
		return 2;
	pthread_create(&t, NULL, spin, NULL);
	r = uexec_execve(argv[1], argv + 1, environ);
	if (r != -1 || errno != EBUSY || !strstr(uexec_strerror(), "threads")) {
		printf("FAIL: with a thread: r=%d errno=%d (%s)\n", r, errno, uexec_strerror());
		return 1;
	}
	printf("refused: %s\n", uexec_strerror());
	stop = 1;
	pthread_join(t, NULL);
	/* The process still works: stdio, malloc, the thread's stack gone. */
	fflush(stdout);
	usleep(20000);	/* the kernel reaps the thread's task after join */
	r = uexec_execve(argv[1], argv + 1, environ);
	printf("FAIL: exec after join: %s\n", uexec_strerror());
	return 1;
}
