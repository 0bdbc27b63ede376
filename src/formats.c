/* SPDX-License-Identifier: MIT */
/*
 * The handler list (the kernel's formats list) and its management; see
 * formats.h.  Handlers are borrowed: the list links them through their
 * `next` member and never frees one.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "binfmt_elf.h"
#include "binprm.h"
#include "debug.h"
#include "exec.h"
#include "execve.h"
#include "binfmt_d.h"
#include "binfmt_misc.h"
#include "binfmt_script.h"
#include "formats.h"

static struct uexec_binfmt *formats;

void uexec_register_binfmt(struct uexec_binfmt *fmt)
{
	struct uexec_binfmt **pp = &formats;

	while (*pp && *pp != fmt)
		pp = &(*pp)->next;
	if (*pp)
		return;
	fmt->next = NULL;
	if (!fmt->origin)
		fmt->origin = "built-in";
	fmt->enabled = 1;
	*pp = fmt;
}

void uexec_insert_binfmt(struct uexec_binfmt *fmt)
{
	uexec_unregister_binfmt(fmt);
	uexec_push_binfmt(fmt);
}

void uexec_push_binfmt(struct uexec_binfmt *fmt)
{
	if (!fmt->origin)
		fmt->origin = "built-in";
	fmt->enabled = 1;
	fmt->next = formats;
	formats = fmt;
}

void uexec_unregister_binfmt(struct uexec_binfmt *fmt)
{
	struct uexec_binfmt **pp;

	for (pp = &formats; *pp; pp = &(*pp)->next) {
		if (*pp == fmt) {
			*pp = fmt->next;
			fmt->next = NULL;
			return;
		}
	}
}

struct uexec_binfmt *uexec_binfmt_first(void)
{
	return formats;
}

void uexec_builtin_formats_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	/* The kernel's order: (binfmt_misc rules go in front), script, ELF. */
	uexec_register_binfmt(&uexec_script_format);
	uexec_register_binfmt(&uexec_elf_format);
}

void uexec_handlers_init(unsigned int debug, FILE *out)
{
	if (debug) {
		uexec_debug_mask = debug;
		uexec_debug_file = out;
	}
	uexec_builtin_formats_init();
}

void uexec_list_handlers(FILE *out)
{
	char desc[1024];
	int i = 0;

	for (struct uexec_binfmt *fmt = formats; fmt; fmt = fmt->next) {
		const char *d = uexec_misc_describe(fmt, desc, sizeof(desc));

		fprintf(out, "%3d  %-24s %-8s  %s\n", ++i, fmt->name,
			fmt->enabled ? "enabled" : "disabled",
			fmt->origin ? fmt->origin : "built-in");
		if (d)
			fprintf(out, "     %s\n", d);
	}
	uexec_binfmt_d_list_skipped(out);
}

int uexec_disable_handler(const char *name)
{
	int n = 0;

	for (struct uexec_binfmt *fmt = formats; fmt; fmt = fmt->next) {
		const char *rule = uexec_misc_rule_name(fmt);

		if (!strcmp(fmt->name, name) || (rule && !strcmp(rule, name))) {
			fmt->enabled = 0;
			n++;
		}
	}
	return n;
}
