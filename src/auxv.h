/* SPDX-License-Identifier: MIT */
/* The auxiliary vector of a new exec (auxv.c). */
#ifndef UEXEC_AUXV_H
#define UEXEC_AUXV_H

#include <stdbool.h>
#include <stddef.h>

#include "creds.h"
#include "plan.h"

/* The entries, in order, that this kernel gives a program (uexec's own
 * auxv; rebuilt from getauxval() without /proc).  0 or -errno. */
int uexec_auxv_template(unsigned long (*out)[2], size_t max, size_t *n);

/* What of the exec beyond the plan the auxv says. */
struct uexec_auxv_exec {
	const struct uexec_plan *plan;	/* placed: images, vDSO, arch extras */
	const struct uexec_creds *cred;	/* AT_UID ... AT_SECURE */
	unsigned long at_flags;		/* AT_FLAGS */
	int execfd;			/* AT_EXECFD, or -1 */
	bool platform, base_platform;	/* strings that will be on the stack */
};

/* The new program's auxv (AT_NULL excluded) into OUT (MAX pairs): the
 * template with this exec's values, in the kernel's order; the values
 * that point into the stack are left for the stack builder.  0 or -errno. */
int uexec_auxv_build(const struct uexec_auxv_exec *x, unsigned long (*out)[2],
		     size_t max, size_t *n);

#endif
