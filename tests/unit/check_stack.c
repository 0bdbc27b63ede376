/* SPDX-License-Identifier: MIT */
/*
 * stack.c: uexec_create_elf_tables() against the kernel's layout of the
 * initial stack (fs/exec.c copy_strings, fs/binfmt_elf.c
 * create_elf_tables).  The test builds its own expected image of
 * [sp, top) from those rules (struct model below, which shares no code
 * with the builder), compares the two byte by byte, and also follows every
 * pointer of the real image to its string.
 *
 * The builder only fills ST->image; the fake TOP is never touched.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archdep.h"
#include "binprm.h"
#include "debug.h"
#include "exec.h"
#include "execve.h"
#include "stack.h"
#include "mm.h"
#include "auxv.h"
#include "unit.h"

#define TOP 0x7ffff0000000UL
#define WORD sizeof(unsigned long)

static const unsigned char rnd[16] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
};

static char *const base_argv[] = { "prog", "a", "bc", NULL };
static char *const base_envp[] = { "X=1", "LONGER=two", NULL };

/* A few auxv entries; the stack pointers are 0 for the builder to fill. */
static const unsigned long base_auxv[][2] = {
	{ AT_PHDR, 0x400040 },
	{ AT_PAGESZ, 4096 },
	{ AT_RANDOM, 0 },
	{ AT_ENTRY, 0x401020 },
	{ AT_EXECFN, 0 },
	{ AT_PLATFORM, 0 },
};
#define BASE_AUXC (sizeof(base_auxv) / sizeof(base_auxv[0]))

static struct uexec_stack_input base_input(void)
{
	struct uexec_stack_input in;

	memset(&in, 0, sizeof(in));
	in.argv = base_argv;
	in.envp = base_envp;
	in.execfn = "/bin/prog";
	in.platform = "x86_64";
	memcpy(in.random, rnd, sizeof(rnd));
	in.sub_page_offset = 0;
	in.auxv = base_auxv;
	in.auxc = BASE_AUXC;
	return in;
}

