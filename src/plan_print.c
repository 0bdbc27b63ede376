/* SPDX-License-Identifier: MIT */
/*
 * Printing a load plan (--dry-run).  The text form is for people; the
 * JSON form (--dry-run --json) is one document whose schema is
 * doc/plan-schema.md ("schema": "uexec-plan", "version": 1).  Addresses and
 * other machine words are strings "0x..." (JSON numbers lose bits past
 * 2^53); counts, indices and descriptors are numbers.
 */
#include <elf.h>
#include <errno.h>
#include <gelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "archdep.h"
#include "binprm.h"
#include "debug.h"
#include "escape.h"
#include "layout_view.h"
#include "plan_print.h"
#include "stack.h"

/* ------------------------------------------------------------------ */
/* A small JSON writer: pretty-printed, two spaces a level. */

#define JW_DEPTH 16

struct jw {
	FILE *f;
	int depth;
	uintptr_t stack_top;	/* for top_offset */
	bool more[JW_DEPTH];	/* a value was written at this level */
};

static void jw_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else if (*p >= 0x80)
			fprintf(f, "\\u%04x", *p);	/* bytes, not UTF-8: keep them apart */
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* Start a value: comma, newline, indentation, and "KEY": when in an object. */
static void jw_key(struct jw *w, const char *key)
{
	if (w->depth > 0) {
		fputs(w->more[w->depth] ? ",\n" : "\n", w->f);
		w->more[w->depth] = true;
		fprintf(w->f, "%*s", 2 * w->depth, "");
	}
	if (key) {
		jw_string(w->f, key);
		fputs(": ", w->f);
	}
}

static void jw_open(struct jw *w, const char *key, char c)
{
	jw_key(w, key);
	fputc(c, w->f);
	if (w->depth + 1 < JW_DEPTH)
		w->more[++w->depth] = false;
}

static void jw_close(struct jw *w, char c)
{
	bool had = w->more[w->depth];

	w->depth--;
	if (had)
		fprintf(w->f, "\n%*s", 2 * w->depth, "");
	fputc(c, w->f);
	if (w->depth == 0)
		fputc('\n', w->f);
}

#define jw_obj(w, key) jw_open((w), (key), '{')
#define jw_end_obj(w) jw_close((w), '}')
#define jw_arr(w, key) jw_open((w), (key), '[')
#define jw_end_arr(w) jw_close((w), ']')

static void jw_str(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	if (s)
		jw_string(w->f, s);
	else
		fputs("null", w->f);
}

static void jw_hex(struct jw *w, const char *key, unsigned long long v)
{
	jw_key(w, key);
	fprintf(w->f, "\"0x%llx\"", v);
}

static void jw_int(struct jw *w, const char *key, long long v)
{
	jw_key(w, key);
	fprintf(w->f, "%lld", v);
}

static void jw_bool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	fputs(v ? "true" : "false", w->f);
}

static void jw_null(struct jw *w, const char *key)
{
	jw_key(w, key);
	fputs("null", w->f);
}

/* {"start": A, "end": B} */
static void jw_range(struct jw *w, const char *key, unsigned long a, unsigned long b)
{
	jw_obj(w, key);
	jw_hex(w, "start", a);
	jw_hex(w, "end", b);
	jw_end_obj(w);
}

/* ------------------------------------------------------------------ */
/* Shared helpers */

static const char *handler_result(const struct uexec_handler_step *s)
{
	if (s->ret == 0)
		return s->rewrote ? "rewrite" : "accept";
	return s->ret == -ENOEXEC ? "decline" : "fail";
}


/* ------------------------------------------------------------------ */
/* JSON */

