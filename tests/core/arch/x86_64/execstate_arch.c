/* SPDX-License-Identifier: MIT */
/*
 * x86_64: a CPUID made to fault (arch_prctl ARCH_SET_CPUID 0) works again
 * after exec (arch_setup_new_exec() re-enables it).  The program is a glibc
 * one, whose start-up runs CPUID: still faulting, it dies of SIGSEGV before
 * main.  Needs CPUID faulting (Intel, or a hypervisor that offers it).
 */
#include <asm/prctl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "execstate_arch.h"

int execstate_set(char *token, size_t len)
{
	if (syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0)) {
		if (errno == ENODEV)
			return 77;
		printf("FAIL: ARCH_SET_CPUID 0: %s\n", strerror(errno));
		return 1;
	}
	snprintf(token, len, "cpuid-faults");
	return 0;
}

int execstate_check(const char *token)
{
	long on = syscall(SYS_arch_prctl, ARCH_GET_CPUID, 0);

	(void)token;
	if (on != 1) {
		printf("FAIL: ARCH_GET_CPUID is %ld after exec (1: CPUID works)\n", on);
		return 1;
	}
	return 0;
}
