/* SPDX-License-Identifier: MIT */
/*
 * layout-probe: print what a program sees of its address space, for the
 * layout matrix (tests/core/layout-matrix.sh), which compares a run under
 * the kernel with one under uexec, both without randomisation: the
 * personality, the break, a first anonymous mmap, a malloc of 1 MiB, a
 * stack address, the auxv's addresses and /proc/self/maps.  The same
 * output from both runs means the same layout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <unistd.h>

#ifndef AT_SYSINFO
#define AT_SYSINFO 32
#endif

static void aux(const char *name, unsigned long key)
{
	printf("%s %#lx\n", name, (unsigned long)getauxval(key));
}

int main(void)
{
	static char line[4096];
	volatile int local = 0;
	void *first = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *big = malloc(1UL << 20);
	FILE *f;

	printf("personality %#x\n", personality(0xffffffff));
	printf("brk %p\nmmap %p\nmalloc %p\nstack %p\n", sbrk(0), first, big,
	       (void *)&local);
	aux("AT_PHDR", AT_PHDR);
	aux("AT_ENTRY", AT_ENTRY);
	aux("AT_BASE", AT_BASE);
	aux("AT_SYSINFO_EHDR", AT_SYSINFO_EHDR);
	aux("AT_SYSINFO", AT_SYSINFO);
	aux("AT_EXECFN", AT_EXECFN);
	aux("AT_PLATFORM", AT_PLATFORM);
	aux("AT_RANDOM", AT_RANDOM);
	f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof(line), f))
		fputs(line, stdout);
	return f ? 0 : 1;
}
