/* SPDX-License-Identifier: MIT */
/* glibc's errno texts and names for the musl CLI: see libc_compat.h. */
#include <stdio.h>

#include "libc_compat.h"

struct errtab_entry {
	const char *name, *text;
};

/* errtab.h, written at build time by errtab_gen: E(number, name, text). */
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
