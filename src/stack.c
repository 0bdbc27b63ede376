/* SPDX-License-Identifier: MIT */
/*
 * The initial stack, laid out as the kernel's exec lays it out
 * (fs/exec.c copy_strings, fs/binfmt_elf.c create_elf_tables), built in a
 * buffer whose last byte is the byte below ST->top.  From the top down:
 *
 *   8 zero bytes                       (the end marker: the kernel's
 *                                       sizeof(void *), for compat too)
 *   the file name                      (AT_EXECFN)
 *   envp strings, argv strings         (argv[0] lowest)
 *   -- aligned down to 16, less a random 0..8191 bytes when randomising --
 *   the platform string(s)             (AT_PLATFORM, AT_BASE_PLATFORM)
 *   16 random bytes                    (AT_RANDOM)
 *   0 to 15 bytes of padding (sp is rounded down to 16)
 *   auxv pairs, AT_NULL last
 *   NULL, envp[], NULL, argv[], argc   (argc at sp, sp 16-byte aligned)
 *
 * Pure: no system call, no global state; the unit tests check it byte by
 * byte.  Ownership: ST->image_buf is allocated here and owned by the plan;
 * ST->image points into it.
 */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archdep.h"
#include "debug.h"
#include "mm.h"
#include "stack.h"

#define W sizeof(unsigned long)

size_t uexec_stack_strings_size(char *const *argv, char *const *envp,
				const char *execfn)
{
	size_t n = strlen(execfn) + 1;

	for (size_t i = 0; argv && argv[i]; i++)
		n += strlen(argv[i]) + 1;
	for (size_t i = 0; envp && envp[i]; i++)
		n += strlen(envp[i]) + 1;
	return n;
}

/* A downward cursor in the image: address A lives at buf[A - base]. */
struct cursor {
	unsigned char *buf;
	uintptr_t base, p;
};

static uintptr_t push_bytes(struct cursor *c, const void *src, size_t len)
{
	c->p -= len;
	memcpy(c->buf + (c->p - c->base), src, len);
	return c->p;
}

static uintptr_t push_string(struct cursor *c, const char *s)
{
	return push_bytes(c, s, strlen(s) + 1);
}

/* A word of the new program's size (little-endian: the low bytes). */
static void put_word(struct cursor *c, uintptr_t addr, unsigned long v, unsigned int w)
{
	memcpy(c->buf + (addr - c->base), &v, w);
}

