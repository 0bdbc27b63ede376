/* SPDX-License-Identifier: MIT */
/* The test tracer's registers on aarch64 (tracer_arch.h). */
#include <elf.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

#include "tracer_arch.h"

_Static_assert(sizeof(struct user_regs_struct) <= sizeof(((struct tracer_regs *)0)->raw),
	       "raw holds user_regs_struct");

const char tracer_arg_names[] = "x0, x1, x2, x3";

int tracer_get_regs(pid_t pid, struct tracer_regs *r)
{
	struct user_regs_struct u;
	struct iovec iov = { &u, sizeof(u) };

	if (ptrace(PTRACE_GETREGSET, pid, (void *)NT_PRSTATUS, &iov))
		return -1;
	memcpy(r->raw, &u, sizeof(u));
	r->pc = u.pc;
	r->sp = u.sp;
	r->flags = u.pstate;
	for (int i = 0; i < 4; i++)
		r->arg[i] = u.regs[i];
	return 0;
}

/* The kernel clears the single-step state itself when the tracer detaches. */
int tracer_before_detach(pid_t pid, struct tracer_regs *r)
{
	(void)pid;
	(void)r;
	return 0;
}
