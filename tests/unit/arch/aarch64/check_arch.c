/* SPDX-License-Identifier: MIT */
/*
 * The aarch64 layer's code scanners (src/arch/aarch64/arch.c): the final
 * stage's exit in a vDSO image, "svc #0; [autiasp;] ret", used only where
 * the image also has the signal return "mov x8, #139; svc #0".
 */
#include <stdint.h>
#include <string.h>

#include "archdep.h"
#include "unit.h"

#define SVC		0xd4000001u	/* svc #0 */
#define AUTIASP		0xd50323bfu
#define RET		0xd65f03c0u
#define NOP		0xd503201fu
#define MOV_X8_139	(0xd2800008u | 139u << 5)	/* movz x8, #139 */

static intptr_t find(const uint32_t *code, size_t words)
{
	uintptr_t g = uexec_arch_find_exit_gadget((uintptr_t)code, words * 4);

	return g ? (intptr_t)(g - (uintptr_t)code) / 4 : -1;
}

START_TEST(exit_gadget_found)
{
	static const uint32_t pac[] = { NOP, SVC, RET, MOV_X8_139, SVC, SVC, AUTIASP, RET };
	static const uint32_t plain[] = { MOV_X8_139, SVC, NOP, SVC, RET };

	ck_assert_int_eq(find(pac, 8), 5);	/* the PAC form first */
	ck_assert_int_eq(find(plain, 5), 3);
}
END_TEST

START_TEST(exit_gadget_absent)
{
	static const uint32_t no_sigreturn[] = { SVC, AUTIASP, RET, NOP };
	static const uint32_t no_exit[] = { MOV_X8_139, SVC, NOP, RET };
	static const uint32_t cut[] = { MOV_X8_139, SVC, NOP, SVC, RET };

	ck_assert_int_eq(find(no_sigreturn, 4), -1);
	ck_assert_int_eq(find(no_exit, 4), -1);
	ck_assert_int_eq(find(cut, 4), -1);	/* the ret lies beyond the image */
	ck_assert_int_eq(find(cut, 0), -1);
}
END_TEST

Suite *arch_suite(void)
{
	Suite *s = suite_create("arch_aarch64");
	TCase *tc = tcase_create("scan");

	tcase_add_test(tc, exit_gadget_found);
	tcase_add_test(tc, exit_gadget_absent);
	suite_add_tcase(s, tc);
	return s;
}
