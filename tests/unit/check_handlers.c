/* SPDX-License-Identifier: MIT */
/*
 * exec.c: the handler list, search_binary_handler() with fake handlers on
 * a real file, the binprm argv accessors and the string vectors.
 *
 * The handler list is global: the fixture takes every handler off it
 * before a test and puts them back afterwards, so the tests also pass in
 * Check's no-fork mode (CK_FORK=no).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binprm.h"
#include "debug.h"
#include "exec.h"
#include "execve.h"
#include "stack.h"
#include "mm.h"
#include "auxv.h"
#include "unit.h"

/* ------------------------------------------------------------------ */
/* Fake handlers */

struct fake {
	struct uexec_binfmt fmt;
	int ret;			/* what load_binary answers */
	int calls;
	int call_seq;			/* when it was last called (1, 2...) */
	size_t seen_len;		/* uexec_binprm_buf()'s length */
	unsigned char seen[UEXEC_BINPRM_BUF_SIZE];
	struct uexec_binfmt *seen_handler;
	int seen_fd;
	const char *seen_name;
};

static struct fake fa, fb, fc;
static int call_seq;

static int fake_load(struct uexec_binprm *bprm)
{
	struct uexec_binfmt *h = uexec_binprm_handler(bprm);
	struct fake *f;
	const unsigned char *buf;

	ck_assert_ptr_nonnull(h);
	f = h->priv;
	f->calls++;
	f->call_seq = ++call_seq;
	buf = uexec_binprm_buf(bprm, &f->seen_len);
	/* The whole buffer: beyond a short file it must be zeros. */
	memcpy(f->seen, buf, sizeof(f->seen));
	f->seen_handler = h;
	f->seen_fd = uexec_binprm_fd(bprm);
	f->seen_name = uexec_binprm_filename(bprm);
	return f->ret;
}

static void fake_init(struct fake *f, const char *name, int ret)
{
	memset(f, 0, sizeof(*f));
	f->fmt.name = name;
	f->fmt.load_binary = fake_load;
	f->fmt.priv = f;
	f->ret = ret;
	f->seen_fd = -2;
}

/* The handlers that were on the list before the test, with their state. */
static struct uexec_binfmt *saved[32];
static int saved_enabled[32];
static size_t nsaved;

static void list_setup(void)
{
	struct uexec_binfmt *f;

	nsaved = 0;
	while ((f = uexec_binfmt_first()) != NULL) {
		ck_assert_uint_lt(nsaved, 32);
		saved[nsaved] = f;
		saved_enabled[nsaved++] = f->enabled;
		uexec_unregister_binfmt(f);
	}
	fake_init(&fa, "fake-a", -ENOEXEC);
	fake_init(&fb, "fake-b", -ENOEXEC);
	fake_init(&fc, "fake-c", -ENOEXEC);
	call_seq = 0;
}

static void list_teardown(void)
{
	uexec_unregister_binfmt(&fa.fmt);
	uexec_unregister_binfmt(&fb.fmt);
	uexec_unregister_binfmt(&fc.fmt);
	for (size_t i = 0; i < nsaved; i++) {
		uexec_register_binfmt(saved[i]);
		saved[i]->enabled = saved_enabled[i];
	}
	nsaved = 0;
}

/* The list as "name,name,...", checking that it ends. */
static const char *list_names(void)
{
	static char out[256];
	size_t n = 0, len = 0;

	out[0] = 0;
	for (struct uexec_binfmt *f = uexec_binfmt_first(); f; f = f->next) {
		ck_assert_msg(++n <= 8, "the handler list does not end (a cycle?)");
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s",
					len ? "," : "", f->name);
	}
	return out;
}

/* ------------------------------------------------------------------ */
/* The list */

