/* SPDX-License-Identifier: MIT */
/*
 * binfmt_misc rules registered from their parsed form, as the binfmt.d
 * cache registers them: borrowed, not copied; names still unique; and
 * forgotten again when the cache turns out stale.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "binfmt_misc.h"
#include "formats.h"
#include "unit.h"

static struct uexec_binfmt *saved[16];
static size_t nsaved;

/* Each test starts with an empty handler list and gives the built-in
 * handlers back at its end (the rules stay registered by name: each test
 * uses names of its own). */
static void misc_setup(void)
{
	while (uexec_binfmt_first() && nsaved < 16) {
		saved[nsaved] = uexec_binfmt_first();
		uexec_unregister_binfmt(saved[nsaved++]);
	}
}

static void misc_teardown(void)
{
	while (uexec_binfmt_first())
		uexec_unregister_binfmt(uexec_binfmt_first());
	while (nsaved)
		uexec_insert_binfmt(saved[--nsaved]);
}

/* ------------------------------------------------------------------ */
/* Rules registered from their parsed form (the binfmt.d cache's) */

START_TEST(misc_borrowed_not_copied)
{
	static const char hn[] = "misc:ut-borrowed", origin[] = "unit:1";
	static const unsigned char magic[] = "\x7fUTB";
	const struct uexec_misc_compiled c = { hn, hn + 5, "/bin/true", magic, NULL, 4, 0, 0,
					       true };
	struct uexec_misc_compiled back;
	struct uexec_binfmt *f;
	char err[256];

	ck_assert_int_eq(uexec_misc_register_borrowed(&c, origin, err, sizeof(err)), 0);
	f = uexec_binfmt_first();
	ck_assert_ptr_eq(f->name, hn);
	ck_assert_ptr_eq(f->origin, origin);
	ck_assert_str_eq(uexec_misc_rule_name(f), "ut-borrowed");
	ck_assert_int_eq(uexec_misc_compiled_of(f, &back), 0);
	ck_assert_ptr_eq(back.handler_name, hn);
	ck_assert_ptr_eq(back.name, hn + 5);
	ck_assert_ptr_eq(back.magic, magic);
	ck_assert_ptr_null(back.mask);
	ck_assert_int_eq((int)back.size, 4);
}
END_TEST

START_TEST(misc_borrowed_names)
{
	static const char hn[] = "misc:ut-dup", other[] = "misc:ut-other", wrong[] = "mist:ut-w";
	static const char rule[] = ":ut-dup:E::utd::/bin/true:";
	const struct uexec_misc_compiled c = { hn, hn + 5, "/bin/true",
					       (const unsigned char *)"utd", NULL, 3, 0, 0,
					       false };
	struct uexec_misc_compiled bad = c;
	char err[256];

	ck_assert_int_eq(uexec_misc_register_borrowed(&c, "unit", err, sizeof(err)), 0);
	/* A name in use, borrowed or parsed: EEXIST, as the kernel's. */
	ck_assert_int_eq(uexec_misc_register_borrowed(&c, "unit", err, sizeof(err)), -EEXIST);
	ck_assert_int_eq(uexec_misc_register(rule, sizeof(rule) - 1, "unit", err, sizeof(err)),
			 -EEXIST);
	ck_assert_ptr_nonnull(strstr(err, "ut-dup"));
	/* The name must be the handler name's own tail, after "misc:". */
	bad.handler_name = other;
	ck_assert_int_eq(uexec_misc_register_borrowed(&bad, "unit", err, sizeof(err)), -EINVAL);
	bad.handler_name = wrong;
	bad.name = wrong + 5;
	ck_assert_int_eq(uexec_misc_register_borrowed(&bad, "unit", err, sizeof(err)), -EINVAL);
	bad = c;
	bad.handler_name = NULL;
	ck_assert_int_eq(uexec_misc_register_borrowed(&bad, "unit", err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(uexec_misc_register_borrowed(&c, NULL, err, sizeof(err)), -EINVAL);
	/* A parsed rule gets its own handler name and a copy of its origin. */
	{
		static const char r2[] = ":ut-owned:E::uto::/bin/true:";
		char origin[] = "unit:2";

		ck_assert_int_eq(uexec_misc_register(r2, sizeof(r2) - 1, origin, err,
						     sizeof(err)), 0);
		origin[0] = 'X';
		ck_assert_str_eq(uexec_binfmt_first()->name, "misc:ut-owned");
		ck_assert_str_eq(uexec_binfmt_first()->origin, "unit:2");
	}
}
END_TEST

/* More rules than one block holds: each its own, all names distinct. */
START_TEST(misc_borrowed_many)
{
	static char hn[80][32];
	struct uexec_misc_compiled c = { 0 };
	size_t n = 0;
	char err[256];

	for (int i = 0; i < 80; i++) {
		snprintf(hn[i], sizeof(hn[i]), "misc:ut-many-%d", i);
		c.handler_name = hn[i];
		c.name = hn[i] + 5;
		c.interpreter = "/bin/true";
		c.magic = (const unsigned char *)"utm";
		c.size = 3;
		ck_assert_int_eq(uexec_misc_register_borrowed(&c, "unit", err, sizeof(err)), 0);
	}
	for (struct uexec_binfmt *f = uexec_binfmt_first(); f; f = f->next, n++)
		ck_assert_ptr_eq(f->name, hn[79 - n]);	/* newest first */
	ck_assert_int_eq((int)n, 80);
	c.handler_name = hn[3];
	c.name = hn[3] + 5;
	ck_assert_int_eq(uexec_misc_register_borrowed(&c, "unit", err, sizeof(err)), -EEXIST);
}
END_TEST

/* A stale cache's rules forgotten: off the handler list and the names
 * free again; a parsed rule stays. */
START_TEST(misc_forget_borrowed)
{
	static const char a[] = "misc:ut-fa", b[] = "misc:ut-fb";
	static const char owned[] = ":ut-fown:E::utf::/bin/true:";
	struct uexec_misc_compiled c = { a, a + 5, "/bin/true", (const unsigned char *)"utf",
					 NULL, 3, 0, 0, false };
	char err[256];

	ck_assert_int_eq(uexec_misc_register_borrowed(&c, "unit", err, sizeof(err)), 0);
	ck_assert_int_eq(uexec_misc_register(owned, sizeof(owned) - 1, "unit", err,
					     sizeof(err)), 0);
	c.handler_name = b;
	c.name = b + 5;
	ck_assert_int_eq(uexec_misc_register_borrowed(&c, "unit", err, sizeof(err)), 0);
	uexec_misc_forget_borrowed();
	ck_assert_str_eq(uexec_binfmt_first()->name, "misc:ut-fown");
	ck_assert_ptr_null(uexec_binfmt_first()->next);
	ck_assert_int_eq(uexec_misc_register_borrowed(&c, "unit", err, sizeof(err)), 0);
	ck_assert_ptr_eq(uexec_binfmt_first()->name, b);
	ck_assert_int_eq(uexec_misc_register(owned, sizeof(owned) - 1, "unit", err,
					     sizeof(err)), -EEXIST);
}
END_TEST

Suite *misc_suite(void)
{
	Suite *s = suite_create("misc");
	TCase *tc = tcase_create("borrowed");

	tcase_add_checked_fixture(tc, misc_setup, misc_teardown);
	tcase_add_test(tc, misc_borrowed_not_copied);
	tcase_add_test(tc, misc_borrowed_names);
	tcase_add_test(tc, misc_borrowed_many);
	tcase_add_test(tc, misc_forget_borrowed);
	suite_add_tcase(s, tc);
	return s;
}
