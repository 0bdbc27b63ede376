/* SPDX-License-Identifier: MIT */
/* See reason.h. */
#include <stdarg.h>
#include <stdio.h>

#include "reason.h"

int uexec_reason(char *err, size_t errlen, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -errnum;
}
