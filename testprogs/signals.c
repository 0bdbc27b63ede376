/* SPDX-License-Identifier: MIT */
/*
 * signals: print the disposition of signals 1..64 as the program finds
 * them (default, ignored or caught: after an exec nothing may be caught,
 * and no signal has flags or a mask left),
 * the blocked mask and the pending set.  The harness compares this with
 * the same program started by the kernel from the same state.
 * Raw rt_sigaction/rt_sigprocmask: libc hides its own signals.
 */
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "check.h"

struct ksigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

static const char *disposition(int sig, unsigned long *flags, unsigned long *mask)
{
	struct ksigaction old;

	memset(&old, 0, sizeof(old));
	if (syscall(SYS_rt_sigaction, sig, NULL, &old, 8))
		return "error";
	*flags = old.flags;
	*mask = old.mask;
	if (old.handler == SIG_DFL)
		return "default";
	if (old.handler == SIG_IGN)
		return "ignored";
	return "caught";
}

int main(void)
{
	unsigned long blocked = 0, pending = 0;

	for (int sig = 1; sig <= 64; sig++) {
		unsigned long flags = 0, mask = 0;
		const char *d = disposition(sig, &flags, &mask);

		printf("signal %d: %s\n", sig, d);
		if (flags || mask)
			printf("signal %d: flags %#lx mask %#lx\n", sig, flags, mask);
		CHECK(strcmp(d, "caught"), "signal %d is caught at startup", sig);
		/* flush_signal_handlers(): no flags, an empty mask, ignored
		 * signals included. */
		CHECK(!flags && !mask, "signal %d has flags %#lx, mask %#lx at startup", sig,
		      flags, mask);
		CHECK(strcmp(d, "error"), "signal %d: rt_sigaction failed", sig);
	}
	CHECK(!syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &blocked, 8),
	      "rt_sigprocmask failed");
	CHECK(!syscall(SYS_rt_sigpending, &pending, 8), "rt_sigpending failed");
	printf("blocked: %#lx\npending: %#lx\n", blocked, pending);
	return check_exit();
}
