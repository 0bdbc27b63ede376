/* SPDX-License-Identifier: MIT */
/*
 * Printing a load plan (--dry-run).  The text form is for people; the
 * JSON form (--dry-run --json) is documented in doc/plan-schema.md.
 */
#include <elf.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "binprm.h"


static const char *prot_s(int prot)
{
	static const char *const t[] = { "---", "r--", "-w-", "rw-", "--x", "r-x",
					 "-wx", "rwx" };

	return t[(prot & PROT_READ ? 1 : 0) | (prot & PROT_WRITE ? 2 : 0) |
		 (prot & PROT_EXEC ? 4 : 0)];
}

static void print_image(FILE *out, const char *what, const struct uexec_elf_image *img)
{
	fprintf(out, "%s: %s\n", what, img->path);
	fprintf(out, "  type %s, entry %#lx, load bias %#lx, extent %#lx-%#lx, "
		"phdr %#lx, phnum %zu\n",
		img->e_type == ET_EXEC ? "ET_EXEC" : "ET_DYN",
		(unsigned long)(img->e_entry + img->load_bias),
		(unsigned long)img->load_bias, (unsigned long)(img->lo + img->load_bias),
		(unsigned long)(img->hi + img->load_bias), (unsigned long)img->phdr_addr,
		img->phnum);
}

void uexec_plan_print(const struct uexec_binprm *bprm, FILE *out)
{
	const struct uexec_plan *plan = &bprm->plan;
	const struct uexec_stack *st = &plan->stack;

	fprintf(out, "handler: %s\n", bprm->handler ? bprm->handler->name : "?");
	print_image(out, "program", &plan->exe);
	if (plan->has_interp)
		print_image(out, "interpreter", &plan->interp);
	fprintf(out, "mappings:\n");
	for (size_t i = 0; i < plan->nmaps; i++) {
		const struct uexec_map *m = &plan->maps[i];

		fprintf(out, "  %-7s %-6s %#014lx-%#014lx %s", m->what,
			uexec_map_kind_name(m->kind), (unsigned long)m->addr,
			(unsigned long)(m->addr + m->len), prot_s(m->prot));
		if (m->kind == UEXEC_MAP_FILE)
			fprintf(out, " off %#llx", (unsigned long long)m->off);
		fputc('\n', out);
	}
	fprintf(out, "brk: %#lx\n", (unsigned long)plan->brk);
	fprintf(out, "stack: top %#lx sp %#lx (%zu bytes used)\n",
		(unsigned long)st->top, (unsigned long)st->sp, st->size);
	fprintf(out, "argv:");
	for (size_t i = 0; i < bprm->argv.n; i++)
		fprintf(out, " \"%s\"", bprm->argv.v[i]);
	fprintf(out, "\nauxv:\n");
	for (size_t i = 0; i < st->auxc; i++)
		fprintf(out, "  %2lu %#lx\n", st->auxv_pairs[i][0], st->auxv_pairs[i][1]);
	fprintf(out, "entry: %#lx\n", (unsigned long)plan->entry);
}
