/* SPDX-License-Identifier: MIT */
/*
 * A plugin built for another ABI version: uexec must refuse it without
 * running any of its code, its ELF constructor included.
 */
#include <stdio.h>
#include <unistd.h>

#include <uexec/binfmt.h>

__attribute__((constructor)) static void badabi_constructor(void)
{
	static const char msg[] = "badabi: CONSTRUCTOR RAN\n";

	write(2, msg, sizeof(msg) - 1);
}

static int badabi_init(void)
{
	fprintf(stderr, "badabi: INIT RAN\n");
	return 0;
}

UEXEC_API const struct uexec_plugin uexec_plugin = {
	.abi_version = UEXEC_BINFMT_ABI_VERSION + 1,
	.name = "badabi",
	.description = "built for the next ABI version",
	.init = badabi_init,
};
