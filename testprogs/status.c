/* SPDX-License-Identifier: MIT */
/*
 * status exit N | status raise SIG | status segv: end with exit status N,
 * by raising signal number SIG, or by a real fault (SIGSEGV).  Whoever ran
 * it must see the same wait status as when the kernel runs it.
 */
#include <signal.h>

#include "check.h"

/* Page 0 is never mapped; volatile hides that from the compiler. */
static volatile uintptr_t fault_addr = 8;

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "exit")) {
		fflush(stdout);
		exit(atoi(argv[2]));
	}
	if (argc == 3 && !strcmp(argv[1], "raise")) {
		/* Unblocked and default, whatever the parent left. */
		sigset_t set;
		int sig = atoi(argv[2]);

		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		signal(sig, SIG_DFL);
		raise(sig);
		CHECK(0, "still alive after raise(%d)", sig);
		return check_exit();
	}
	if (argc == 2 && !strcmp(argv[1], "segv")) {
		signal(SIGSEGV, SIG_DFL);
		*(volatile int *)fault_addr = 1;
		CHECK(0, "still alive after a write to address 8");
		return check_exit();
	}
	CHECK(0, "usage: status exit N | raise SIG | segv");
	return check_exit() ? 2 : 0;
}
