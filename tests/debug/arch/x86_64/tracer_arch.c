/* SPDX-License-Identifier: MIT */
/* The test tracer's registers on x86_64 (tracer_arch.h). */
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "tracer_arch.h"

_Static_assert(sizeof(struct user_regs_struct) <= sizeof(((struct tracer_regs *)0)->raw),
	       "raw holds user_regs_struct");

const char tracer_arg_names[] = "rax, rdi, rsi, rdx";

int tracer_get_regs(pid_t pid, struct tracer_regs *r)
{
	struct user_regs_struct u;

	if (ptrace(PTRACE_GETREGS, pid, NULL, &u))
		return -1;
	memcpy(r->raw, &u, sizeof(u));
	r->pc = u.rip;
	r->sp = u.rsp;
	r->flags = u.eflags;
	r->arg[0] = u.rax;
	r->arg[1] = u.rdi;
	r->arg[2] = u.rsi;
	r->arg[3] = u.rdx;
	return 0;
}

/* Single-stepping through popfq can leave TF set: cleared, or the program
 * would die of SIGTRAP once detached. */
int tracer_before_detach(pid_t pid, struct tracer_regs *r)
{
	struct user_regs_struct u;

	memcpy(&u, r->raw, sizeof(u));
	u.eflags &= ~0x100ULL;
	return ptrace(PTRACE_SETREGS, pid, NULL, &u) ? -1 : 0;
}