static void json_image(struct jw *w, const char *key, const struct uexec_elf_image *img)
{
	const GElf_Phdr *ph = img->phdrs;
	char t[24];

	jw_obj(w, key);
	jw_str(w, "path", img->path);
	jw_str(w, "type", img->e_type == ET_EXEC ? "ET_EXEC" : "ET_DYN");
	jw_int(w, "machine", img->e_machine);
	jw_int(w, "file_size", (long long)img->file_size);
	jw_hex(w, "entry", img->e_entry + img->load_bias);
	jw_hex(w, "entry_unbiased", img->e_entry);
	jw_hex(w, "load_bias", img->load_bias);
	jw_range(w, "extent", img->lo + img->load_bias, img->hi + img->load_bias);
	jw_hex(w, "max_align", img->max_align);
	jw_hex(w, "phdr", img->phdr_addr);
	jw_int(w, "phnum", (long long)img->phnum);
	jw_str(w, "interp", img->interp);
	jw_bool(w, "stack_executable", img->stack_prot & PROT_EXEC);
	jw_range(w, "code", img->start_code, img->end_code);
	jw_range(w, "data", img->start_data, img->end_data);
	jw_hex(w, "bss_start", img->elf_bss);
	jw_hex(w, "bss_end", img->elf_brk);
	jw_arr(w, "phdrs");
	for (size_t i = 0; ph && i < img->phnum; i++) {
		jw_obj(w, NULL);
		jw_int(w, "index", (long long)i);
		jw_str(w, "type", uexec_phdr_type_name(ph[i].p_type, t, sizeof(t)));
		jw_hex(w, "offset", ph[i].p_offset);
		jw_hex(w, "vaddr", ph[i].p_vaddr);
		jw_hex(w, "filesz", ph[i].p_filesz);
		jw_hex(w, "memsz", ph[i].p_memsz);
		jw_str(w, "flags", uexec_pflags_string(ph[i].p_flags));
		jw_hex(w, "align", ph[i].p_align);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_end_obj(w);
}

static void json_handlers(struct jw *w, const struct uexec_binprm *bprm)
{
	size_t n;
	const struct uexec_handler_step *s = uexec_trace_chain(&n);

	jw_str(w, "handler", bprm->handler ? bprm->handler->name : NULL);
	jw_arr(w, "handlers");
	for (size_t i = 0; i < n; i++) {
		jw_obj(w, NULL);
		jw_str(w, "handler", s[i].handler);
		jw_str(w, "file", s[i].file);
		jw_int(w, "depth", s[i].depth);
		jw_str(w, "result", handler_result(&s[i]));
		if (s[i].ret && s[i].ret != -ENOEXEC)
			jw_str(w, "errno", strerrorname_np(-s[i].ret));
		else
			jw_null(w, "errno");
		jw_end_obj(w);
	}
	jw_end_arr(w);
}

static void json_strv(struct jw *w, const char *key, const struct uexec_strv *sv)
{
	jw_arr(w, key);
	for (size_t i = 0; i < sv->n; i++)
		jw_str(w, NULL, sv->v[i]);
	jw_end_arr(w);
}

static void json_binprm(struct jw *w, const struct uexec_binprm *bprm)
{
	jw_obj(w, "binprm");
	jw_str(w, "filename", bprm->filename);
	jw_str(w, "interp_name", bprm->interp_name);
	jw_int(w, "depth", bprm->depth);
	jw_obj(w, "interp_flags");
	jw_bool(w, "preserve_argv0", bprm->interp_flags & UEXEC_BINPRM_F_PRESERVE_ARGV0);
	jw_bool(w, "execfd", bprm->interp_flags & UEXEC_BINPRM_F_EXECFD);
	jw_end_obj(w);
	jw_int(w, "execfd", bprm->execfd);
	json_strv(w, "argv", &bprm->argv);
	json_strv(w, "envp", &bprm->envp);
	jw_end_obj(w);
}

static void json_mappings(struct jw *w, const struct uexec_plan *plan)
{
	jw_arr(w, "mappings");
	for (size_t i = 0; i < plan->nmaps; i++) {
		const struct uexec_map *m = &plan->maps[i];

		jw_obj(w, NULL);
		jw_int(w, "step", (long long)i);
		jw_str(w, "kind", uexec_map_kind_name(m->kind));
		jw_str(w, "what", m->what);
		jw_hex(w, "start", m->addr);
		jw_hex(w, "end", m->addr + m->len);
		jw_hex(w, "size", m->len);
		jw_str(w, "prot", uexec_prot_string(m->prot));
		jw_int(w, "prot_value", m->prot);
		if (m->kind == UEXEC_MAP_FILE)
			jw_hex(w, "offset", (unsigned long long)m->off);
		else
			jw_null(w, "offset");
		jw_end_obj(w);
	}
	jw_end_arr(w);
}

/* A slot's object, opened with its index and address. */
static struct jw *json_slot_open(const struct uexec_stack_slot *sl, void *arg)
{
	struct jw *w = arg;

	jw_obj(w, NULL);
	jw_int(w, "index", (long long)sl->index);
	jw_hex(w, "addr", sl->at);
	return w;
}

/* The entries of argv and envp (the vector's object is open). */
static void json_vector_slot(const struct uexec_stack_slot *sl, void *arg)
{
	struct jw *w = json_slot_open(sl, arg);

	jw_hex(w, "value", sl->value);
	jw_hex(w, "top_offset", w->stack_top - sl->value);
	jw_str(w, "string", sl->string);
	jw_end_obj(w);
}

/* auxv's entries (the array is open). */
static void json_auxv_slot(const struct uexec_stack_slot *sl, void *arg)
{
	struct jw *w = json_slot_open(sl, arg);

	jw_int(w, "key", (long long)sl->key);
	jw_str(w, "name", uexec_auxv_name(sl->key));
	jw_hex(w, "value", sl->value);
	jw_bool(w, "pointer", uexec_auxv_is_pointer(sl->key));
	if (sl->string)
		jw_str(w, "string", sl->string);
	jw_end_obj(w);
}

/* Send the slots of one vector of ST to FN. */
struct pick {
	const char *vector;
	uexec_stack_visit_fn *fn;
	void *arg;
};

static void pick_slot(const struct uexec_stack_slot *sl, void *arg)
{
	const struct pick *p = arg;

	if (!strcmp(sl->vector, p->vector))
		p->fn(sl, p->arg);
}

static void visit_one(const struct uexec_stack *st, const char *vector,
		      uexec_stack_visit_fn *fn, void *arg)
{
	struct pick p = { vector, fn, arg };

	uexec_stack_visit(st, pick_slot, &p);
}

/* argv or envp: each pointer with its address, value and string. */
static void json_vector(struct jw *w, const char *key, const struct uexec_stack *st,
			uintptr_t base, size_t n)
{
	jw_obj(w, key);
	jw_hex(w, "addr", base);
	jw_arr(w, "entries");
	w->stack_top = st->top;
	visit_one(st, key, json_vector_slot, w);
	jw_end_arr(w);
	jw_hex(w, "null_addr", base + n * st->word);
	jw_end_obj(w);
}

static void json_random(struct jw *w, const struct uexec_stack *st)
{
	char hex[33];

	for (size_t i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x",
			 st->random >= st->sp && st->random + 16 <= st->sp + st->size ?
			 st->image[st->random - st->sp + i] : 0);
	jw_obj(w, "random");
	jw_hex(w, "addr", st->random);
	jw_hex(w, "top_offset", st->top - st->random);
	jw_str(w, "bytes", hex);
	jw_end_obj(w);
}

static void json_stack(struct jw *w, const struct uexec_binprm *bprm)
{
	const struct uexec_stack *st = &bprm->plan.stack;

	jw_obj(w, "stack");
	jw_hex(w, "top", st->top);
	jw_hex(w, "sp", st->sp);
	jw_hex(w, "size", st->size);
	jw_range(w, "mapping", st->top - st->map_size, st->top);
	if (st->rlimit == (size_t)-1)
		jw_null(w, "rlimit");
	else
		jw_hex(w, "rlimit", st->rlimit);
	jw_int(w, "argc", (long long)st->argc);
	json_vector(w, "argv", st, st->argv, st->argc);
	json_vector(w, "envp", st, st->envp, st->envc);
	jw_hex(w, "auxv_addr", st->auxv);
	jw_obj(w, "execfn");
	jw_hex(w, "addr", st->execfn);
	jw_str(w, "string", uexec_stack_string(st, st->execfn));
	jw_end_obj(w);
	if (st->platform) {
		jw_obj(w, "platform");
		jw_hex(w, "addr", st->platform);
		jw_str(w, "string", uexec_stack_string(st, st->platform));
		jw_end_obj(w);
	} else {
		jw_null(w, "platform");
	}
	json_random(w, st);
	jw_range(w, "args", st->arg_start, st->arg_end);
	jw_range(w, "env", st->env_start, st->env_end);
	jw_end_obj(w);
}

static void json_auxv(struct jw *w, const struct uexec_stack *st)
{
	jw_arr(w, "auxv");
	visit_one(st, "auxv", json_auxv_slot, w);
	jw_end_arr(w);
}

static void json_registers(struct jw *w, const struct uexec_plan *plan)
{
	struct uexec_reg regs[UEXEC_MAX_REGS];
	size_t n = uexec_arch_entry_registers(plan->entry, plan->stack.sp, regs, UEXEC_MAX_REGS);

	jw_obj(w, "registers");
	for (size_t i = 0; i < n; i++)
		jw_hex(w, regs[i].name, regs[i].value);
	jw_end_obj(w);
}

/* MMAP_PAGE_ZERO's page (plan.h), as the plan's JSON names it. */
static const char *page_zero_name(int how)
{
	switch (how) {
	case UEXEC_PAGE_ZERO_MAP: return "map";
	case UEXEC_PAGE_ZERO_MAP_SEAL: return "map-seal";
	case UEXEC_PAGE_ZERO_KEEP: return "keep";
	default: return "none";
	}
}

static void plan_print_json(const struct uexec_binprm *bprm, FILE *out)
{
	const struct uexec_plan *plan = &bprm->plan;
	struct jw w = { .f = out };

	jw_obj(&w, NULL);
	jw_str(&w, "schema", "uexec-plan");
	jw_int(&w, "version", 1);
	jw_str(&w, "status", "ok");
	jw_str(&w, "arch", UEXEC_ARCH_NAME);
	json_handlers(&w, bprm);
	json_binprm(&w, bprm);
	json_image(&w, "program", &plan->exe);
	if (plan->has_interp)
		json_image(&w, "interpreter", &plan->interp);
	else
		jw_null(&w, "interpreter");
	jw_obj(&w, "layout");
	jw_bool(&w, "randomize", plan->randomize);
	jw_hex(&w, "personality", plan->personality);
	jw_str(&w, "gnu_properties", uexec_arch_elf_state_string(&plan->elf_state));
	jw_str(&w, "page_zero", page_zero_name(plan->page_zero));
	jw_end_obj(&w);
	json_mappings(&w, plan);
	jw_obj(&w, "brk");
	jw_hex(&w, "start_brk", plan->start_brk);
	jw_hex(&w, "brk", plan->brk);
	jw_end_obj(&w);
	json_stack(&w, bprm);
	json_auxv(&w, &plan->stack);
	jw_hex(&w, "entry", plan->entry);
	json_registers(&w, plan);
	jw_end_obj(&w);
}

void uexec_plan_print_json_error(FILE *out, const char *msg, int err, int status)
{
	struct jw w = { .f = out };

	jw_obj(&w, NULL);
	jw_str(&w, "schema", "uexec-plan");
	jw_int(&w, "version", 1);
	jw_str(&w, "status", "error");
	jw_obj(&w, "error");
	jw_str(&w, "errno", strerrorname_np(err));
	jw_int(&w, "code", err);
	jw_str(&w, "message", msg);
	jw_int(&w, "exit_status", status);
	jw_end_obj(&w);
	jw_end_obj(&w);
	fflush(out);
}

/* ------------------------------------------------------------------ */
/* Text */

static void print_image(FILE *out, const char *what, const struct uexec_elf_image *img)
{
	char e[4096];

	fprintf(out, "%s: %s\n", what, uexec_escape(img->path, e, sizeof(e)));
	fprintf(out, "  type %s, entry %#lx, load bias %#lx, extent %#lx-%#lx, "
		"phdr %#lx, phnum %zu\n",
		img->e_type == ET_EXEC ? "ET_EXEC" : "ET_DYN",
		(unsigned long)(img->e_entry + img->load_bias),
		(unsigned long)img->load_bias, (unsigned long)(img->lo + img->load_bias),
		(unsigned long)(img->hi + img->load_bias), (unsigned long)img->phdr_addr,
		img->phnum);
	if (img->interp)
		fprintf(out, "  interpreter requested: %s\n",
			uexec_escape(img->interp, e, sizeof(e)));
}

static void print_handlers(FILE *out, const struct uexec_binprm *bprm)
{
	size_t n;
	const struct uexec_handler_step *s = uexec_trace_chain(&n);
	char eh[256], ef[1024];

	fprintf(out, "handler: %s\n", uexec_escape(bprm->handler ? bprm->handler->name : "?",
						     eh, sizeof(eh)));
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %s on %s: %s%s%s\n", uexec_escape(s[i].handler, eh, sizeof(eh)),
			uexec_escape(s[i].file, ef, sizeof(ef)),
			handler_result(&s[i]), s[i].ret && s[i].ret != -ENOEXEC ? " " : "",
			s[i].ret && s[i].ret != -ENOEXEC ? strerrorname_np(-s[i].ret) : "");
}

