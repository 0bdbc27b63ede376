/* SPDX-License-Identifier: MIT */
/*
 * The initial stack, laid out as the kernel's exec lays it out
 * (fs/exec.c copy_strings, fs/binfmt_elf.c create_elf_tables), built in a
 * buffer whose last byte is the byte below ST->top.  From the top down:
 *
 *   8 zero bytes                       (the end marker)
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
 * byte.  Ownership: ST->image is allocated here and owned by the plan.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "binprm.h"

#define W sizeof(unsigned long)

size_t uexec_stack_strings_size(char *const *argv, char *const *envp,
				const char *execfn)
{
	size_t n = W + strlen(execfn) + 1;

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

int uexec_create_elf_tables(struct uexec_stack *st,
			    const struct uexec_stack_input *in,
			    char *err, size_t errlen)
{
	size_t argc = count(in->argv), envc = count(in->envp), items, words, size;
	uintptr_t *argp, *envp_ptrs, p, sp, platform = 0, base_platform = 0, random;
	struct cursor c;
	unsigned long zero = 0;
	unsigned int w = in->word ? in->word : W;

	if (in->auxc + 1 > UEXEC_MAX_AUXV) {
		snprintf(err, errlen, "too many auxv entries (%zu)", in->auxc);
		return -E2BIG;
	}
	size = uexec_stack_strings_size(in->argv, in->envp, in->execfn) +
	       in->sub_page_offset + UEXEC_STACK_ALIGN +
	       (in->platform ? strlen(in->platform) + 1 : 0) +
	       (in->base_platform ? strlen(in->base_platform) + 1 : 0) + 16 +
	       (in->auxc + 1) * 2 * W + (argc + envc + 3) * W + 2 * UEXEC_STACK_ALIGN;
	argp = calloc(argc + envc + 1, sizeof(*argp));
	c.buf = calloc(1, size);
	if (!argp || !c.buf) {
		free(argp);
		free(c.buf);
		snprintf(err, errlen, "out of memory for the stack image");
		return -ENOMEM;
	}
	envp_ptrs = argp + argc;
	c.base = st->top - size;
	c.p = st->top;

	/* copy_string_kernel(filename), copy_strings(envp), copy_strings(argv):
	 * each vector from its last string down. */
	push_bytes(&c, &zero, w);
	st->execfn = push_bytes(&c, in->execfn, strlen(in->execfn) + 1);
	st->env_end = c.p;
	for (size_t i = envc; i-- > 0;)
		envp_ptrs[i] = push_bytes(&c, in->envp[i], strlen(in->envp[i]) + 1);
	st->env_start = c.p;
	st->arg_end = c.p;
	for (size_t i = argc; i-- > 0;)
		argp[i] = push_bytes(&c, in->argv[i], strlen(in->argv[i]) + 1);
	st->arg_start = c.p;
	if (envc == 0)
		st->env_start = st->env_end = st->arg_end;

	/* arch_align_stack() */
	c.p = (c.p - in->sub_page_offset) & ~(UEXEC_STACK_ALIGN - 1);
	if (in->platform)
		platform = push_bytes(&c, in->platform, strlen(in->platform) + 1);
	if (in->base_platform)
		base_platform = push_bytes(&c, in->base_platform,
					   strlen(in->base_platform) + 1);
	random = push_bytes(&c, in->random, sizeof(in->random));
	st->platform = platform;
	st->random = random;

	/* The auxv, with the values that point into this stack. */
	st->auxc = 0;
	for (size_t i = 0; i < in->auxc; i++) {
		unsigned long key = in->auxv[i][0], val = in->auxv[i][1];

		if (key == AT_NULL)
			break;
		if (key == AT_RANDOM)
			val = random;
		else if (key == AT_EXECFN)
			val = st->execfn;
		else if (key == AT_PLATFORM) {
			if (!platform)
				continue;
			val = platform;
		} else if (key == AT_BASE_PLATFORM) {
			if (!base_platform)
				continue;
			val = base_platform;
		}
		st->auxv_pairs[st->auxc][0] = key;
		st->auxv_pairs[st->auxc][1] = val;
		st->auxc++;
	}
	st->auxv_pairs[st->auxc][0] = AT_NULL;
	st->auxv_pairs[st->auxc][1] = 0;
	st->auxc++;

	/* STACK_ADD(p, ei_index) then STACK_ROUND(sp, items) */
	words = st->auxc * 2;
	items = (argc + 1) + (envc + 1) + 1;
	p = c.p - words * w;
	sp = (p - items * w) & ~(UEXEC_STACK_ALIGN - 1);

	st->word = w;
	st->sp = sp;
	st->argv = sp + w;
	st->envp = st->argv + (argc + 1) * w;
	st->auxv = st->envp + (envc + 1) * w;
	put_word(&c, sp, argc, w);
	for (size_t i = 0; i < argc; i++)
		put_word(&c, st->argv + i * w, argp[i], w);
	put_word(&c, st->argv + argc * w, 0, w);
	for (size_t i = 0; i < envc; i++)
		put_word(&c, st->envp + i * w, envp_ptrs[i], w);
	put_word(&c, st->envp + envc * w, 0, w);
	for (size_t i = 0; i < st->auxc; i++) {
		put_word(&c, st->auxv + 2 * i * w, st->auxv_pairs[i][0], w);
		put_word(&c, st->auxv + (2 * i + 1) * w, st->auxv_pairs[i][1], w);
	}
	free(argp);

	/* Keep [sp, top) only. */
	st->size = st->top - sp;
	free(st->image);
	st->image = malloc(st->size);
	if (!st->image) {
		free(c.buf);
		snprintf(err, errlen, "out of memory for the stack image");
		return -ENOMEM;
	}
	memcpy(st->image, c.buf + (sp - c.base), st->size);
	free(c.buf);
	return 0;
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
