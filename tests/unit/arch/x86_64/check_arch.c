/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 layer's code scanners (src/arch/x86_64/arch.c): the final
 * stage's exit gadget in a vDSO image, "syscall", then "xor" of at least
 * rcx, r11, rdi and rsi with themselves (never rsp), then "ret".
 */
#include <stdint.h>
#include <string.h>

#include "archdep.h"
#include "unit.h"

static uintptr_t find(const unsigned char *code, size_t len)
{
	uintptr_t g = uexec_arch_find_exit_gadget((uintptr_t)code, len);

	return g ? g - (uintptr_t)code : (uintptr_t)-1;
}

#define GADGET 0x0f, 0x05, 0x31, 0xc9, 0x45, 0x31, 0xdb, 0x31, 0xff, 0x31, 0xf6, 0xc3

START_TEST(exit_gadget_found)
{
	/* 0x0f bytes that are not a syscall, a syscall followed by too few
	 * xors, then the gadget. */
	static const unsigned char code[] = {
		0x0f, 0x0f, 0x1f, 0x00, 0x0f, 0x05, 0x31, 0xc9, 0xc3, 0x90, GADGET, 0x90,
	};

	ck_assert_uint_eq(find(code, sizeof(code)), 10);
	ck_assert_uint_eq(find(code + 10, 12), 0);
}
END_TEST

START_TEST(exit_gadget_absent)
{
	static const unsigned char code[] = { GADGET };
	/* The same with rsp cleared too: the stack pointer must survive. */
	static const unsigned char sp[] = {
		0x0f, 0x05, 0x31, 0xc9, 0x45, 0x31, 0xdb, 0x31, 0xff, 0x31, 0xf6, 0x31, 0xe4, 0xc3,
	};
	unsigned char big[8192];

	ck_assert_uint_eq(find(code, sizeof(code) - 1), (uintptr_t)-1);	/* no ret */
	ck_assert_uint_eq(find(code, 2), (uintptr_t)-1);
	ck_assert_uint_eq(find(code, 0), (uintptr_t)-1);
	ck_assert_uint_eq(find(sp, sizeof(sp)), (uintptr_t)-1);
	/* A vDSO-sized image of 0x0f bytes and a syscall at its very end. */
	memset(big, 0x0f, sizeof(big));
	big[sizeof(big) - 1] = 0x05;
	ck_assert_uint_eq(find(big, sizeof(big)), (uintptr_t)-1);
	memcpy(big + sizeof(big) - sizeof(code), code, sizeof(code));
	ck_assert_uint_eq(find(big, sizeof(big)), sizeof(big) - sizeof(code));
}
END_TEST

Suite *arch_suite(void)
{
	Suite *s = suite_create("arch_x86_64");
	TCase *tc = tcase_create("scan");

	tcase_add_test(tc, exit_gadget_found);
	tcase_add_test(tc, exit_gadget_absent);
	suite_add_tcase(s, tc);
	return s;
}
