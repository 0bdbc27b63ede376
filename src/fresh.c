/* SPDX-License-Identifier: MIT */
/* The state of a process the kernel has just exec'd (fresh.h). */
#include <pthread.h>
#include <stddef.h>
#include <unistd.h>

#include "fresh.h"

#define HELD_MAX 16

static struct {
	bool on;
	const unsigned long *auxv;
	int held[HELD_MAX];
	size_t nheld;
	unsigned int lost;		/* held but not noted: no room */
} fresh;

static void forget_in_child(void)
{
	uexec_fresh_process_forget();
}

void uexec_fresh_process_announce(char **envp)
{
	char **p = envp;

	if (!p)
		return;
	while (*p)
		p++;
	if (pthread_atfork(NULL, NULL, forget_in_child))
		return;
	fresh.auxv = (const unsigned long *)(p + 1);
	fresh.on = true;
}

void uexec_fresh_process_forget(void)
{
	fresh.on = false;
	fresh.auxv = NULL;
}

bool uexec_fresh_process(void)
{
	return fresh.on;
}

const unsigned long *uexec_fresh_process_auxv(void)
{
	return fresh.on ? fresh.auxv : NULL;
}

int uexec_fresh_process_hold_fd(int fd)
{
	if (fresh.nheld < HELD_MAX)
		fresh.held[fresh.nheld++] = fd;
	else
		fresh.lost++;
	return fd;
}

void uexec_fresh_process_close_held_fd(int fd)
{
	size_t i = 0;

	while (i < fresh.nheld && fresh.held[i] != fd)
		i++;
	if (i < fresh.nheld)
		fresh.held[i] = fresh.held[--fresh.nheld];
	else if (fresh.lost)
		fresh.lost--;
	close(fd);
}

size_t uexec_fresh_process_held(const int **fds)
{
	*fds = fresh.held;
	return fresh.lost ? (size_t)-1 : fresh.nheld;
}
