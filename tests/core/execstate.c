/* SPDX-License-Identifier: MIT */
/*
 * execstate: the thread state the kernel's exec resets that only the
 * thread itself can (arch_setup_new_exec()), set by a library caller and
 * checked by the program it runs.
 *
 *   execstate set PROGRAM [ARG...]         set it (tests/core/arch/ARCH/
 *   execstate set-kernel PROGRAM [ARG...]  execstate_arch.c), then run
 *                                          PROGRAM with uexec_execve(), or
 *                                          with execve() (the kernel's)
 *   execstate check [TOKEN]                in the program: is it reset?
 *                                          "execstate ok", or FAIL lines
 *
 * set passes a token (what the state was: a signed pointer, say) as the
 * program's last argument.  Status 77: this machine has none of the state
 * (the CPU or the kernel lacks every feature): nothing to test.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "uexec/uexec.h"
#include "execstate_arch.h"

extern char **environ;

int main(int argc, char **argv)
{
	char token[160] = "", *args[64];
	int kernel, n = 0, r;

	if (argc >= 2 && !strcmp(argv[1], "check")) {
		r = execstate_check(argc > 2 ? argv[2] : "");
		if (!r)
			printf("execstate ok\n");
		return r ? 1 : 0;
	}
	if (argc < 3 || argc > 60 || (strcmp(argv[1], "set") && strcmp(argv[1], "set-kernel")))
		return 2;
	kernel = !strcmp(argv[1], "set-kernel");
	for (int i = 2; i < argc; i++)
		args[n++] = argv[i];
	r = execstate_set(token, sizeof(token));
	if (r)
		return r;
	args[n++] = token;
	args[n] = NULL;
	if (kernel)
		execve(args[0], args, environ);
	else
		uexec_execve(args[0], args, environ);
	printf("FAIL: exec: %s\n", kernel ? "execve" : uexec_strerror());
	return 1;
}
