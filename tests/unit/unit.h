/* SPDX-License-Identifier: MIT */
/*
 * The uexec unit tests: one Check runner (check_uexec.c), one suite per
 * area.  Each suite constructor takes KNOWN_BUGS: when true it also adds a
 * tcase "known_bugs" with tests that fail today because of a bug in src/
 * (see the comment at each of them).  check_uexec.c sets it from the
 * environment variable UEXEC_UNIT_KNOWN_BUGS=1.
 */
#ifndef UEXEC_UNIT_H
#define UEXEC_UNIT_H

#include <check.h>
#include <stdbool.h>

Suite *elf_check_suite(bool known_bugs);
Suite *handlers_suite(bool known_bugs);
Suite *misc_suite(void);
Suite *stack_suite(bool known_bugs);
Suite *layout_mm_suite(bool known_bugs);
Suite *auxv_suite(bool known_bugs);
Suite *escape_suite(bool known_bugs);
Suite *fresh_suite(bool known_bugs);
Suite *elf_property_suite(void);
/* The architecture's own (tests/unit/arch/ARCH/check_arch.c). */
Suite *arch_suite(void);

/* main()'s original envp, on the initial stack (fresh.h). */
extern char **unit_initial_envp;

#endif
