/* SPDX-License-Identifier: MIT */
/*
 * auxv.c: the template is this process's own auxv, as the kernel gave it
 * (keys in order, AT_NULL excluded), with getauxval()'s values.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "binprm.h"
#include "debug.h"
#include "exec.h"
#include "execve.h"
#include "stack.h"
#include "mm.h"
#include "auxv.h"
#include "fresh.h"
#include "unit.h"

/* /proc/self/auxv without AT_NULL; returns the number of pairs. */
static size_t read_own_auxv(unsigned long (*out)[2], size_t max)
{
	unsigned long buf[2 * 128];
	size_t got = 0, n = 0;
	ssize_t r;
	int fd = open("/proc/self/auxv", O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	while (got < sizeof(buf) &&
	       (r = read(fd, (char *)buf + got, sizeof(buf) - got)) > 0)
		got += (size_t)r;
	close(fd);
	for (size_t i = 0; (i + 1) * 2 * sizeof(long) <= got; i++) {
		if (buf[2 * i] == AT_NULL)
			return n;
		ck_assert_uint_lt(n, max);
		out[n][0] = buf[2 * i];
		out[n][1] = buf[2 * i + 1];
		n++;
	}
	ck_abort_msg("/proc/self/auxv has no AT_NULL");
	return 0;
}

static bool first_of_key(const unsigned long (*v)[2], size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (v[j][0] == v[i][0])
			return false;
	return true;
}

START_TEST(auxv_template_is_own_auxv)
{
	unsigned long own[128][2], tmpl[UEXEC_MAX_AUXV][2];
	size_t nown, n = 12345;

	nown = read_own_auxv(own, 128);
	ck_assert_uint_gt(nown, 0);
	ck_assert_int_eq(uexec_auxv_template(tmpl, UEXEC_MAX_AUXV, &n), 0);
	ck_assert_uint_eq(n, nown);
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(tmpl[i][0] == own[i][0], "entry %zu: key %lu, the "
			      "kernel's is %lu", i, tmpl[i][0], own[i][0]);
		ck_assert_msg(tmpl[i][0] != AT_NULL, "AT_NULL in the template");
		ck_assert_msg(tmpl[i][1] == own[i][1], "key %lu: %#lx, the kernel's "
			      "is %#lx", tmpl[i][0], tmpl[i][1], own[i][1]);
		/* glibc's getauxval(AT_HWCAP) on x86 is not the kernel's
		 * value but glibc's own HWCAP_X86_* bits (cpu_features). */
		if (tmpl[i][0] == AT_HWCAP)
			continue;
		/* getauxval() answers with the first entry of a key (valgrind
		 * has several AT_IGNORE). */
		if (!first_of_key((const unsigned long (*)[2])tmpl, i))
			continue;
		ck_assert_msg(tmpl[i][1] == getauxval(tmpl[i][0]), "key %lu: %#lx, "
			      "getauxval says %#lx", tmpl[i][0], tmpl[i][1],
			      getauxval(tmpl[i][0]));
	}
}
END_TEST

START_TEST(auxv_template_has_basics)
{
	unsigned long tmpl[UEXEC_MAX_AUXV][2];
	size_t n = 0;
	bool pagesz = false, random = false, entry = false;

	ck_assert_int_eq(uexec_auxv_template(tmpl, UEXEC_MAX_AUXV, &n), 0);
	for (size_t i = 0; i < n; i++) {
		if (tmpl[i][0] == AT_PAGESZ) {
			pagesz = true;
			ck_assert_uint_eq(tmpl[i][1], (unsigned long)sysconf(_SC_PAGESIZE));
		}
		random |= tmpl[i][0] == AT_RANDOM;
		entry |= tmpl[i][0] == AT_ENTRY;
	}
	ck_assert(pagesz && random && entry);
}
END_TEST

START_TEST(auxv_template_max)
{
	unsigned long own[128][2], tmpl[UEXEC_MAX_AUXV][2];
	size_t nown, n = 0;

	nown = read_own_auxv(own, 128);
	ck_assert_uint_gt(nown, 3);
	memset(tmpl, 0xee, sizeof(tmpl));
	ck_assert_int_eq(uexec_auxv_template(tmpl, 3, &n), 0);
	ck_assert_uint_eq(n, 3);
	for (size_t i = 0; i < 3; i++)
		ck_assert_uint_eq(tmpl[i][0], own[i][0]);
	/* Nothing written beyond MAX. */
	ck_assert_uint_eq(tmpl[3][0], (unsigned long)-1 / 0xff * 0xee);
}
END_TEST

