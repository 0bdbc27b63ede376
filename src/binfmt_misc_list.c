/* SPDX-License-Identifier: MIT */
/* binfmt_misc rules described for --list-handlers, and in their parsed
 * form for binfmt_cache.c. */
#include <errno.h>
#include <stdio.h>

#include "binfmt_misc.h"
#include "binfmt_misc_rule.h"

int uexec_misc_compiled_of(const struct uexec_binfmt *fmt, struct uexec_misc_compiled *c)
{
	const struct misc_rule *e = uexec_misc_rule_of(fmt);

	if (!e)
		return -ENOENT;
	c->handler_name = e->fmt.name;
	c->name = e->name;
	c->interpreter = e->interpreter;
	c->magic = e->magic;
	c->mask = e->mask;
	c->size = e->size;
	c->offset = e->offset;
	c->flags = e->flags;
	c->magic_type = e->magic_type;
	return 0;
}

const char *uexec_misc_describe(const struct uexec_binfmt *fmt, char *buf, size_t len)
{
	const struct misc_rule *e = uexec_misc_rule_of(fmt);
	FILE *f;

	if (!e || !len)
		return NULL;
	f = fmemopen(buf, len, "w");
	if (!f)
		return NULL;
	if (e->magic_type) {
		fputs("magic ", f);
		for (size_t i = 0; i < e->size; i++)
			fprintf(f, "%02x", e->magic[i]);
		if (e->offset)
			fprintf(f, " at %d", e->offset);
		if (e->mask) {
			fputs(" mask ", f);
			for (size_t i = 0; i < e->size; i++)
				fprintf(f, "%02x", e->mask[i]);
		}
	} else {
		fprintf(f, "extension .%s", (const char *)e->magic);
	}
	fprintf(f, " -> %s", e->interpreter);
	if (e->flags) {
		fputs(" flags ", f);
		if (e->flags & MISC_FMT_PRESERVE_ARGV0)
			fputc('P', f);
		if ((e->flags & MISC_FMT_OPEN_BINARY) && !(e->flags & MISC_FMT_CREDENTIALS))
			fputc('O', f);
		if (e->flags & MISC_FMT_CREDENTIALS)
			fputc('C', f);
		if (e->flags & MISC_FMT_OPEN_FILE)
			fputc('F', f);
	}
	fclose(f);
	buf[len - 1] = '\0';
	return buf;
}

const char *uexec_misc_rule_name(const struct uexec_binfmt *fmt)
{
	const struct misc_rule *e = uexec_misc_rule_of(fmt);

	return e ? e->name : NULL;
}
