/* SPDX-License-Identifier: MIT */
/*
 * loadaddr: print where the kernel (or uexec) put this program, its stack,
 * its break and an mmap.  The one program whose output is addresses: the
 * harness compares two runs without randomisation (equal) and several runs
 * with it (not all equal).
 */
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"

extern const char __ehdr_start[];

int main(void)
{
	void *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int local;

	CHECK(m != MAP_FAILED, "mmap failed");
	printf("image %p\n", (const void *)__ehdr_start);
	printf("stack page %#lx\n", (unsigned long)&local & ~4095UL);
	printf("brk %p\n", sbrk(0));
	printf("mmap %p\n", m);
	return check_exit();
}