START_TEST(list_register_insert_unregister)
{
	ck_assert_str_eq(list_names(), "");
	uexec_register_binfmt(&fa.fmt);
	uexec_register_binfmt(&fb.fmt);
	ck_assert_str_eq(list_names(), "fake-a,fake-b");
	uexec_insert_binfmt(&fc.fmt);
	ck_assert_str_eq(list_names(), "fake-c,fake-a,fake-b");
	ck_assert_ptr_eq(uexec_binfmt_first(), &fc.fmt);
	ck_assert_ptr_eq(fc.fmt.next, &fa.fmt);
	ck_assert_ptr_eq(fa.fmt.next, &fb.fmt);
	ck_assert_ptr_null(fb.fmt.next);
	/* A registered handler is enabled. */
	ck_assert_int_ne(fa.fmt.enabled, 0);
	ck_assert_int_ne(fb.fmt.enabled, 0);
	ck_assert_int_ne(fc.fmt.enabled, 0);

	uexec_unregister_binfmt(&fa.fmt);
	ck_assert_str_eq(list_names(), "fake-c,fake-b");
	uexec_unregister_binfmt(&fa.fmt);	/* not on the list: no change */
	ck_assert_str_eq(list_names(), "fake-c,fake-b");
	uexec_register_binfmt(&fa.fmt);
	ck_assert_str_eq(list_names(), "fake-c,fake-b,fake-a");
	uexec_unregister_binfmt(&fc.fmt);	/* the head */
	ck_assert_str_eq(list_names(), "fake-b,fake-a");
	uexec_unregister_binfmt(&fa.fmt);	/* the tail */
	ck_assert_str_eq(list_names(), "fake-b");
	uexec_unregister_binfmt(&fb.fmt);
	ck_assert_str_eq(list_names(), "");
	ck_assert_ptr_null(uexec_binfmt_first());
}
END_TEST

START_TEST(list_double_registration)
{
	uexec_register_binfmt(&fa.fmt);
	uexec_register_binfmt(&fa.fmt);
	ck_assert_str_eq(list_names(), "fake-a");
	ck_assert_ptr_null(fa.fmt.next);
	uexec_register_binfmt(&fb.fmt);
	uexec_register_binfmt(&fa.fmt);
	ck_assert_str_eq(list_names(), "fake-a,fake-b");
	uexec_register_binfmt(&fb.fmt);
	ck_assert_str_eq(list_names(), "fake-a,fake-b");
	/* Inserting a registered handler moves it to the head, once. */
	uexec_insert_binfmt(&fb.fmt);
	ck_assert_str_eq(list_names(), "fake-b,fake-a");
	uexec_insert_binfmt(&fb.fmt);
	ck_assert_str_eq(list_names(), "fake-b,fake-a");
	uexec_insert_binfmt(&fa.fmt);
	ck_assert_str_eq(list_names(), "fake-a,fake-b");
	/* One unregistration removes it completely. */
	uexec_unregister_binfmt(&fa.fmt);
	ck_assert_str_eq(list_names(), "fake-b");
}
END_TEST

/* ------------------------------------------------------------------ */
/* search_binary_handler on a real file */

static char tmp_path[64];

/* A temporary file of LEN bytes: byte i is (i * 7 + 3) & 0xff. */
static void make_file(size_t len)
{
	const char *dir = getenv("TMPDIR");
	unsigned char *data = malloc(len + 1);
	int fd;

	ck_assert_ptr_nonnull(data);
	snprintf(tmp_path, sizeof(tmp_path), "%s/uexec-unit-XXXXXX",
		 dir && strlen(dir) < 32 ? dir : "/tmp");
	fd = mkstemp(tmp_path);
	ck_assert_msg(fd >= 0, "mkstemp: %s", strerror(errno));
	for (size_t i = 0; i < len; i++)
		data[i] = (unsigned char)(i * 7 + 3);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
	free(data);
}

/* A binprm as exec.c sets one up, on tmp_path. */
static struct uexec_binprm *bprm_new(void)
{
	struct uexec_binprm *bprm = calloc(1, sizeof(*bprm));
	static char *const argv[] = { "prog", "arg", NULL };

