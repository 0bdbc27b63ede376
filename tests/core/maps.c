/* SPDX-License-Identifier: MIT */
/* maps: print /proc/self/maps, the break and /proc/self/exe, for tests that
 * compare a run under uexec with the kernel's under setarch -R.  With an
 * argument, the proc file system mounted there is read instead of /proc
 * (a test that hides /proc from uexec). */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *proc = argc > 1 ? argv[1] : "/proc";
	char buf[4096], exe[4096], path[4096];
	ssize_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/self/exe", proc);
	n = readlink(path, exe, sizeof(exe) - 1);
	snprintf(path, sizeof(path), "%s/self/maps", proc);
	f = fopen(path, "r");
	exe[n > 0 ? n : 0] = 0;
	printf("exe %s\nbrk %p\n", exe, sbrk(0));
	while (f && fgets(buf, sizeof(buf), f))
		fputs(buf, stdout);
	return f ? 0 : 1;
}
