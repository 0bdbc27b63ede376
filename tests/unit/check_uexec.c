/* SPDX-License-Identifier: MIT */
/*
 * The unit test runner: every suite in one SRunner, reporting TAP on
 * standard output for automake's tap-driver.
 *
 * Environment:
 *   UEXEC_UNIT_KNOWN_BUGS=1  also run the "known_bugs" tcases (tests of
 *                            bugs in src/ that are not fixed yet)
 *   CK_FORK=no               Check's no-fork mode (for valgrind)
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static bool want_known_bugs(void)
{
	const char *s = getenv("UEXEC_UNIT_KNOWN_BUGS");

	return s && strcmp(s, "1") == 0;
}

char **unit_initial_envp;

int main(int argc, char **argv)
{
	bool kb = want_known_bugs();
	SRunner *sr;
	int failed;

	unit_initial_envp = argv + argc + 1;	/* on the initial stack, after argv's NULL */
	sr = srunner_create(elf_check_suite(kb));
	srunner_add_suite(sr, handlers_suite(kb));
	srunner_add_suite(sr, misc_suite());
	srunner_add_suite(sr, stack_suite(kb));
	srunner_add_suite(sr, layout_mm_suite(kb));
	srunner_add_suite(sr, auxv_suite(kb));
	srunner_add_suite(sr, escape_suite(kb));
	srunner_add_suite(sr, fresh_suite(kb));
	srunner_add_suite(sr, elf_property_suite());
	srunner_add_suite(sr, arch_suite());
	srunner_set_tap(sr, "-");
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