struct text {
	FILE *out;
	const struct uexec_stack *st;
};

static void print_slot(const struct uexec_stack_slot *sl, void *arg)
{
	const struct text *t = arg;
	const char *name = uexec_auxv_name(sl->key);
	char q[300];

	if (strcmp(sl->vector, "auxv")) {
		fprintf(t->out, "  %s[%zu] %#lx -> %#lx (top-%#lx) %s\n", sl->vector, sl->index,
			(unsigned long)sl->at, sl->value, (unsigned long)(t->st->top - sl->value),
			uexec_quote(sl->string, q, sizeof(q)));
		return;
	}
	if (sl->index == 0)
		fprintf(t->out, "auxv: at %#lx\n", (unsigned long)t->st->auxv);
	fprintf(t->out, "  %-20s %#lx", name ? name : "AT_?", sl->value);
	if (sl->string)
		fprintf(t->out, " %s", uexec_quote(sl->string, q, sizeof(q)));
	fputc('\n', t->out);
}

static void print_stack(FILE *out, const struct uexec_binprm *bprm)
{
	const struct uexec_stack *st = &bprm->plan.stack;
	struct text t = { out, st };

	fprintf(out, "stack: top %#lx sp %#lx (%zu bytes used), mapping %#lx-%#lx\n",
		(unsigned long)st->top, (unsigned long)st->sp, st->size,
		(unsigned long)(st->top - st->map_size), (unsigned long)st->top);
	fprintf(out, "  argc %zu at %#lx\n", st->argc, (unsigned long)st->sp);
	uexec_stack_visit(st, print_slot, &t);
}

