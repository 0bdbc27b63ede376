/* SPDX-License-Identifier: MIT */
/* The arch's part of tests/core/execstate.c (tests/core/arch/ARCH/). */
#ifndef EXECSTATE_ARCH_H
#define EXECSTATE_ARCH_H

#include <stddef.h>

/* Set the state exec resets; what a check needs to know of it into TOKEN.
 * 0, 77 (none of it here), or 1 (FAIL printed). */
int execstate_set(char *token, size_t len);
/* Is it reset, as after the kernel's exec?  0, or 1 with FAIL lines. */
int execstate_check(const char *token);

#endif
