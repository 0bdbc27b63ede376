/* SPDX-License-Identifier: MIT */
/*
 * The test tracer's view of the registers (tracer.c), one file a machine
 * in tests/debug/arch/.
 */
#ifndef TRACER_ARCH_H
#define TRACER_ARCH_H

#include <sys/types.h>

struct tracer_regs {
	unsigned long pc, sp, flags;	/* flags: eflags, pstate: printed only */
	unsigned long arg[4];		/* registers the entry contract zeroes */
	unsigned long raw[64];		/* the machine's own struct, as read */
};

/* The names of arg[0..3], as the message says them. */
extern const char tracer_arg_names[];

/* Read PID's registers into R: 0, or -1 with errno. */
int tracer_get_regs(pid_t pid, struct tracer_regs *r);
/* Undo what single-stepping to the entry may have left in PID's registers
 * (R as read last), before detaching: 0, or -1 with errno. */
int tracer_before_detach(pid_t pid, struct tracer_regs *r);

#endif
