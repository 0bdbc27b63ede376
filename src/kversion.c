/* SPDX-License-Identifier: MIT */
/* The running kernel's version: the contract is kversion.h's. */
#include <sys/utsname.h>

#include "kversion.h"

/* The leading decimal number of *S (0 without digits), *S moved past it. */
static int leading_number(const char **s)
{
	int v = 0;

	for (; **s >= '0' && **s <= '9' && v < 100000; (*s)++)
		v = v * 10 + (**s - '0');
	return v;
}

/* No sscanf: on the launch path a fork's child pays a page fault for each
 * page of scanf's code. */
int uexec_kernel_version_of(const char *s)
{
	int major = leading_number(&s), minor = 0;

	if (!major || major > 999)
		return 0;
	if (*s == '.') {
		s++;
		minor = leading_number(&s);
	}
	return minor > 999 ? 0 : UEXEC_KVERSION(major, minor);
}

int uexec_kernel_version(void)
{
	static int version = -1;
	struct utsname u;

	if (version < 0)
		version = uname(&u) ? 0 : uexec_kernel_version_of(u.release);
	return version;
}
