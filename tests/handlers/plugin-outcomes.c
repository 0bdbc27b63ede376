/* SPDX-License-Identifier: MIT */
/*
 * A test plugin with every outcome of a handler, chosen by the environment
 * variable UEXEC_TEST_MODE, for files whose name starts with "outcome-":
 *   accept   load the file as ELF itself (uexec_binprm_load_elf)
 *   decline  -ENOEXEC: the next handlers get it
 *   fail     -EPERM with a reason
 *   rewrite  to $UEXEC_TEST_TARGET with argv [target, --from-plugin, file,
 *            argv[1]...], back through the list
 *   nothing  return 0 having done nothing (an error of the plugin)
 * Each decision is announced on stderr as "outcomes: MODE FILE".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uexec/binfmt.h>

static int load_outcome(struct uexec_binprm *bprm)
{
	const char *name = uexec_binprm_filename(bprm);
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	const char *mode = getenv("UEXEC_TEST_MODE");
	const char *target = getenv("UEXEC_TEST_TARGET");
	int ret;

	if (strncmp(base, "outcome-", 8) || !mode)
		return -ENOEXEC;
	fprintf(stderr, "outcomes: %s %s\n", mode, name);
	if (!strcmp(mode, "accept"))
		return uexec_binprm_load_elf(bprm);
	if (!strcmp(mode, "fail"))
		return uexec_binprm_error(bprm, EPERM, "outcomes: refusing %s", name);
	if (!strcmp(mode, "nothing"))
		return 0;
	if (!strcmp(mode, "rewrite") && target) {
		ret = uexec_binprm_remove_arg_zero(bprm);
		if (!ret)
			ret = uexec_binprm_push_arg(bprm, name);
		if (!ret)
			ret = uexec_binprm_push_arg(bprm, "--from-plugin");
		if (!ret)
			ret = uexec_binprm_push_arg(bprm, target);
		if (!ret)
			ret = uexec_binprm_set_interpreter(bprm, target);
		return ret;
	}
	return -ENOEXEC;
}

static struct uexec_binfmt outcome_format = {
	.name = "outcomes",
	.load_binary = load_outcome,
};

static int outcomes_init(void)
{
	uexec_insert_binfmt(&outcome_format);	/* before ELF, to accept ELF */
	return 0;
}

UEXEC_PLUGIN("outcomes", "every outcome of a handler, for the tests", outcomes_init);
