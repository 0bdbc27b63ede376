/* SPDX-License-Identifier: MIT */
/* What execve.c offers beside the public API (uexec/uexec.h). */
#ifndef UEXEC_EXECVE_H
#define UEXEC_EXECVE_H

#include <stddef.h>

#include "uexec/uexec.h"

/* The one-line reason uexec_strerror() returns (printf-style). */
void uexec_set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* uexec_execve_mem() with options. */
int uexec_execve_mem_opts(const void *buf, size_t len, const char *name,
			  char *const argv[], char *const envp[],
			  const struct uexec_options *opts);

#endif
