/* SPDX-License-Identifier: MIT */
/*
 * fresh.c: the state of a process the kernel has just exec'd is off
 * unless announced, lost in a fork child and by forgetting, and the
 * descriptors held between execs are all known or said not to be.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fresh.h"
#include "unit.h"

START_TEST(fresh_off_unless_announced)
{
	ck_assert(!uexec_fresh_process());
	ck_assert_ptr_null(uexec_fresh_process_auxv());
	uexec_fresh_process_announce(unit_initial_envp);
	ck_assert(uexec_fresh_process());
	uexec_fresh_process_forget();
	ck_assert(!uexec_fresh_process());
	ck_assert_ptr_null(uexec_fresh_process_auxv());
}
END_TEST

/* A fork child has the parent's descriptors, opened after the exec: it is
 * not fresh, the parent still is. */
START_TEST(fresh_fork_child_forgets)
{
	pid_t pid;
	int status;

	uexec_fresh_process_announce(unit_initial_envp);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(uexec_fresh_process() || uexec_fresh_process_auxv() ? 1 : 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_msg(WEXITSTATUS(status) == 0, "a fork child is still fresh");
	ck_assert(uexec_fresh_process());
	uexec_fresh_process_forget();
}
END_TEST

/* More held descriptors than can be noted: the count is unknown until
 * enough of them are closed again. */
START_TEST(fresh_held_overflow)
{
	int fds[40];
	const int *held;

	ck_assert_uint_eq(uexec_fresh_process_held(&held), 0);
	for (int i = 0; i < 40; i++) {
		fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		ck_assert_int_ge(fds[i], 0);
		ck_assert_int_eq(uexec_fresh_process_hold_fd(fds[i]), fds[i]);
	}
	ck_assert_uint_eq(uexec_fresh_process_held(&held), (size_t)-1);
	/* Closing a noted one does not make the others known. */
	uexec_fresh_process_close_held_fd(fds[0]);
	ck_assert_uint_eq(uexec_fresh_process_held(&held), (size_t)-1);
	for (int i = 39; i >= 16; i--)
		uexec_fresh_process_close_held_fd(fds[i]);
	ck_assert_uint_eq(uexec_fresh_process_held(&held), 15);
	for (int i = 1; i < 16; i++) {
		bool found = false;

		for (size_t j = 0; j < 15; j++)
			found |= held[j] == fds[i];
		ck_assert_msg(found, "fd %d is held but not listed", fds[i]);
	}
	for (int i = 1; i < 16; i++)
		uexec_fresh_process_close_held_fd(fds[i]);
	ck_assert_uint_eq(uexec_fresh_process_held(&held), 0);
	ck_assert_int_eq(fcntl(fds[15], F_GETFD), -1);
}
END_TEST

Suite *fresh_suite(bool known_bugs)
{
	Suite *s = suite_create("fresh");
	TCase *tc = tcase_create("state");

	(void)known_bugs;
	tcase_add_test(tc, fresh_off_unless_announced);
	tcase_add_test(tc, fresh_fork_child_forgets);
	tcase_add_test(tc, fresh_held_overflow);
	suite_add_tcase(s, tc);
	return s;
}
