/* SPDX-License-Identifier: MIT */
/*
 * Credentials of the new program (creds.c): the kernel's bprm_fill_uid()
 * and cap_bprm_creds_from_file() before the point of no return, its
 * commit_creds() after it.
 *
 * uexec never gives a program more privilege than the kernel's exec would.
 * A set-user-ID or set-group-ID file (or one with file capabilities) is
 * honoured where the caller can take those credentials itself (it holds
 * CAP_SETUID/CAP_SETGID, or already has the ids); otherwise it runs as on a
 * nosuid mount, with the caller's credentials, and one line on stderr says
 * so unless UEXEC_F_QUIET_SETID or UEXEC_QUIET_SETID=1 asks for silence.
 */
#ifndef UEXEC_CREDS_H
#define UEXEC_CREDS_H

#include <stdbool.h>
#include <sys/types.h>

struct uexec_creds {
	uid_t uid, euid;	/* real (unchanged) and effective after the exec */
	gid_t gid, egid;
	bool setid;		/* the ids change */
	bool per_clear;		/* the file's set-id bits apply (bprm_fill_uid()):
				 * the personality loses PER_CLEAR_ON_SETID, even
				 * where the ids stay as they are */
	bool secure;		/* AT_SECURE */
};

/* The credentials an exec of the file open on FD gives (named NAME in the
 * one-line notice), into C.  Never fails: what cannot be had is not taken. */
void uexec_creds_for_exec(int fd, const char *name, bool quiet, struct uexec_creds *c);

/* Does this process hold capability CAP in its effective set? */
bool uexec_capable(int cap);

/* The final stage makes them the process's (final.c, final_creds()):
 * after PR_SET_MM_MAP, which needs the caller's capabilities. */

#endif
