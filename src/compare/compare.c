/* SPDX-License-Identifier: MIT */
/*
 * uexec --compare: run PROGRAM twice, through the kernel's execve(2) and
 * through uexec, each stopped at its first instruction under ptrace
 * (tracee.c), take a snapshot of each (snapshot.c), and print every
 * difference between the two initial states (items.c, diff.c, and the
 * architecture's registers, src/arch/ARCH/compare_regs.c).
 *
 * What is compared, and how (doc/debugging.md has the full table):
 *  - by value: what must be equal byte for byte (argv/env strings, their
 *    distance from the stack top, auxv keys and order and non-address
 *    values, registers but pc/sp, FPU control, cmdline, comm, signal
 *    masks, descriptors, mapping kinds/protections/offsets/sizes);
 *  - relocated: addresses are shown as "exe+0x1040", "interp+0x1c70",
 *    "stack top-0x1f8", "[vdso]+0x0" and compared in that form;
 *  - by kind: values that are random per run (ASLR'd stack pointer,
 *    AT_RANDOM and its bytes, the brk offset) compare only by what they
 *    point into;
 *  - known differences (built-in lists, and --compare-ignore): shown as
 *    KNOWN or IGNORED, not counted as failures.
 * Exit status: 0 same, 1 different, 2 could not compare.  i386 programs
 * are compared in their own word size and register view (snapshot.c, the
 * architecture's compare_regs.c).
 *
 * The two sides (about 1 MiB each) live on the heap: --compare runs
 * under small stack limits (ulimit -s 100).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/cmp.h"

static int compare_sides(const struct uexec_compare_opts *co, const char *prog,
			 const struct uexec_cmp_side *k, const struct uexec_cmp_side *u)
{
	struct uexec_cmp c = { .co = co, .out = co->out ? co->out : stdout, .k = k, .u = u };

	fprintf(c.out, "uexec --compare: %s (kernel pid %d, uexec pid %d)\n", prog, k->pid,
		u->pid);
	uexec_cmp_row(&c, "", "item", "kernel", "uexec");
	uexec_arch_compare_regs(&c, &k->regs, &u->regs);
	uexec_cmp_auxv(&c);
	uexec_cmp_stack(&c);
	uexec_cmp_mm(&c);
	uexec_cmp_maps(&c);
	uexec_cmp_process(&c);
	fprintf(c.out, "result: %d items: %d same, %d different, %d known differences, "
		"%d ignored: %s\n", c.same + c.differ + c.known + c.ignored, c.same, c.differ,
		c.known, c.ignored, c.differ ? "DIFFERENT" : "SAME");
	fflush(c.out);
	return c.differ ? 1 : 0;
}

/* The kernel side's argv: ARGV with argv[0] replaced by -a's NAME (a
 * copy to free in *COPY), or ARGV itself; NULL when out of memory. */
static char *const *kernel_argv(char *const argv[], const char *argv0, char ***copy)
{
	size_t n = 0;

	*copy = NULL;
	if (!argv0)
		return argv;
	while (argv[n])
		n++;
	*copy = calloc(n + 2, sizeof(**copy));
	if (!*copy)
		return NULL;
	memcpy(*copy, argv, n * sizeof(**copy));
	(*copy)[0] = (char *)argv0;
	return *copy;
}

int uexec_compare_main(const char *prog, char *const argv[], char *const envp[],
		       const struct uexec_compare_opts *co)
{
	struct uexec_cmp_side *k = NULL, *u = NULL;
	char *const *kargv;
	char **copy = NULL;
	int ret = 2;

#ifndef UEXEC_ARCH_PTRACE_REGS
	fprintf(stderr, "uexec: --compare: not implemented on this architecture\n");
	return 2;
#endif
	kargv = kernel_argv(argv, co->argv0, &copy);
	k = uexec_cmp_side_new("kernel");
	u = uexec_cmp_side_new("uexec");
	if (!kargv || !k || !u) {
		uexec_cmp_perror("memory");
		goto out_kill;
	}
	if (uexec_cmp_start_traced(k, prog, kargv, envp) ||
	    uexec_cmp_start_uexec(u, prog, argv, envp, co))
		goto out_kill;
	if (uexec_cmp_snapshot(k, prog) || uexec_cmp_snapshot(u, prog)) {
		uexec_cmp_perror("reading the stopped processes");
		goto out_kill;
	}
	ret = compare_sides(co, prog, k, u);
out_kill:
	uexec_cmp_side_free(k);
	uexec_cmp_side_free(u);
	free(copy);
	return ret;
}
