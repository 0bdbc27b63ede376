/* SPDX-License-Identifier: MIT */
/* maps: print /proc/self/maps, the break and /proc/self/exe, for tests that
 * compare a run under uexec with the kernel's under setarch -R. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	char buf[4096], exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	FILE *f = fopen("/proc/self/maps", "r");

	exe[n > 0 ? n : 0] = 0;
	printf("exe %s\nbrk %p\n", exe, sbrk(0));
	while (f && fgets(buf, sizeof(buf), f))
		fputs(buf, stdout);
	return f ? 0 : 1;
}
