/* SPDX-License-Identifier: MIT */
/*
 * errtab_gen: prints errtab.h for libc_compat.c, one E(NAME, "NAME", text)
 * line for each errno this glibc names (and E(0, "0", "Success")).  Built
 * and run on the build machine (CC_FOR_BUILD); the table is indexed by the
 * names, so that the target's own errno.h numbers it when cross compiling.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <string.h>

static void put_c_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

int main(void)
{
	printf("/* Written by errtab_gen from this system's glibc: do not edit. */\n");
	for (int e = 0; e < 4096; e++) {
		const char *name = strerrorname_np(e);

		if (!name && e)
			continue;
		if (name && e)
			printf("E(%s, ", name);
		else
			printf("E(%d, ", e);
		put_c_string(name ? name : "0");
		printf(", ");
		put_c_string(strerror(e));
		printf(")\n");
	}
	return ferror(stdout) || fflush(stdout) ? 1 : 0;
}
