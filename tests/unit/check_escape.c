/* SPDX-License-Identifier: MIT */
/*
 * src/escape.c: every byte that is not printable ASCII comes out escaped,
 * the output is never cut inside an escape, lines keep their backslashes.
 */
#include <stdarg.h>
#include <string.h>

#include "binprm.h"
#include "debug.h"
#include "escape.h"
#include "unit.h"

START_TEST(escape_every_byte)
{
	char in[256], out[256 * 4 + 1];
	size_t used, len;

	for (int i = 0; i < 256; i++)
		in[i] = (char)i;
	used = uexec_escape_bytes(in, sizeof(in), out, sizeof(out), UEXEC_ESC_BACKSLASH, &len);
	ck_assert_uint_eq(used, 256);
	ck_assert_uint_eq(strlen(out), len);
	for (size_t i = 0; i < len; i++)
		ck_assert_msg(out[i] >= 0x20 && out[i] < 0x7f, "byte %zu is %#x", i,
			      (unsigned char)out[i]);
	ck_assert_ptr_nonnull(strstr(out, "\\x00\\x01"));
	ck_assert_ptr_nonnull(strstr(out, "\\x08\\t\\n\\x0b\\x0c\\r\\x0e"));
	ck_assert_ptr_nonnull(strstr(out, "\\x1b"));
	ck_assert_ptr_nonnull(strstr(out, "[\\\\]"));
	ck_assert_ptr_nonnull(strstr(out, "~\\x7f\\x80"));
	ck_assert_ptr_nonnull(strstr(out, "\\xfe\\xff"));
}
END_TEST

START_TEST(escape_cut_whole)
{
	char out[8];
	size_t used, len;

	/* "ab" then ESC (4 bytes escaped) does not fit in 7 + NUL: cut
	 * before it, not inside it. */
	used = uexec_escape_bytes("ab\033\033", (size_t)-1, out, 7, 0, &len);
	ck_assert_uint_eq(used, 3);
	ck_assert_str_eq(out, "ab\\x1b");
	used = uexec_escape_bytes("ab\033\033", (size_t)-1, out, 6, 0, &len);
	ck_assert_uint_eq(used, 2);
	ck_assert_str_eq(out, "ab");
	ck_assert_str_eq(uexec_escape("a\\b\"", out, sizeof(out)), "a\\\\b\"");
}
END_TEST

static size_t format(char *buf, size_t size, const char *what, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = uexec_vformat_line(buf, size, what, fmt, ap);
	va_end(ap);
	return n;
}

START_TEST(line_is_one_line)
{
	char buf[64];
	size_t n;

	n = format(buf, sizeof(buf), "a\nb", "say \"%s\" \\x", "c\r\033[2J");
	ck_assert_uint_eq(n, strlen("uexec: a\\nb: say \"c\\r\\x1b[2J\" \\x\n"));
	ck_assert(!memcmp(buf, "uexec: a\\nb: say \"c\\r\\x1b[2J\" \\x\n", n));
	/* Cut to fit, still one line ending in a newline. */
	n = format(buf, 16, "\n\n\n\n\n\n\n\n", "x");
	ck_assert_uint_le(n, 15);
	ck_assert_int_eq(buf[n - 1], '\n');
	ck_assert_ptr_null(memchr(buf, '\n', n - 1));
}
END_TEST

Suite *escape_suite(bool known_bugs)
{
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("escape");

	(void)known_bugs;
	tcase_add_test(tc, escape_every_byte);
	tcase_add_test(tc, escape_cut_whole);
	tcase_add_test(tc, line_is_one_line);
	suite_add_tcase(s, tc);
	return s;
}
