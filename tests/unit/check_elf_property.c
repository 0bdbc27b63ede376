/* SPDX-License-Identifier: MIT */
/*
 * elf_image.c's GNU property note reader, on made-up notes in a memfd:
 * every test starts from a valid note and breaks one thing, and expects
 * the kernel's verdict (fs/binfmt_elf.c parse_elf_properties()).  The
 * reader is generic; which architectures use it is archdep.h's.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "elf_image.h"
#include "unit.h"

static char err[512];

/* The properties a parse saw. */
struct seen {
	size_t n;
	uint32_t type[8];
	size_t len[8];
	int fail_at;		/* refuse the property with this index (-1: none) */
};

static int record(void *ctx, uint32_t type, const void *data, size_t len, char *e,
		  size_t elen)
{
	struct seen *s = ctx;

	(void)data;
	if ((int)s->n == s->fail_at) {
		snprintf(e, elen, "refused");
		return -ENOEXEC;
	}
	if (s->n < 8) {
		s->type[s->n] = type;
		s->len[s->n] = len;
	}
	s->n++;
	return 0;
}

/* A note: header, "GNU\0", then properties (type, len, data padded to
 * ALIGN), written at file offset 0x40 of a memfd (after 0x40 junk
 * bytes).  Returns the note's size; *FD is the file. */
struct prop { uint32_t type, len; };

static size_t make_note(unsigned char *b, const struct prop *p, size_t np, size_t align)
{
	size_t o = 16;

	memset(b, 0, 1100);
	for (size_t i = 0; i < np; i++) {
		memcpy(b + o, &p[i].type, 4);
		memcpy(b + o + 4, &p[i].len, 4);
		memset(b + o + 8, 0xa5, p[i].len);
		o += 8 + ((p[i].len + align - 1) & ~(align - 1));
	}
	uint32_t namesz = 4, descsz = (uint32_t)(o - 16), type = 5;
	memcpy(b, &namesz, 4);
	memcpy(b + 4, &descsz, 4);
	memcpy(b + 8, &type, 4);
	memcpy(b + 12, "GNU", 4);
	return o;
}

static int file_of(const unsigned char *b, size_t len)
{
	int fd = memfd_create("note", MFD_CLOEXEC);
	unsigned char junk[0x40];

	memset(junk, 0x5a, sizeof(junk));
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, junk, sizeof(junk)), sizeof(junk));
	ck_assert_int_eq(write(fd, b, len), (ssize_t)len);
	return fd;
}

/* Parse B (LEN bytes in the file, FILESZ in the segment). */
static int parse(const unsigned char *b, size_t len, uint64_t filesz, size_t align,
		 struct seen *s)
{
	int fd = file_of(b, len), ret;

	err[0] = 0;
	ret = uexec_elf_parse_properties(fd, 0x40, filesz, align, record, s, err, sizeof(err));
	close(fd);
	if (ret)
		ck_assert_msg(err[0], "a refusal gives its reason");
	return ret;
}

static const struct prop two[] = { { 0xc0000000u, 4 }, { 0xc0000002u, 4 } };

START_TEST(property_valid)
{
	unsigned char b[1100];
	struct seen s = { .fail_at = -1 };
	size_t n = make_note(b, two, 2, 8);

	ck_assert_int_eq(parse(b, n, n, 8, &s), 0);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_uint_eq(s.type[0], 0xc0000000u);
	ck_assert_uint_eq(s.type[1], 0xc0000002u);
	ck_assert_uint_eq(s.len[1], 4);
	/* 32-bit programs pad to 4 bytes: no padding after 4-byte data. */
	memset(&s, 0, sizeof(s));
	s.fail_at = -1;
	n = make_note(b, two, 2, 4);
	ck_assert_uint_eq(n, 16 + 12 + 12);
	ck_assert_int_eq(parse(b, n, n, 4, &s), 0);
	ck_assert_uint_eq(s.n, 2);
	/* No properties at all: nothing to refuse. */
	memset(&s, 0, sizeof(s));
	s.fail_at = -1;
	n = make_note(b, two, 0, 8);
	ck_assert_int_eq(parse(b, n, n, 8, &s), 0);
	ck_assert_uint_eq(s.n, 0);
}
END_TEST

