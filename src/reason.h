/* SPDX-License-Identifier: MIT */
/*
 * The one "write the reason, return -errno" helper of the handler side
 * (binfmt_misc.c, binfmt_d.c, elf_check.c, plugin.c): every failure there
 * is a negative errno plus one line saying why, in the caller's buffer.
 */
#ifndef UEXEC_REASON_H
#define UEXEC_REASON_H

#include <stddef.h>

/*
 * Format FMT into ERR (ERRLEN bytes, always NUL-terminated when ERRLEN > 0,
 * cut to fit) and return -ERRNUM.  No argument may point into ERR.
 */
int uexec_reason(char *err, size_t errlen, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
