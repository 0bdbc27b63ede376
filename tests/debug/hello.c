/* SPDX-License-Identifier: MIT */
/* The known program of the debug tests: prints its arguments, exits 0. */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("hello");
	for (int i = 1; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	return 0;
}