/* In a fresh process (fresh.h) the template comes from the initial stack:
 * the same pairs, values included, as /proc/self/auxv. */
START_TEST(auxv_template_from_initial_stack)
{
	unsigned long own[128][2], tmpl[UEXEC_MAX_AUXV][2];
	size_t nown, n = 0;

	nown = read_own_auxv(own, 128);
	uexec_fresh_process_announce(unit_initial_envp);
	ck_assert_ptr_nonnull(uexec_fresh_process_auxv());
	ck_assert_int_eq(uexec_auxv_template(tmpl, UEXEC_MAX_AUXV, &n), 0);
	uexec_fresh_process_forget();
	ck_assert_uint_eq(n, nown);
	for (size_t i = 0; i < n; i++) {
		ck_assert_uint_eq(tmpl[i][0], own[i][0]);
		ck_assert_uint_eq(tmpl[i][1], own[i][1]);
	}
}
END_TEST

/*
 * KNOWN BUG: where /proc/self/auxv cannot be read, auxv.c rebuilds the
 * template from getauxval(), and glibc's getauxval(AT_HWCAP) on x86_64 is
 * not the kernel's AT_HWCAP (CPUID bits, e.g. 0x178bfbff) but glibc's own
 * HWCAP_X86_64 (2): the new program gets a wrong AT_HWCAP.  The test hides
 * /proc under a tmpfs in a private mount namespace of a child process and
 * compares that template with the kernel's auxv.
 */
static int fallback_child(const unsigned long (*own)[2], size_t nown)
{
	unsigned long tmpl[UEXEC_MAX_AUXV][2];
	size_t n = 0;
	int bad = 0;

	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("none", "/proc", "tmpfs", 0, NULL)) {
		fprintf(stderr, "# cannot hide /proc (%s): not tested\n",
			strerror(errno));
		return 0;
	}
	if (access("/proc/self/auxv", F_OK) == 0)
		return 10;
	if (uexec_auxv_template(tmpl, UEXEC_MAX_AUXV, &n))
		return 11;
	for (size_t i = 0; i < nown; i++) {
		size_t j;

		for (j = 0; j < n && tmpl[j][0] != own[i][0]; j++)
			;
		if (j == n) {
			fprintf(stderr, "# fallback: key %lu missing\n", own[i][0]);
			bad = 1;
		} else if (own[i][0] != AT_RANDOM && own[i][0] != AT_EXECFN &&
			   tmpl[j][1] != own[i][1]) {
			fprintf(stderr, "# fallback: key %lu is %#lx, the kernel's %#lx\n",
				own[i][0], tmpl[j][1], own[i][1]);
			bad = 1;
		}
	}
	return bad;
}

START_TEST(auxv_fallback_values)
{
	unsigned long own[128][2];
	size_t nown;
	pid_t pid;
	int status;

	nown = read_own_auxv(own, 128);
	/* A child of our own: the mount namespace must not outlive it,
	 * whatever CK_FORK says. */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(fallback_child((const unsigned long (*)[2])own, nown));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_msg(WEXITSTATUS(status) == 0, "the getauxval() fallback differs "
		      "from the kernel's auxv (status %d, see stderr)",
		      WEXITSTATUS(status));
}
END_TEST

Suite *auxv_suite(bool known_bugs)
{
	Suite *s = suite_create("auxv");
	TCase *tc;

	tc = tcase_create("template");
	tcase_add_test(tc, auxv_template_is_own_auxv);
	tcase_add_test(tc, auxv_template_has_basics);
	tcase_add_test(tc, auxv_template_max);
	tcase_add_test(tc, auxv_template_from_initial_stack);
	suite_add_tcase(s, tc);

	if (known_bugs) {
		tc = tcase_create("known_bugs");
		tcase_add_test(tc, auxv_fallback_values);
		suite_add_tcase(s, tc);
	}
	return s;
}
