/* SPDX-License-Identifier: MIT */
/*
 * hello [STATUS [ARG...]]: print the arguments and $HELLO, exit STATUS.
 * Built for every link mode (glibc and musl; static, static-pie, dynamic
 * PIE and non-PIE): the first proof that a program starts, sees what it
 * was given and ends with the status it chose.
 */
#include <errno.h>

#include "check.h"

extern char **environ;

/* "0".."255" only: anything else is a harness mistake, not a status. */
static int parse_status(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 255)
		return 0;
	*out = (int)v;
	return 1;
}

int main(int argc, char **argv)
{
	const char *hello = getenv("HELLO");
	int status = 0, envc = 0;

	printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	printf("HELLO=%s\n", hello ? hello : "(unset)");
	while (environ[envc])
		envc++;
	CHECK(argc >= 1, "argc %d < 1", argc);
	CHECK(argv[argc] == NULL, "argv[argc] is not NULL");
	/* The environment follows argv's NULL on the initial stack. */
	CHECK(environ == argv + argc + 1, "environ is not right after argv");
	if (argc > 1)
		CHECK(parse_status(argv[1], &status), "status argument '%s'", argv[1]);
	if (check_exit())
		return 1;
	fflush(stdout);
	return status;
}
