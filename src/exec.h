/* SPDX-License-Identifier: MIT */
/* The exec core (exec.c); every call runs before the point of no return. */
#ifndef UEXEC_EXEC_H
#define UEXEC_EXEC_H

#include <stddef.h>

#include "binprm.h"

/* Open PATH for execution (the kernel's do_open_execat + may_open): an
 * O_CLOEXEC descriptor of a regular, executable file on a mount that
 * allows exec, or -errno with the reason (without the file name) in ERR. */
int uexec_open_exec(const char *path, int *fd_out, char *err, size_t errlen);
/* The same checks for a descriptor the caller opened. */
int uexec_check_exec_fd(int fd, char *err, size_t errlen);

/* alloc_bprm(): open PATH (or take FD), copy ARGV and ENVP, apply
 * -a/--argv0, give an empty argv "" (Linux >= 5.18).  On failure -errno
 * with the reason in bprm->err; the binprm is freed by the caller. */
int uexec_bprm_init(struct uexec_binprm *bprm, const char *path, int fd,
		    char *const argv[], char *const envp[]);
/* bprm_stack_limits() for RLIM_STACK (RLIMIT_STACK's soft limit). */
int uexec_bprm_stack_limits(struct uexec_binprm *bprm, size_t rlim_stack);

/* Try each enabled handler on the current file: 0 accepted (a plan, or a
 * rewrite in bprm->next_fd), -ENOEXEC none took it, -errno failed. */
int uexec_search_binary_handler(struct uexec_binprm *bprm);
/* The rewrite loop: 0 when a handler made a plan, -errno otherwise
 * (ELOOP past UEXEC_MAX_REWRITE_DEPTH rewrites). */
int uexec_exec_binprm(struct uexec_binprm *bprm);

#endif