START_TEST(property_bad_note)
{
	unsigned char b[1100];
	struct seen s = { .fail_at = -1 };
	size_t n = make_note(b, two, 2, 8);
	uint32_t v;

	ck_assert_int_eq(parse(b, n, 1025, 8, &s), -ENOEXEC);	/* over 1 KiB */
	ck_assert_int_eq(parse(b, 15, 15, 8, &s), -EIO);	/* not even a header */
	err[0] = 0;				/* a read that fails: its errno, a reason */
	ck_assert_int_eq(uexec_elf_parse_properties(-1, 0, 32, 8, record, &s, err, sizeof(err)),
			 -EBADF);
	ck_assert_ptr_nonnull(strstr(err, "reading PT_GNU_PROPERTY"));
	ck_assert_int_eq(parse(b, n, n + 64, 8, &s), 0);	/* the file has it all */
	ck_assert_uint_eq(s.n, 2);
	s.n = 0;
	ck_assert_int_eq(parse(b, 20, n, 8, &s), -ENOEXEC);	/* cut: descsz too big */
	v = 1;
	memcpy(b + 8, &v, 4);			/* n_type NT_GNU_BUILD_ID... not 5 */
	ck_assert_int_eq(parse(b, n, n, 8, &s), -ENOEXEC);
	make_note(b, two, 2, 8);
	memcpy(b + 12, "GNX", 4);
	ck_assert_int_eq(parse(b, n, n, 8, &s), -ENOEXEC);
	make_note(b, two, 2, 8);
	v = 5;
	memcpy(b, &v, 4);			/* n_namesz */
	ck_assert_int_eq(parse(b, n, n, 8, &s), -ENOEXEC);
	make_note(b, two, 2, 8);
	v = (uint32_t)n;			/* n_descsz past the segment */
	memcpy(b + 4, &v, 4);
	ck_assert_int_eq(parse(b, n, n, 8, &s), -ENOEXEC);
	ck_assert_uint_eq(s.n, 0);
}
END_TEST

START_TEST(property_bad_properties)
{
	static const struct prop same[] = { { 7, 4 }, { 7, 4 } };
	static const struct prop down[] = { { 9, 4 }, { 7, 4 } };
	unsigned char b[1100];
	struct seen s = { .fail_at = -1 };
	size_t n;
	uint32_t v;

	n = make_note(b, same, 2, 8);
	ck_assert_int_eq(parse(b, n, n, 8, &s), -ENOEXEC);	/* not unique */
	ck_assert_uint_eq(s.n, 1);
	memset(&s, 0, sizeof(s));
	s.fail_at = -1;
	n = make_note(b, down, 2, 8);
	ck_assert_int_eq(parse(b, n, n, 8, &s), -ENOEXEC);	/* not ascending */
	memset(&s, 0, sizeof(s));
	s.fail_at = -1;
	n = make_note(b, two, 2, 8);
	v = 12;					/* the 2nd property's data runs past */
	memcpy(b + 16 + 16 + 4, &v, 4);
	ck_assert_int_eq(parse(b, n, n, 8, &s), -ENOEXEC);
	make_note(b, two, 2, 8);
	v = 20;					/* a 4-byte header left over */
	memcpy(b + 4, &v, 4);
	ck_assert_int_eq(parse(b, n, n, 8, &s), -ENOEXEC);
	memset(&s, 0, sizeof(s));
	s.fail_at = 1;				/* the architecture refuses one */
	n = make_note(b, two, 2, 8);
	ck_assert_int_eq(parse(b, n, n, 8, &s), -ENOEXEC);
	ck_assert_str_eq(err, "refused");
}
END_TEST

/* Random notes: up to 6 properties of random types and sizes (mostly in
 * order), one byte of the note sometimes broken, the file sometimes cut.
 * Never a read beyond what the file holds (the sanitizer run checks), a
 * known errno for every refusal, properties passed in ascending order; and
 * some notes accepted, so that the loop tests the parser, not its first
 * check. */
static unsigned int rnd(unsigned int *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

START_TEST(property_random)
{
	unsigned char b[1100];
	unsigned int seed = 12345, accepted = 0;

	for (int round = 0; round < 4000; round++) {
		struct seen s = { .fail_at = -1 };
		struct prop p[6];
		size_t np = rnd(&seed) % 7, n, cut, align = round % 2 ? 8 : 4;
		uint32_t type = rnd(&seed) % 4;
		int ret;

		for (size_t i = 0; i < np; i++) {
			type += rnd(&seed) % 8 ? 1 + rnd(&seed) % 3 : 0;	/* sometimes equal */
			p[i] = (struct prop){ type, rnd(&seed) % 20 };
		}
		n = make_note(b, p, np, align);
		if (rnd(&seed) % 2)
			b[rnd(&seed) % n] ^= (unsigned char)(1u << rnd(&seed) % 8);
		cut = rnd(&seed) % 4 ? n : rnd(&seed) % (n + 1);
		ret = parse(b, cut, n, align, &s);
		ck_assert(ret == 0 || ret == -ENOEXEC || ret == -EIO);
		for (size_t i = 1; i < s.n && i < 8; i++)
			ck_assert_uint_gt(s.type[i], s.type[i - 1]);
		accepted += ret == 0 && s.n > 0;
	}
	ck_assert_uint_gt(accepted, 100);
}
END_TEST

Suite *elf_property_suite(void)
{
	Suite *s = suite_create("elf_property");
	TCase *tc = tcase_create("note");

	tcase_add_test(tc, property_valid);
	tcase_add_test(tc, property_bad_note);
	tcase_add_test(tc, property_bad_properties);
	tcase_add_test(tc, property_random);
	/* 4000 notes: seconds under an emulated CPU (an arm64 kernel under
	 * qemu-system), more than Check's default of 4. */
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
