/* SPDX-License-Identifier: MIT */
/*
 * The point of no return (commit.c): the kernel's begin_new_exec and what
 * follows it.  On entry the plan is mapped and the final stage prepared;
 * nothing of the caller has changed but those new mappings.  It does not
 * return: a failure after it is one line on stderr and _exit(127).
 */
#ifndef UEXEC_COMMIT_H
#define UEXEC_COMMIT_H

#include "binprm.h"
#include "final_prepare.h"

/*
 * The last step before the point of no return: the system calls the
 * commit and the final stage need are tried where they do nothing (a
 * seccomp filter that denies one is seen now), then glibc's rseq
 * registration of this thread is undone (the kernel writes into the area
 * on every preemption, and uexec is about to unmap it).  Nothing may fail
 * after it but the commit.  Returns 0, or -errno with the reason in BPRM
 * where the kernel refuses (a filter that denies one of those calls, or
 * rseq after glibc registered): the caller is then as it was.
 */
int uexec_commit_prepare(struct uexec_binprm *bprm);

__attribute__((noreturn)) void uexec_commit(struct uexec_binprm *bprm,
					    struct uexec_handover *ho);

#endif