static size_t count(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* copy_string_kernel(filename), copy_strings(envp), copy_strings(argv):
 * each vector from its last string down.  PTRS gets argv's then envp's
 * string addresses. */
static void push_strings(struct cursor *c, struct uexec_stack *st,
			 const struct uexec_stack_input *in, uintptr_t *ptrs)
{
	unsigned long zero = 0;

	push_bytes(c, &zero, in->end_marker ? in->end_marker : W);
	st->execfn = push_string(c, in->execfn);
	st->env_end = c->p;
	for (size_t i = st->envc; i-- > 0;)
		ptrs[st->argc + i] = push_string(c, in->envp[i]);
	st->env_start = c->p;
	st->arg_end = c->p;
	for (size_t i = st->argc; i-- > 0;)
		ptrs[i] = push_string(c, in->argv[i]);
	st->arg_start = c->p;
	if (st->envc == 0)
		st->env_start = st->env_end = st->arg_end;
}

/* The auxv, with the values that point into this stack; AT_PLATFORM and
 * AT_BASE_PLATFORM go when there is no string for them. */
static void fill_auxv(struct uexec_stack *st, const struct uexec_stack_input *in,
		      uintptr_t base_platform)
{
	st->auxc = 0;
	for (size_t i = 0; i < in->auxc; i++) {
		unsigned long key = in->auxv[i][0], val = in->auxv[i][1];

		if (key == AT_NULL)
			break;
		if (key == AT_RANDOM)
			val = st->random;
		else if (key == AT_EXECFN)
			val = st->execfn;
		else if (key == AT_PLATFORM)
			val = st->platform;
		else if (key == AT_BASE_PLATFORM)
			val = base_platform;
		if ((key == AT_PLATFORM || key == AT_BASE_PLATFORM) && !val)
			continue;
		st->auxv_pairs[st->auxc][0] = key;
		st->auxv_pairs[st->auxc][1] = val;
		st->auxc++;
	}
	st->auxv_pairs[st->auxc][0] = AT_NULL;
	st->auxv_pairs[st->auxc][1] = 0;
	st->auxc++;
}

/* STACK_ADD(p, ei_index) then STACK_ROUND(sp, items); then argc, argv,
 * envp and auxv at sp upwards. */
static void write_tables(struct cursor *c, struct uexec_stack *st, const uintptr_t *ptrs)
{
	unsigned int w = st->word;
	size_t items = (st->argc + 1) + (st->envc + 1) + 1;
	uintptr_t p = c->p - st->auxc * 2 * w;

	st->sp = (p - items * w) & ~(UEXEC_STACK_ALIGN - 1);
	st->argv = st->sp + w;
	st->envp = st->argv + (st->argc + 1) * w;
	st->auxv = st->envp + (st->envc + 1) * w;
	put_word(c, st->sp, st->argc, w);
	for (size_t i = 0; i < st->argc; i++)
		put_word(c, st->argv + i * w, ptrs[i], w);
	put_word(c, st->argv + st->argc * w, 0, w);
	for (size_t i = 0; i < st->envc; i++)
		put_word(c, st->envp + i * w, ptrs[st->argc + i], w);
	put_word(c, st->envp + st->envc * w, 0, w);
	for (size_t i = 0; i < st->auxc; i++) {
		put_word(c, st->auxv + 2 * i * w, st->auxv_pairs[i][0], w);
		put_word(c, st->auxv + (2 * i + 1) * w, st->auxv_pairs[i][1], w);
	}
}

/* Bytes of the working buffer: everything that may go below the top. */
static size_t image_bound(const struct uexec_stack_input *in, size_t argc, size_t envc)
{
	return W + uexec_stack_strings_size(in->argv, in->envp, in->execfn) +
	       in->sub_page_offset + UEXEC_STACK_ALIGN +
	       (in->platform ? strlen(in->platform) + 1 : 0) +
	       (in->base_platform ? strlen(in->base_platform) + 1 : 0) + 16 +
	       (in->auxc + 1) * 2 * W + (argc + envc + 3) * W + 2 * UEXEC_STACK_ALIGN;
}

int uexec_create_elf_tables(struct uexec_stack *st, const struct uexec_stack_input *in,
			    char *err, size_t errlen)
{
	struct uexec_stack_input inw = *in;
	uintptr_t *ptrs, base_platform = 0;
	struct cursor c;
	size_t size;

	inw.word = in->word ? in->word : W;
	st->word = inw.word;
	st->argc = count(in->argv);
	st->envc = count(in->envp);
	if (in->auxc + 1 > UEXEC_MAX_AUXV) {
		snprintf(err, errlen, "too many auxv entries (%zu)", in->auxc);
		return -E2BIG;
	}
	size = image_bound(in, st->argc, st->envc);
	ptrs = calloc(st->argc + st->envc + 1, sizeof(*ptrs));
	c.buf = calloc(1, size);
	if (!ptrs || !c.buf)
		goto out_nomem;
	uexec_mm_populate_write(c.buf, size);	/* written from top to bottom */
	c.base = st->top - size;
	c.p = st->top;
	push_strings(&c, st, &inw, ptrs);
	/* arch_align_stack(), then the platform strings and AT_RANDOM. */
	c.p = (c.p - in->sub_page_offset) & ~(UEXEC_STACK_ALIGN - 1);
	st->platform = in->platform ? push_string(&c, in->platform) : 0;
	if (in->base_platform)
		base_platform = push_string(&c, in->base_platform);
	st->random = push_bytes(&c, in->random, sizeof(in->random));
	fill_auxv(st, in, base_platform);
	write_tables(&c, st, ptrs);
	free(ptrs);
	/* [sp, top) of the buffer it was built in: no copy of it here. */
	st->size = st->top - st->sp;
	uexec_stack_free(st);
	st->image_buf = c.buf;
	st->image = c.buf + (st->sp - c.base);
	return 0;

out_nomem:
	free(ptrs);
	free(c.buf);
	snprintf(err, errlen, "out of memory for the stack image");
	return -ENOMEM;
}

void uexec_stack_free(struct uexec_stack *st)
{
	free(st->image_buf ? st->image_buf : st->image);
	st->image = NULL;
	st->image_buf = NULL;
}

/* The word (of the program's size) at ADDR of the stack image; 0 outside. */
unsigned long uexec_stack_word(const struct uexec_stack *st, uintptr_t addr)
{
	unsigned long v = 0;
	unsigned int w = st->word ? st->word : W;

	if (addr >= st->sp && addr + w <= st->sp + st->size)
		memcpy(&v, st->image + (addr - st->sp), w);
	return v;
}

const char *uexec_stack_string(const struct uexec_stack *st, uintptr_t addr)
{
	if (addr < st->sp || addr >= st->sp + st->size)
		return "";
	return (const char *)st->image + (addr - st->sp);
}

static void visit_vector(const struct uexec_stack *st, const char *name, uintptr_t base,
			 size_t n, uexec_stack_visit_fn *fn, void *arg)
{
	for (size_t i = 0; i < n; i++) {
		struct uexec_stack_slot s = { .vector = name, .index = i,
					      .at = base + i * st->word };

		s.value = uexec_stack_word(st, s.at);
		s.string = uexec_stack_string(st, s.value);
		fn(&s, arg);
	}
}

void uexec_stack_visit(const struct uexec_stack *st, uexec_stack_visit_fn *fn, void *arg)
{
	visit_vector(st, "argv", st->argv, st->argc, fn, arg);
	visit_vector(st, "envp", st->envp, st->envc, fn, arg);
	for (size_t i = 0; i < st->auxc; i++) {
		struct uexec_stack_slot s = {
			.vector = "auxv", .index = i, .at = st->auxv + 2 * i * st->word,
			.key = st->auxv_pairs[i][0], .value = st->auxv_pairs[i][1],
		};

		if (uexec_auxv_is_string(s.key))
			s.string = uexec_stack_string(st, s.value);
		fn(&s, arg);
	}
}
