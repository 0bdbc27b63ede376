/* SPDX-License-Identifier: MIT */
/*
 * The program whose launch bench/launch.sh measures: nothing but exit 0.
 * With "work" as its first argument, it first does a few milliseconds of a
 * program's own work (writes 16 MiB and sums it 4 times),
 * for the case that compares the run time of a program, not its launch.
 */
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	enum { SIZE = 16 << 20, PASSES = 4 };
	volatile unsigned long sum = 0;
	unsigned long *p;

	if (argc < 2 || strcmp(argv[1], "work"))	/* (the 1 MiB argv case: exit) */
		return 0;
	p = malloc(SIZE);
	if (!p)
		return 1;
	for (size_t i = 0; i < SIZE / sizeof(*p); i++)
		p[i] = i;
	for (int k = 0; k < PASSES; k++)
		for (size_t i = 0; i < SIZE / sizeof(*p); i++)
			sum += p[i] ^ (unsigned long)k;
	free(p);
	return sum == 1 ? 2 : 0;
}
