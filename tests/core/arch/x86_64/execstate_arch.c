/* SPDX-License-Identifier: MIT */
/*
 * x86_64: the thread state exec resets that the caller can set.
 *  - A CPUID made to fault (arch_prctl ARCH_SET_CPUID 0) works again after
 *    exec (arch_setup_new_exec() re-enables it).  The program is a glibc
 *    one, whose start-up runs CPUID: still faulting, it dies of SIGSEGV
 *    before main.  Needs CPUID faulting (Intel, or a hypervisor that offers
 *    it); without it only the next one is tested.
 *  - A gs base set with ARCH_SET_GS is 0 after exec (start_thread()).
 */
#include <asm/prctl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "execstate_arch.h"

#define GS_BASE 0x123456000UL

int execstate_set(char *token, size_t len)
{
	int cpuid = 1;

	if (syscall(SYS_arch_prctl, ARCH_SET_GS, GS_BASE)) {
		printf("FAIL: ARCH_SET_GS: %s\n", strerror(errno));
		return 1;
	}
	if (syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0)) {
		if (errno != ENODEV) {
			printf("FAIL: ARCH_SET_CPUID 0: %s\n", strerror(errno));
			return 1;
		}
		cpuid = 0;
	}
	snprintf(token, len, "%s", cpuid ? "gs,cpuid-faults" : "gs");
	return 0;
}

int execstate_check(const char *token)
{
	unsigned long gs = 1;
	int r = 0;

	if (strstr(token, "cpuid-faults")) {
		long on = syscall(SYS_arch_prctl, ARCH_GET_CPUID, 0);

		if (on != 1) {
			printf("FAIL: ARCH_GET_CPUID is %ld after exec (1: CPUID works)\n", on);
			r = 1;
		}
	}
	if (syscall(SYS_arch_prctl, ARCH_GET_GS, &gs) || gs) {
		printf("FAIL: gs base is %#lx after exec (0, as start_thread() leaves it)\n", gs);
		r = 1;
	}
	return r;
}
