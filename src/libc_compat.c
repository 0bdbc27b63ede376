/* SPDX-License-Identifier: MIT */
/* glibc's errno texts and names for the musl CLI: see libc_compat.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/types.h>

#include "libc_compat.h"

/*
 * open() as openat(AT_FDCWD): musl's open() follows every O_CLOEXEC open
 * with fcntl(F_SETFD), for kernels older than 2.6.23, and a launch opens
 * about ten files (musl's openat() does not).  Defined here, it replaces
 * musl's in the static link, as the allocator does.
 */
int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return openat(AT_FDCWD, path, flags, mode);
}

struct errtab_entry {
	const char *name, *text;
};

/* errtab.h, written at build time by errtab_gen: E(NAME, "NAME", text). */
#define E(n, name, text) [n] = { name, text },
static const struct errtab_entry errtab[] = {
#include "errtab.h"
};
#undef E

static const struct errtab_entry *errtab_find(int err)
{
	if (err < 0 || (size_t)err >= sizeof(errtab) / sizeof(errtab[0]) || !errtab[err].text)
		return NULL;
	return &errtab[err];
}

char *uexec_compat_strerror(int err)
{
	static char unknown[32];
	const struct errtab_entry *e = errtab_find(err);

	if (e)
		return (char *)e->text;
	snprintf(unknown, sizeof(unknown), "Unknown error %d", err);
	return unknown;
}

const char *uexec_compat_errname(int err)
{
	const struct errtab_entry *e = errtab_find(err);

	return e ? e->name : NULL;
}
