/* SPDX-License-Identifier: MIT */
/* A plugin whose init registers a handler and then fails: uexec must
 * remove the handler and report the error. */
#include <errno.h>

#include <uexec/binfmt.h>

static int never(struct uexec_binprm *bprm)
{
	return uexec_binprm_error(bprm, EIO, "initfail: this handler must not run");
}

static struct uexec_binfmt never_format = { .name = "initfail", .load_binary = never };

static int initfail_init(void)
{
	uexec_insert_binfmt(&never_format);
	return -ENODEV;
}

UEXEC_PLUGIN("initfail", "init fails", initfail_init);
