/* SPDX-License-Identifier: MIT */
/*
 * errtab_gen: prints errtab.h for libc_compat.c, one E(number, name, text)
 * line for each errno this glibc names.  Built with the compiler that
 * builds uexec-dynamic, run at build time (never cross-compiled).
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
		printf("E(%d, ", e);
		if (name)
			put_c_string(name);
		else
			printf("NULL");
		printf(", ");
		put_c_string(strerror(e));
		printf(")\n");
	}
	return ferror(stdout) || fflush(stdout) ? 1 : 0;
}