	ck_assert_ptr_nonnull(bprm);
	uexec_binprm_init(bprm, NULL);	/* every descriptor -1 */
	bprm->plan.exe.fd = bprm->plan.interp.fd = -1;
	bprm->fd = open(tmp_path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(bprm->fd, 0);
	bprm->filename = strdup(tmp_path);
	bprm->interp_name = strdup(tmp_path);
	ck_assert_int_eq(uexec_strv_init(&bprm->argv, argv), 0);
	ck_assert_int_eq(uexec_strv_init(&bprm->envp, NULL), 0);
	/* Garbage where the file's bytes go, to see them replaced. */
	memset(bprm->buf, 0xaa, sizeof(bprm->buf));
	bprm->buf_len = 9999;
	return bprm;
}

static void bprm_done(struct uexec_binprm *bprm)
{
	uexec_binprm_free(bprm);
	free(bprm);
	unlink(tmp_path);
}

static void ck_saw_file(const struct fake *f, size_t file_len)
{
	size_t want = file_len < UEXEC_BINPRM_BUF_SIZE ? file_len : UEXEC_BINPRM_BUF_SIZE;

	ck_assert_uint_eq(f->seen_len, want);
	for (size_t i = 0; i < UEXEC_BINPRM_BUF_SIZE; i++) {
		unsigned char exp = i < file_len ? (unsigned char)(i * 7 + 3) : 0;

		ck_assert_msg(f->seen[i] == exp, "%s saw byte %zu = %#x, not %#x",
			      f->fmt.name, i, f->seen[i], exp);
	}
}

START_TEST(search_second_accepts)
{
	struct uexec_binprm *bprm;

	make_file(300);
	bprm = bprm_new();
	fb.ret = 0;
	uexec_register_binfmt(&fa.fmt);
	uexec_register_binfmt(&fb.fmt);
	uexec_register_binfmt(&fc.fmt);
	ck_assert_int_eq(uexec_search_binary_handler(bprm), 0);
	ck_assert_ptr_eq(bprm->handler, &fb.fmt);
	ck_assert_int_eq(fa.calls, 1);
	ck_assert_int_eq(fb.calls, 1);
	ck_assert_int_eq(fc.calls, 0);
	ck_assert_int_lt(fa.call_seq, fb.call_seq);
	ck_saw_file(&fa, 300);
	ck_saw_file(&fb, 300);
	/* What the accessors said during the call. */
	ck_assert_ptr_eq(fa.seen_handler, &fa.fmt);
	ck_assert_ptr_eq(fb.seen_handler, &fb.fmt);
	ck_assert_int_eq(fb.seen_fd, bprm->fd);
	ck_assert_pstr_eq(fb.seen_name, tmp_path);
	bprm_done(bprm);
}
END_TEST

/* One accepting handler on a file of LEN bytes sees them, zero-filled. */
static void ck_one_handler_sees(size_t len)
{
	struct uexec_binprm *bprm;

	make_file(len);
	bprm = bprm_new();
	fa.ret = 0;
	uexec_register_binfmt(&fa.fmt);
	ck_assert_int_eq(uexec_search_binary_handler(bprm), 0);
	ck_assert_int_eq(fa.calls, 1);
	ck_saw_file(&fa, len);
	bprm_done(bprm);
}

START_TEST(search_short_file_zero_filled)
{
	ck_one_handler_sees(10);
}
END_TEST

START_TEST(search_empty_file)
{
	ck_one_handler_sees(0);
}
END_TEST

START_TEST(search_exact_buf_size)
{
	ck_one_handler_sees(UEXEC_BINPRM_BUF_SIZE);
}
END_TEST

START_TEST(search_error_stops)
{
	struct uexec_binprm *bprm;

	make_file(300);
	bprm = bprm_new();
	fb.ret = -EACCES;
	fc.ret = 0;
	uexec_register_binfmt(&fa.fmt);
	uexec_register_binfmt(&fb.fmt);
	uexec_register_binfmt(&fc.fmt);
	ck_assert_int_eq(uexec_search_binary_handler(bprm), -EACCES);
	ck_assert_int_eq(fa.calls, 1);
	ck_assert_int_eq(fb.calls, 1);
	ck_assert_int_eq(fc.calls, 0);
	bprm_done(bprm);
}
END_TEST

START_TEST(search_all_decline)
{
	struct uexec_binprm *bprm;

	make_file(300);
	bprm = bprm_new();
	uexec_register_binfmt(&fa.fmt);
	uexec_register_binfmt(&fb.fmt);
	uexec_register_binfmt(&fc.fmt);
	ck_assert_int_eq(uexec_search_binary_handler(bprm), -ENOEXEC);
	ck_assert_int_eq(fa.calls, 1);
	ck_assert_int_eq(fb.calls, 1);
	ck_assert_int_eq(fc.calls, 1);
	ck_assert_int_lt(fa.call_seq, fb.call_seq);
	ck_assert_int_lt(fb.call_seq, fc.call_seq);
	bprm_done(bprm);
}
END_TEST

START_TEST(search_empty_list)
{
	struct uexec_binprm *bprm;

	make_file(300);
	bprm = bprm_new();
	ck_assert_int_eq(uexec_search_binary_handler(bprm), -ENOEXEC);
	bprm_done(bprm);
}
END_TEST

START_TEST(search_disabled_skipped)
{
	struct uexec_binprm *bprm;

	make_file(300);
	bprm = bprm_new();
	fa.ret = 0;		/* would accept, but is disabled */
	fb.ret = 0;
	uexec_register_binfmt(&fa.fmt);
	uexec_register_binfmt(&fb.fmt);
	fa.fmt.enabled = 0;
	ck_assert_int_eq(uexec_search_binary_handler(bprm), 0);
	ck_assert_int_eq(fa.calls, 0);
	ck_assert_int_eq(fb.calls, 1);
	ck_assert_ptr_eq(bprm->handler, &fb.fmt);
	bprm_done(bprm);
}
END_TEST

START_TEST(search_inserted_first)
{
	struct uexec_binprm *bprm;

	make_file(300);
	bprm = bprm_new();
	fa.ret = 0;
	fc.ret = 0;
	uexec_register_binfmt(&fa.fmt);
	uexec_insert_binfmt(&fc.fmt);
	ck_assert_int_eq(uexec_search_binary_handler(bprm), 0);
	ck_assert_ptr_eq(bprm->handler, &fc.fmt);
	ck_assert_int_eq(fc.calls, 1);
	ck_assert_int_eq(fa.calls, 0);
	bprm_done(bprm);
}
END_TEST

/* ------------------------------------------------------------------ */
/* argv accessors */

static void bprm_args_init(struct uexec_binprm *bprm, char *const *argv)
{
	memset(bprm, 0, sizeof(*bprm));
	uexec_binprm_init(bprm, NULL);	/* every descriptor -1 */
	bprm->plan.exe.fd = bprm->plan.interp.fd = -1;
	ck_assert_int_eq(uexec_strv_init(&bprm->argv, argv), 0);
}

/* argv[argc] is NULL and arg(i) is argv[i]. */
static void ck_args(const struct uexec_binprm *bprm, const char *const *want)
{
	int n = 0;

	while (want[n])
		n++;
	ck_assert_int_eq(uexec_binprm_argc(bprm), n);
	for (int i = 0; i < n; i++)
		ck_assert_pstr_eq(uexec_binprm_arg(bprm, i), want[i]);
	ck_assert_ptr_null(uexec_binprm_arg(bprm, n));
	ck_assert_ptr_null(uexec_binprm_arg(bprm, -1));
	ck_assert_ptr_null(bprm->argv.v[n]);
}

START_TEST(args_push_remove)
{
	static char *const argv[] = { "script", "x", NULL };
	struct uexec_binprm *bprm = malloc(sizeof(*bprm));
	char interp[] = "/bin/sh";

	ck_assert_ptr_nonnull(bprm);
	bprm_args_init(bprm, argv);
	ck_args(bprm, (const char *[]){ "script", "x", NULL });

	/* What binfmt_script does: drop argv[0], push name, arg, interp. */
	ck_assert_int_eq(uexec_binprm_remove_arg_zero(bprm), 0);
	ck_args(bprm, (const char *[]){ "x", NULL });
	ck_assert_int_eq(uexec_binprm_push_arg(bprm, "./script"), 0);
	ck_assert_int_eq(uexec_binprm_push_arg(bprm, "-e"), 0);
	ck_assert_int_eq(uexec_binprm_push_arg(bprm, interp), 0);
	ck_args(bprm, (const char *[]){ "/bin/sh", "-e", "./script", "x", NULL });
	/* push_arg copies. */
	interp[1] = 'X';
	ck_assert_pstr_eq(uexec_binprm_arg(bprm, 0), "/bin/sh");
	ck_assert_ptr_ne(uexec_binprm_arg(bprm, 0), interp);

	while (uexec_binprm_argc(bprm) > 0)
		ck_assert_int_eq(uexec_binprm_remove_arg_zero(bprm), 0);
	ck_args(bprm, (const char *[]){ NULL });
	ck_assert_int_lt(uexec_binprm_remove_arg_zero(bprm), 0);
	ck_assert_int_eq(uexec_binprm_argc(bprm), 0);
	/* And it grows back from empty. */
	ck_assert_int_eq(uexec_binprm_push_arg(bprm, ""), 0);
	ck_args(bprm, (const char *[]){ "", NULL });
	uexec_binprm_free(bprm);
	free(bprm);
}
END_TEST

START_TEST(args_many)
{
	struct uexec_binprm *bprm = malloc(sizeof(*bprm));
	char s[16];

	ck_assert_ptr_nonnull(bprm);
	bprm_args_init(bprm, NULL);
	ck_assert_int_eq(uexec_binprm_argc(bprm), 0);
	for (int i = 0; i < 100; i++) {
		snprintf(s, sizeof(s), "a%d", i);
		ck_assert_int_eq(uexec_binprm_push_arg(bprm, s), 0);
	}
	ck_assert_int_eq(uexec_binprm_argc(bprm), 100);
	for (int i = 0; i < 100; i++) {
		snprintf(s, sizeof(s), "a%d", 99 - i);
		ck_assert_pstr_eq(uexec_binprm_arg(bprm, i), s);
	}
	ck_assert_ptr_null(bprm->argv.v[100]);
	for (int i = 0; i < 50; i++)
		ck_assert_int_eq(uexec_binprm_remove_arg_zero(bprm), 0);
	ck_assert_int_eq(uexec_binprm_argc(bprm), 50);
	ck_assert_pstr_eq(uexec_binprm_arg(bprm, 0), "a49");
	ck_assert_pstr_eq(uexec_binprm_arg(bprm, 49), "a0");
	ck_assert_ptr_null(uexec_binprm_arg(bprm, 50));
	uexec_binprm_free(bprm);
	free(bprm);
}
END_TEST

/* ------------------------------------------------------------------ */
/* String vectors */

/* The caller's strings are borrowed (they outlive the stack image built
 * from them); the vector is the vector's own: editing it leaves the
 * caller's array as it was, and what is pushed is a copy. */
START_TEST(strv_init_borrows)
{
	char a[] = "alpha", b[] = "", p[] = "pushed";
	char *src[] = { a, b, "gamma", NULL };
	struct uexec_strv sv;

	ck_assert_int_eq(uexec_strv_init(&sv, src), 0);
	ck_assert_uint_eq(sv.n, 3);
	ck_assert_ptr_nonnull(sv.v);
	ck_assert_ptr_ne(sv.v, src);
	ck_assert_ptr_eq(sv.v[0], a);
	ck_assert_ptr_eq(sv.v[1], b);
	ck_assert_pstr_eq(sv.v[2], "gamma");
	ck_assert_ptr_null(sv.v[3]);
	ck_assert_int_eq(uexec_strv_push_front(&sv, p), 0);
	p[0] = 'P';
	ck_assert_pstr_eq(sv.v[0], "pushed");
	ck_assert_ptr_eq(sv.v[1], a);
	ck_assert_ptr_eq(src[0], a);
	ck_assert_ptr_eq(src[1], b);
	ck_assert_ptr_null(src[3]);
	uexec_strv_free(&sv);
	ck_assert_ptr_null(sv.v);
	ck_assert_uint_eq(sv.n, 0);
	ck_assert_pstr_eq(a, "alpha");
}
END_TEST

START_TEST(strv_init_empty)
{
	char *empty[] = { NULL };
	struct uexec_strv sv;

	ck_assert_int_eq(uexec_strv_init(&sv, NULL), 0);
	ck_assert_uint_eq(sv.n, 0);
	ck_assert_ptr_nonnull(sv.v);	/* NULL-terminated even when empty */
	ck_assert_ptr_null(sv.v[0]);
	uexec_strv_free(&sv);

	ck_assert_int_eq(uexec_strv_init(&sv, empty), 0);
	ck_assert_uint_eq(sv.n, 0);
	ck_assert_ptr_nonnull(sv.v);
	ck_assert_ptr_null(sv.v[0]);
	uexec_strv_free(&sv);
	/* Freeing twice is harmless: free zeroes the vector. */
	uexec_strv_free(&sv);
}
END_TEST

START_TEST(strv_push_front_grows)
{
	char *src[] = { "last", NULL };
	struct uexec_strv sv;
	char s[16];

	ck_assert_int_eq(uexec_strv_init(&sv, src), 0);
	for (int i = 0; i < 40; i++) {
		snprintf(s, sizeof(s), "s%d", i);
		ck_assert_int_eq(uexec_strv_push_front(&sv, s), 0);
		ck_assert_uint_eq(sv.n, (size_t)i + 2);
		ck_assert_ptr_null(sv.v[sv.n]);
		ck_assert_pstr_eq(sv.v[0], s);
		ck_assert_ptr_ne(sv.v[0], s);
	}
	for (int i = 0; i < 40; i++) {
		snprintf(s, sizeof(s), "s%d", 39 - i);
		ck_assert_pstr_eq(sv.v[i], s);
	}
	ck_assert_pstr_eq(sv.v[40], "last");
	uexec_strv_free(&sv);
}
END_TEST

Suite *handlers_suite(bool known_bugs)
{
	Suite *s = suite_create("handlers");
	TCase *tc;

	tc = tcase_create("list");
	tcase_add_checked_fixture(tc, list_setup, list_teardown);
	tcase_add_test(tc, list_register_insert_unregister);
	tcase_add_test(tc, list_double_registration);
	suite_add_tcase(s, tc);

	tc = tcase_create("search");
	tcase_add_checked_fixture(tc, list_setup, list_teardown);
	tcase_add_test(tc, search_second_accepts);
	tcase_add_test(tc, search_short_file_zero_filled);
	tcase_add_test(tc, search_empty_file);
	tcase_add_test(tc, search_exact_buf_size);
	tcase_add_test(tc, search_error_stops);
	tcase_add_test(tc, search_all_decline);
	tcase_add_test(tc, search_empty_list);
	tcase_add_test(tc, search_disabled_skipped);
	tcase_add_test(tc, search_inserted_first);
	suite_add_tcase(s, tc);

	tc = tcase_create("argv");
	tcase_add_test(tc, args_push_remove);
	tcase_add_test(tc, args_many);
	suite_add_tcase(s, tc);

	tc = tcase_create("strv");
	tcase_add_test(tc, strv_init_borrows);
	tcase_add_test(tc, strv_init_empty);
	tcase_add_test(tc, strv_push_front_grows);
	suite_add_tcase(s, tc);

	(void)known_bugs;
	return s;
}