static void plan_print_text(const struct uexec_binprm *bprm, FILE *out)
{
	const struct uexec_plan *plan = &bprm->plan;
	struct uexec_reg regs[UEXEC_MAX_REGS];
	size_t nregs;

	print_handlers(out, bprm);
	print_image(out, "program", &plan->exe);
	if (plan->has_interp)
		print_image(out, "interpreter", &plan->interp);
	if (*uexec_arch_elf_state_string(&plan->elf_state))
		fprintf(out, "gnu properties: %s (on the executable segments of the %s)\n",
			uexec_arch_elf_state_string(&plan->elf_state),
			plan->has_interp ? "interpreter" : "program");
	fprintf(out, "mappings:\n");
	for (size_t i = 0; i < plan->nmaps; i++) {
		const struct uexec_map *m = &plan->maps[i];

		fprintf(out, "  %-7s %-7s %#014lx-%#014lx %s", m->what,
			uexec_map_kind_name(m->kind), (unsigned long)m->addr,
			(unsigned long)(m->addr + m->len), uexec_prot_string(m->prot));
		if (m->prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
			fprintf(out, " (prot %#x)", (unsigned)m->prot);
		if (m->kind == UEXEC_MAP_FILE)
			fprintf(out, " off %#llx", (unsigned long long)m->off);
		fputc('\n', out);
	}
	if (plan->page_zero)
		fprintf(out, "page zero (MMAP_PAGE_ZERO): %s\n",
			plan->page_zero == UEXEC_PAGE_ZERO_KEEP ? "the caller's sealed page stays" :
			plan->page_zero == UEXEC_PAGE_ZERO_MAP ? "mapped by the final stage" :
			"mapped and sealed by the final stage");
	fprintf(out, "brk: %#lx (start_brk %#lx)\n", (unsigned long)plan->brk,
		(unsigned long)plan->start_brk);
	print_stack(out, bprm);
	fprintf(out, "entry: %#lx\nregisters:", (unsigned long)plan->entry);
	nregs = uexec_arch_entry_registers(plan->entry, plan->stack.sp, regs, UEXEC_MAX_REGS);
	for (size_t i = 0; i < nregs; i++)
		fprintf(out, "%s %s=%#lx", i && i % 6 == 0 ? "\n          " : "",
			regs[i].name, regs[i].value);
	fputc('\n', out);
}

void uexec_plan_print(const struct uexec_binprm *bprm, FILE *out)
{
	if (bprm->opts && (bprm->opts->flags & UEXEC_F_LAYOUT_SVG))
		uexec_layout_view_svg(&bprm->plan, bprm->filename, out);
	else if (bprm->opts && (bprm->opts->flags & UEXEC_F_LAYOUT))
		uexec_layout_view_text(&bprm->plan, bprm->filename, out);
	else if (bprm->opts && (bprm->opts->flags & UEXEC_F_JSON))
		plan_print_json(bprm, out);
	else
		plan_print_text(bprm, out);
	fflush(out);
}
