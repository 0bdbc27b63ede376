/* SPDX-License-Identifier: MIT */
/* ids: the credentials, AT_SECURE and dumpability this process started
 * with, one line, for tests/core/setid.sh. */
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(void)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;

	getresuid(&r, &e, &s);
	getresgid(&rg, &eg, &sg);
	printf("uid %u %u %u gid %u %u %u secure %lu auxv-euid %lu dumpable %d\n", r, e, s,
	       rg, eg, sg, getauxval(AT_SECURE), getauxval(AT_EUID),
	       prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	return 0;
}
