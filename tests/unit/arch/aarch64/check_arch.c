/* SPDX-License-Identifier: MIT */
/*
 * The aarch64 layer's code scanners (src/arch/aarch64/arch.c): the final
 * stage's exit in a vDSO image, "svc #0; [autiasp;] ret", used only where
 * the image also has the signal return "mov x8, #139; svc #0"; and its GNU
 * properties (elf_property.c): BTI, as the arm64 kernel reads and applies
 * it; and where the final jump puts its rt_sigreturn frame.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>

#include "archdep.h"
#include "final.h"
#include "plan.h"
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

/* The frame goes below the program's sp only where the stack mapping, as
 * big as the kernel's, holds it; else the gadget is given up (the blob
 * stays) rather than the mapping made a page bigger than the kernel's. */
START_TEST(frame_in_stack_mapping)
{
	static struct uexec_plan plan;	/* large: not on the test's stack */
	const uintptr_t top = 0x7ffff0000000ul, map = 128ul << 10;
	struct uexec_final f;

	plan.stack.top = top;
	plan.stack.map_size = map;
	plan.stack.sp = top - map / 2;
	memset(&f, 0, sizeof(f));
	f.gadget = 1;
	uexec_arch_final_fill(&plan, &f);
	if (!f.gadget)
		return;		/* this vDSO has no rt_sigreturn trampoline (qemu-user) */
	ck_assert_uint_eq(f.jump[2], (top - map / 2 - 1136) & ~15ul);
	plan.stack.sp = top - map + 1136;	/* the frame just fits */
	f.gadget = 1;
	uexec_arch_final_fill(&plan, &f);
	ck_assert_uint_ne(f.gadget, 0);
	ck_assert_uint_eq(f.jump[2], top - map);
	plan.stack.sp = top - map + 1120;	/* 16 bytes short */
	f.gadget = 1;
	uexec_arch_final_fill(&plan, &f);
	ck_assert_uint_eq(f.gadget, 0);
	plan.stack.sp = top - 64;		/* near the top: a whole rt_sigframe below it */
	f.gadget = 1;
	uexec_arch_final_fill(&plan, &f);
	ck_assert_uint_ne(f.gadget, 0);
	ck_assert_uint_eq(f.jump[2], top - 4688);
}
END_TEST

static const struct uexec_abi *native(void)
{
	return uexec_arch_abi(ELFCLASS64, EM_AARCH64);
}

START_TEST(property_bti)
{
	struct uexec_arch_elf_state st = { 0 };
	uint32_t bti = 1, none = 0;
	uint64_t wide = 1;
	char err[256];
	bool cpu = (getauxval(AT_HWCAP2) & (1UL << 17)) != 0;	/* HWCAP2_BTI */

	ck_assert_int_eq(uexec_arch_parse_elf_property(native(), 0xc0000000u, &none, 4, &st,
						       err, sizeof(err)), 0);
	ck_assert_uint_eq(st.flags, 0);
	ck_assert_int_eq(uexec_arch_parse_elf_property(native(), 0xc0000001u, &bti, 4, &st,
						       err, sizeof(err)), 0);
	ck_assert_uint_eq(st.flags, 0);			/* another property: ignored */
	ck_assert_int_eq(uexec_arch_parse_elf_property(native(), 0xc0000000u, &bti, 4, &st,
						       err, sizeof(err)), 0);
	ck_assert_uint_eq(st.flags != 0, cpu);		/* only where the CPU has BTI */
	ck_assert_str_eq(uexec_arch_elf_state_string(&st), cpu ? "bti" : "");
	ck_assert_int_eq(uexec_arch_parse_elf_property(native(), 0xc0000000u, &wide, 8, &st,
						       err, sizeof(err)), -ENOEXEC);
	ck_assert_ptr_nonnull(strstr(err, "FEATURE_1_AND"));
}
END_TEST

START_TEST(property_bti_prot)
{
	struct uexec_arch_elf_state st = { .flags = UEXEC_ARCH_ELF_BTI }, off = { 0 };
	const int rx = PROT_READ | PROT_EXEC, rw = PROT_READ | PROT_WRITE;

	/* A static program: its own text is guarded. */
	ck_assert_int_eq(uexec_arch_elf_adjust_prot(rx, &st, false, false), rx | PROT_BTI);
	ck_assert_int_eq(uexec_arch_elf_adjust_prot(rw, &st, false, false), rw);
	ck_assert_int_eq(uexec_arch_elf_adjust_prot(rx, &off, false, false), rx);
	/* With an interpreter: its text, not the program's (ld.so's job). */
	ck_assert_int_eq(uexec_arch_elf_adjust_prot(rx, &st, true, true), rx | PROT_BTI);
	ck_assert_int_eq(uexec_arch_elf_adjust_prot(rx, &st, true, false), rx);
}
END_TEST

Suite *arch_suite(void)
{
	Suite *s = suite_create("arch_aarch64");
	TCase *tc = tcase_create("scan");

	tcase_add_test(tc, exit_gadget_found);
	tcase_add_test(tc, exit_gadget_absent);
	tcase_add_test(tc, frame_in_stack_mapping);
	suite_add_tcase(s, tc);
	tc = tcase_create("gnu_property");
	tcase_add_test(tc, property_bti);
	tcase_add_test(tc, property_bti_prot);
	suite_add_tcase(s, tc);
	return s;
}
