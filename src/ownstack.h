/* SPDX-License-Identifier: MIT */
#ifndef UEXEC_OWNSTACK_H
#define UEXEC_OWNSTACK_H

#include <stdbool.h>

/*
 * uexec's work on a stack of its own.  The stack a process is given holds
 * the arguments and environment the kernel put there and may grow only to
 * RLIMIT_STACK: under a small limit, an exec the kernel would run (its own
 * work is on the kernel stack) leaves uexec no room.  So the exec runs on
 * a stack mapped for it (16 MiB reserved, not committed, not counted
 * against RLIMIT_STACK; its lowest page the guard).  The final stage
 * removes it with every other mapping of uexec's; on a return it is
 * unmapped here.
 *
 * uexec_on_own_stack(FN, ARG) returns FN(ARG), with FN's errno.  FN runs on the stack it
 * was called on where none can be mapped, in a sanitizer build (which
 * cannot follow the switch), and when a call is already on one (nested).
 * One call at a time: the exec it serves is one at a time too.
 */
int uexec_on_own_stack(int (*fn)(void *), void *arg);

/*
 * Whether the process's new anonymous mappings are faulted in as they are
 * made, as mlockall(MCL_FUTURE) makes them: the own stack's lowest page
 * above the guard, which nothing touches, is resident then (mincore(2)).
 * false where no own stack is in use, or under MCL_FUTURE | MCL_ONFAULT,
 * which faults nothing in.
 */
bool uexec_own_stack_prefaulted(void);

#endif
