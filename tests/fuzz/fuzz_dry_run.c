/* SPDX-License-Identifier: MIT */
/*
 * The fuzz target: any bytes, as a program, through everything uexec does
 * before the point of no return (uexec_execve_mem_opts() with
 * UEXEC_F_DRY_RUN: the handlers with the system's binfmt.d rules, the ELF
 * checks, the plan, the reversible mapping and the final stage's
 * preparation, then the undo).  On every input it checks the contract:
 * the call returns, the process's descriptors and brk are as they were,
 * and a failure's reason is one line of printable ASCII.  A broken
 * contract aborts (the fuzzer reports it, with the input).
 *
 * Built two ways: with libFuzzer (configure --enable-fuzzing, clang), and
 * with tests/fuzz/smoke.c's main() for the test suite's short run.
 */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uexec/uexec.h"
#include "execve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void broken(const char *what)
{
	fprintf(stderr, "fuzz_dry_run: contract broken: %s (reason: %s)\n", what,
		uexec_strerror());
	abort();
}

static void check_one_line(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			broken("the reason is not one line of printable ASCII");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	static char *const argv[] = { "fuzzed", "arg", NULL };
	static char *const envp[] = { "FUZZ=1", NULL };
	struct uexec_options opts = { .flags = UEXEC_F_DRY_RUN };
	void *brk0;
	int fds0, ret;

	if (!null)
		null = fopen("/dev/null", "we");
	opts.plan_out = null;
	brk0 = sbrk(0);
	fds0 = count_fds();
	ret = uexec_execve_mem_opts(data, size, "fuzzed", argv, envp, &opts);
	if (ret != 0 && ret != -1)
		broken("neither 0 nor -1");
	if (ret)
		check_one_line(uexec_strerror());
	if (count_fds() != fds0)
		broken("descriptors changed");
	/* malloc may move brk for itself; the exec must not leave it lower. */
	if (sbrk(0) < brk0)
		broken("brk moved down");
	return 0;
}