static size_t vcount(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* ------------------------------------------------------------------ */
/* The expected stack, from the kernel's rules */

struct model {
	uintptr_t top, base;		/* mem holds [base, top) */
	unsigned char *mem;
	uintptr_t sp, argv, envp, auxv;
	uintptr_t execfn, platform, base_platform, random;
	uintptr_t arg_start, arg_end, env_start, env_end;
	uintptr_t *argp, *envpp;
	size_t argc, envc, auxc;
	unsigned long aux[UEXEC_MAX_AUXV][2];
};

static void model_put(struct model *m, uintptr_t addr, const void *src, size_t len)
{
	ck_assert_msg(addr >= m->base && addr + len <= m->top,
		      "model: %#lx+%zu outside its buffer", (unsigned long)addr, len);
	memcpy(m->mem + (addr - m->base), src, len);
}

static void model_word(struct model *m, uintptr_t addr, unsigned long v)
{
	model_put(m, addr, &v, sizeof(v));
}

static uintptr_t model_string(struct model *m, uintptr_t addr, const char *s)
{
	model_put(m, addr, s, strlen(s) + 1);
	return addr + strlen(s) + 1;
}

static void model_build(struct model *m, const struct uexec_stack_input *in)
{
	size_t strs = 0, cap;
	uintptr_t a, p;

	memset(m, 0, sizeof(*m));
	m->top = TOP;
	m->argc = vcount(in->argv);
	m->envc = vcount(in->envp);
	for (size_t i = 0; i < m->argc; i++)
		strs += strlen(in->argv[i]) + 1;
	for (size_t i = 0; i < m->envc; i++)
		strs += strlen(in->envp[i]) + 1;
	cap = 8 + strlen(in->execfn) + 1 + strs + in->sub_page_offset + 16 +
	      (in->platform ? strlen(in->platform) + 1 : 0) +
	      (in->base_platform ? strlen(in->base_platform) + 1 : 0) + 16 +
	      16 * (in->auxc + 1) + WORD * (m->argc + m->envc + 3) + 32;
	m->mem = calloc(1, cap);
	m->argp = calloc(m->argc + 1, sizeof(*m->argp));
	m->envpp = calloc(m->envc + 1, sizeof(*m->envpp));
	ck_assert(m->mem && m->argp && m->envpp);
	m->base = TOP - cap;

	/* The top 8 bytes are zero; AT_EXECFN's string just below them. */
	m->execfn = TOP - 8 - (strlen(in->execfn) + 1);
	model_string(m, m->execfn, in->execfn);

	/* Below it argv's then envp's strings, ascending and contiguous. */
	a = m->execfn - strs;
	m->arg_start = a;
	for (size_t i = 0; i < m->argc; i++) {
		m->argp[i] = a;
		a = model_string(m, a, in->argv[i]);
	}
	m->arg_end = m->env_start = a;
	for (size_t i = 0; i < m->envc; i++) {
		m->envpp[i] = a;
		a = model_string(m, a, in->envp[i]);
	}
	m->env_end = a;
	ck_assert_uint_eq(a, m->execfn);

	/* arch_align_stack(): less the sub-page offset, down to 16. */
	p = (m->arg_start - in->sub_page_offset) & ~15UL;
	if (in->platform) {
		p -= strlen(in->platform) + 1;
		m->platform = p;
		model_string(m, p, in->platform);
	}
	if (in->base_platform) {
		p -= strlen(in->base_platform) + 1;
		m->base_platform = p;
		model_string(m, p, in->base_platform);
	}
	p -= 16;
	m->random = p;
	model_put(m, p, in->random, 16);

	/* The auxv: the stack's own addresses filled in, AT_PLATFORM and
	 * AT_BASE_PLATFORM only with their strings, then AT_NULL. */
	for (size_t i = 0; i < in->auxc; i++) {
		unsigned long key = in->auxv[i][0], val = in->auxv[i][1];

		switch (key) {
		case AT_RANDOM:
			val = m->random;
			break;
		case AT_EXECFN:
			val = m->execfn;
			break;
		case AT_PLATFORM:
			if (!m->platform)
				continue;
			val = m->platform;
			break;
		case AT_BASE_PLATFORM:
			if (!m->base_platform)
				continue;
			val = m->base_platform;
			break;
		}
		m->aux[m->auxc][0] = key;
		m->aux[m->auxc][1] = val;
		m->auxc++;
	}
	m->aux[m->auxc][0] = AT_NULL;
	m->aux[m->auxc][1] = 0;
	m->auxc++;

	/* argc, argv[], NULL, envp[], NULL, auxv, with sp 16-byte aligned. */
	m->sp = (p - m->auxc * 2 * WORD - (m->argc + 1 + m->envc + 1 + 1) * WORD) &
		~15UL;
	m->argv = m->sp + WORD;
	m->envp = m->argv + (m->argc + 1) * WORD;
	m->auxv = m->envp + (m->envc + 1) * WORD;
	model_word(m, m->sp, m->argc);
	for (size_t i = 0; i < m->argc; i++)
		model_word(m, m->argv + i * WORD, m->argp[i]);
	model_word(m, m->argv + m->argc * WORD, 0);
	for (size_t i = 0; i < m->envc; i++)
		model_word(m, m->envp + i * WORD, m->envpp[i]);
	model_word(m, m->envp + m->envc * WORD, 0);
	for (size_t i = 0; i < m->auxc; i++) {
		model_word(m, m->auxv + 2 * i * WORD, m->aux[i][0]);
		model_word(m, m->auxv + (2 * i + 1) * WORD, m->aux[i][1]);
	}
}

static void model_free(struct model *m)
{
	free(m->mem);
	free(m->argp);
	free(m->envpp);
}

/* ------------------------------------------------------------------ */
/* Reading the real image */

static unsigned long img_word(const struct uexec_stack *st, uintptr_t addr)
{
	unsigned long v;

	ck_assert_msg(addr >= st->sp && addr + WORD <= st->top,
		      "word at %#lx is outside [sp, top)", (unsigned long)addr);
	memcpy(&v, st->image + (addr - st->sp), WORD);
	return v;
}

/* The string at ADDR, checked to end inside the image. */
static const char *img_string(const struct uexec_stack *st, uintptr_t addr)
{
	const char *s;

	ck_assert_msg(addr >= st->sp && addr < st->top,
		      "pointer %#lx is outside [sp, top)", (unsigned long)addr);
	s = (const char *)st->image + (addr - st->sp);
	ck_assert_msg(memchr(s, 0, st->top - addr) != NULL,
		      "string at %#lx is not terminated", (unsigned long)addr);
	return s;
}

static unsigned long img_auxval(const struct uexec_stack *st, unsigned long key,
				int *found)
{
	for (uintptr_t a = st->auxv;; a += 2 * WORD) {
		unsigned long k = img_word(st, a);

		if (k == key) {
			*found = 1;
			return img_word(st, a + WORD);
		}
		if (k == AT_NULL)
			break;
	}
	*found = 0;
	return 0;
}

static bool in_has(const struct uexec_stack_input *in, unsigned long key)
{
	for (size_t i = 0; i < in->auxc; i++)
		if (in->auxv[i][0] == key)
			return true;
	return false;
}

/* What any reader of the stack sees, without the model. */
static void ck_pointers(const struct uexec_stack *st,
			const struct uexec_stack_input *in)
{
	size_t argc = vcount(in->argv), envc = vcount(in->envp);
	uintptr_t a;
	unsigned long v;
	int found;

	ck_assert_uint_eq(st->sp % 16, 0);
	ck_assert_uint_eq(st->size, st->top - st->sp);
	ck_assert_uint_eq(img_word(st, st->sp), argc);
	ck_assert_uint_eq(st->argv, st->sp + WORD);
	for (size_t i = 0; i < argc; i++) {
		a = img_word(st, st->argv + i * WORD);
		ck_assert_msg(a >= st->arg_start && a < st->arg_end,
			      "argv[%zu] %#lx is outside [arg_start, arg_end)", i,
			      (unsigned long)a);
		ck_assert_str_eq(img_string(st, a), in->argv[i]);
	}
	ck_assert_uint_eq(img_word(st, st->argv + argc * WORD), 0);
	ck_assert_uint_eq(st->envp, st->argv + (argc + 1) * WORD);
	for (size_t i = 0; i < envc; i++) {
		a = img_word(st, st->envp + i * WORD);
		ck_assert_msg(a >= st->env_start && a < st->env_end,
			      "envp[%zu] %#lx is outside [env_start, env_end)", i,
			      (unsigned long)a);
		ck_assert_str_eq(img_string(st, a), in->envp[i]);
	}
	ck_assert_uint_eq(img_word(st, st->envp + envc * WORD), 0);
	ck_assert_uint_eq(st->auxv, st->envp + (envc + 1) * WORD);

	/* The strings: argv's, then envp's, then execfn, then 8 zero bytes. */
	ck_assert_uint_le(st->arg_start, st->arg_end);
	ck_assert_uint_eq(st->arg_end, st->env_start);
	ck_assert_uint_le(st->env_start, st->env_end);
	ck_assert_uint_eq(st->env_end, st->execfn);
	ck_assert_str_eq(img_string(st, st->execfn), in->execfn);
	ck_assert_uint_eq(st->execfn + strlen(in->execfn) + 1 + 8, st->top);
	for (uintptr_t z = st->top - 8; z < st->top; z++)
		ck_assert_uint_eq(st->image[z - st->sp], 0);

	/* AT_RANDOM, AT_EXECFN, AT_PLATFORM point at their bytes. */
	v = img_auxval(st, AT_RANDOM, &found);
	ck_assert_msg(found, "no AT_RANDOM");
	ck_assert_uint_eq(v, st->random);
	ck_assert_uint_ge(v, st->sp);
	ck_assert_uint_le(v + 16, st->top);
	ck_assert_mem_eq(st->image + (v - st->sp), in->random, 16);
	v = img_auxval(st, AT_EXECFN, &found);
	ck_assert_msg(found, "no AT_EXECFN");
	ck_assert_uint_eq(v, st->execfn);
	v = img_auxval(st, AT_PLATFORM, &found);
	if (in->platform && in_has(in, AT_PLATFORM)) {
		ck_assert_msg(found, "no AT_PLATFORM");
		ck_assert_uint_eq(v, st->platform);
		ck_assert_str_eq(img_string(st, v), in->platform);
	} else {
		ck_assert_msg(!found, "AT_PLATFORM without a platform string");
		if (!in->platform)
			ck_assert_uint_eq(st->platform, 0);
	}
	/* The auxv ends with AT_NULL, and st->auxc counts it. */
	ck_assert_uint_ge(st->auxc, 1);
	ck_assert_uint_eq(img_word(st, st->auxv + 2 * (st->auxc - 1) * WORD), AT_NULL);
	ck_assert_uint_eq(img_word(st, st->auxv + (2 * st->auxc - 1) * WORD), 0);
	for (size_t i = 0; i + 1 < st->auxc; i++)
		ck_assert_uint_ne(img_word(st, st->auxv + 2 * i * WORD), AT_NULL);
}

/* The image and every recorded address equal the model's. */
static void ck_matches_model(const struct uexec_stack *st, const struct model *m)
{
	ck_assert_uint_eq(st->top, m->top);
	ck_assert_uint_eq(st->sp, m->sp);
	ck_assert_uint_eq(st->size, m->top - m->sp);
	ck_assert_uint_eq(st->argv, m->argv);
	ck_assert_uint_eq(st->envp, m->envp);
	ck_assert_uint_eq(st->auxv, m->auxv);
	ck_assert_uint_eq(st->arg_start, m->arg_start);
	ck_assert_uint_eq(st->arg_end, m->arg_end);
	ck_assert_uint_eq(st->env_start, m->env_start);
	ck_assert_uint_eq(st->env_end, m->env_end);
	ck_assert_uint_eq(st->execfn, m->execfn);
	ck_assert_uint_eq(st->platform, m->platform);
	ck_assert_uint_eq(st->random, m->random);
	ck_assert_uint_eq(st->auxc, m->auxc);
	for (size_t i = 0; i < m->auxc; i++) {
		ck_assert_uint_eq(st->auxv_pairs[i][0], m->aux[i][0]);
		ck_assert_uint_eq(st->auxv_pairs[i][1], m->aux[i][1]);
	}
	ck_assert_ptr_nonnull(st->image);
	for (size_t i = 0; i < st->size; i++) {
		unsigned char want = m->mem[m->sp - m->base + i];

		ck_assert_msg(st->image[i] == want, "byte at %#lx (top-%zu): %#x, "
			      "expected %#x", (unsigned long)(st->sp + i),
			      st->size - i, st->image[i], want);
	}
}

/* The real builder, into ST (which keeps its image, if any). */
static void build(struct uexec_stack *st, const struct uexec_stack_input *in)
{
	char err[256] = "";
	int ret;

	st->top = TOP;
	ret = uexec_create_elf_tables(st, in, err, sizeof(err));
	ck_assert_msg(ret == 0, "uexec_create_elf_tables: %d (%s)", ret, err);
}

/* Build with the real builder and check it against the model and on its own. */
static void run_case(const struct uexec_stack_input *in)
{
	struct uexec_stack st;
	struct model m;

	memset(&st, 0, sizeof(st));
	build(&st, in);
	model_build(&m, in);
	ck_pointers(&st, in);
	ck_matches_model(&st, &m);
	model_free(&m);
	uexec_stack_free(&st);
}

/* ------------------------------------------------------------------ */

START_TEST(stack_fixed_input)
{
	struct uexec_stack_input in = base_input();
	struct uexec_stack st;

	run_case(&in);

	/* The same by hand, as a check on the model:
	 * "/bin/prog" at top-18, envp strings 15 bytes, argv strings 10
	 * bytes from top-43; aligned to top-48; "x86_64" at top-55; random
	 * at top-71; 7 auxv pairs (112) and 8 words (64) below: sp at
	 * (top-247) & ~15 = top-256. */
	memset(&st, 0, sizeof(st));
	build(&st, &in);
	ck_assert_uint_eq(st.execfn, TOP - 18);
	ck_assert_uint_eq(st.env_start, TOP - 33);
	ck_assert_uint_eq(st.arg_start, TOP - 43);
	ck_assert_uint_eq(st.platform, TOP - 55);
	ck_assert_uint_eq(st.random, TOP - 71);
	ck_assert_uint_eq(st.sp, TOP - 256);
	ck_assert_uint_eq(st.size, 256);
	ck_assert_uint_eq(st.auxc, BASE_AUXC + 1);
	ck_assert_mem_eq(st.image + (TOP - 43 - st.sp), "prog\0a\0bc\0X=1\0LONGER=two\0"
			 "/bin/prog\0\0\0\0\0\0\0\0\0", 43);
	uexec_stack_free(&st);
}
END_TEST

START_TEST(stack_sub_page_offset)
{
	struct uexec_stack_input in = base_input();
	struct uexec_stack st;

	in.sub_page_offset = 100;
	run_case(&in);
	/* (top-43-100) & ~15 = top-144; "x86_64" at top-151; random at
	 * top-167; sp = (top-167-176) & ~15 = top-352. */
	memset(&st, 0, sizeof(st));
	build(&st, &in);
	ck_assert_uint_eq(st.platform, TOP - 151);
	ck_assert_uint_eq(st.random, TOP - 167);
	ck_assert_uint_eq(st.sp, TOP - 352);
	uexec_stack_free(&st);

	for (size_t off = 1; off < 64; off += 7) {
		in.sub_page_offset = off;
		run_case(&in);
	}
	in.sub_page_offset = UEXEC_STACK_SUBPAGE_RND - 1;
	run_case(&in);
}
END_TEST

START_TEST(stack_no_platform)
{
	struct uexec_stack_input in = base_input();

	in.platform = NULL;
	run_case(&in);
	in.sub_page_offset = 100;
	run_case(&in);
}
END_TEST

START_TEST(stack_base_platform)
{
	static const unsigned long auxv[][2] = {
		{ AT_PAGESZ, 4096 },
		{ AT_BASE_PLATFORM, 0 },
		{ AT_RANDOM, 0 },
		{ AT_PLATFORM, 0 },
		{ AT_EXECFN, 0 },
	};
	struct uexec_stack_input in = base_input();

	in.auxv = auxv;
	in.auxc = 5;
	in.base_platform = "i686";
	run_case(&in);
	in.base_platform = NULL;	/* AT_BASE_PLATFORM is dropped */
	run_case(&in);
}
END_TEST

START_TEST(stack_empty_envp)
{
	static char *const none[] = { NULL };
	struct uexec_stack_input in = base_input();

	in.envp = none;
	run_case(&in);
	in.envp = NULL;
	run_case(&in);
}
END_TEST

START_TEST(stack_empty_arg)
{
	static char *const argv[] = { "", NULL };
	struct uexec_stack_input in = base_input();

	in.argv = argv;
	run_case(&in);
	in.envp = NULL;
	run_case(&in);
}
END_TEST

START_TEST(stack_many_args)
{
	enum { N = 1000 };
	char **argv = calloc(N + 1, sizeof(*argv));
	char **envp = calloc(N / 2 + 1, sizeof(*envp));
	struct uexec_stack_input in = base_input();

	ck_assert(argv && envp);
	for (int i = 0; i < N; i++)
		ck_assert_int_gt(asprintf(&argv[i], "arg-%d%.*s", i, i % 37,
					  "abcdefghijklmnopqrstuvwxyz0123456789#"), 0);
	for (int i = 0; i < N / 2; i++)
		ck_assert_int_gt(asprintf(&envp[i], "VAR%d=%d", i, i * i), 0);
	in.argv = argv;
	in.envp = envp;
	in.execfn = "/a/rather/longer/path/to/the/program";
	run_case(&in);
	in.sub_page_offset = 4095;
	run_case(&in);
	for (int i = 0; i < N; i++)
		free(argv[i]);
	for (int i = 0; i < N / 2; i++)
		free(envp[i]);
	free(argv);
	free(envp);
}
END_TEST

START_TEST(stack_string_lengths)
{
	/* Every length of argv[0] modulo 16, to cross each rounding. */
	static const char s[] = "0123456789abcdefghijklmnop";
	char a0[sizeof(s)];
	char *argv[] = { a0, "x", NULL };
	struct uexec_stack_input in = base_input();

	in.argv = argv;
	for (size_t len = 0; len < 20; len++) {
		memcpy(a0, s, len);
		a0[len] = 0;
		run_case(&in);
	}
}
END_TEST

START_TEST(stack_auxv_limit)
{
	static unsigned long auxv[UEXEC_MAX_AUXV][2];
	struct uexec_stack_input in = base_input();
	struct uexec_stack st;
	char err[256] = "";

	/* UEXEC_MAX_AUXV pairs with AT_NULL: the most that fits. */
	for (size_t i = 0; i < UEXEC_MAX_AUXV; i++) {
		auxv[i][0] = 1000 + i;
		auxv[i][1] = i;
	}
	auxv[0][0] = AT_RANDOM;
	auxv[1][0] = AT_EXECFN;
	auxv[2][0] = AT_PLATFORM;
	in.auxv = (const unsigned long (*)[2])auxv;
	in.auxc = UEXEC_MAX_AUXV - 1;
	run_case(&in);

	/* One more is refused. */
	memset(&st, 0, sizeof(st));
	st.top = TOP;
	in.auxc = UEXEC_MAX_AUXV;
	ck_assert_int_lt(uexec_create_elf_tables(&st, &in, err, sizeof(err)), 0);
	ck_assert_msg(err[0] != 0, "refused without a reason");
	uexec_stack_free(&st);
}
END_TEST

START_TEST(stack_rebuild_replaces_image)
{
	struct uexec_stack_input in = base_input();
	struct uexec_stack st;
	struct model m;

	/* A second build into the same stack (a rewritten exec) gives the
	 * second image and does not leak the first (valgrind). */
	memset(&st, 0, sizeof(st));
	build(&st, &in);
	in.argv = (char *const[]){ "other", NULL };
	in.sub_page_offset = 33;
	build(&st, &in);
	model_build(&m, &in);
	ck_pointers(&st, &in);
	ck_matches_model(&st, &m);
	model_free(&m);
	uexec_stack_free(&st);
}
END_TEST

Suite *stack_suite(bool known_bugs)
{
	Suite *s = suite_create("stack");
	TCase *tc;

	tc = tcase_create("create_elf_tables");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, stack_fixed_input);
	tcase_add_test(tc, stack_sub_page_offset);
	tcase_add_test(tc, stack_no_platform);
	tcase_add_test(tc, stack_base_platform);
	tcase_add_test(tc, stack_empty_envp);
	tcase_add_test(tc, stack_empty_arg);
	tcase_add_test(tc, stack_many_args);
	tcase_add_test(tc, stack_string_lengths);
	tcase_add_test(tc, stack_auxv_limit);
	tcase_add_test(tc, stack_rebuild_replaces_image);
	suite_add_tcase(s, tc);

	(void)known_bugs;
	return s;
}
