/* SPDX-License-Identifier: MIT */
/*
 * The new program's credentials (creds.h has the contract).  The kernel's
 * rules, from fs/exec.c bprm_fill_uid() and security/commoncap.c
 * cap_bprm_creds_from_file(): nothing on a nosuid mount or under
 * no_new_privs; S_ISUID gives the file's uid as the effective uid; S_ISGID
 * with S_IXGRP the file's gid as the effective gid; the saved and
 * filesystem ids follow the effective ones; the exec is "secure"
 * (AT_SECURE) when the effective ids differ from the real ones or change.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "creds.h"
#include "escape.h"

bool uexec_capable(int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return false;
	return d[cap / 32].effective & (1u << (cap % 32));
}

static bool in_groups(gid_t g)
{
	gid_t list[256];
	int n = getgroups(256, list);

	if (g == getegid())
		return true;
	for (int i = 0; i < n; i++)
		if (list[i] == g)
			return true;
	return false;
}

/* May the file's set-id bits apply at all (mnt_may_suid, no_new_privs)? */
static bool setid_allowed(int fd)
{
	struct statvfs vfs;

	if (fstatvfs(fd, &vfs) == 0 && (vfs.f_flag & ST_NOSUID))
		return false;
	return prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1;
}

static void notice(const char *name, const char *what, bool quiet)
{
	const char *env = getenv("UEXEC_QUIET_SETID");

	if (quiet || (env && *env && strcmp(env, "0")))
		return;
	uexec_eprint("%s: %s ignored: uexec cannot take those credentials, so the "
		     "program runs as on a nosuid mount (UEXEC_QUIET_SETID=1 silences "
		     "this)", name, what);
}

/* Take the file's ids where the caller could set them itself; returns
 * whether its set-id bits apply (S_ISUID, or S_ISGID with S_IXGRP). */
static bool take_ids(const struct stat *st, const char *name, bool quiet,
		     struct uexec_creds *c)
{
	bool uid_ok = st->st_uid == c->euid || st->st_uid == c->uid || uexec_capable(CAP_SETUID);
	bool gid_ok = st->st_gid == c->egid || st->st_gid == c->gid || uexec_capable(CAP_SETGID);
	bool want_gid = (st->st_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP);

	if ((st->st_mode & S_ISUID) && !uid_ok) {
		notice(name, "set-user-ID", quiet);
		return false;
	}
	if (want_gid && !gid_ok) {
		notice(name, "set-group-ID", quiet);
		return false;
	}
	if (st->st_mode & S_ISUID)
		c->euid = st->st_uid;
	if (want_gid)
		c->egid = st->st_gid;
	return (st->st_mode & S_ISUID) || want_gid;
}

void uexec_creds_for_exec(int fd, const char *name, bool quiet, struct uexec_creds *c)
{
	uid_t old_euid = geteuid();
	gid_t old_egid = getegid();
	struct stat st;

	c->uid = getuid();
	c->gid = getgid();
	c->euid = old_euid;
	c->egid = old_egid;
	c->setid = c->per_clear = false;
	if (fstat(fd, &st) == 0 && (st.st_mode & (S_ISUID | S_ISGID)) && setid_allowed(fd)) {
		c->per_clear = take_ids(&st, name, quiet, c);
		c->setid = c->euid != old_euid || c->egid != old_egid;
	} else if (c->uid != 0 && fgetxattr(fd, "security.capability", NULL, 0) > 0 &&
		   setid_allowed(fd)) {
		/* File capabilities raise a non-root caller's permitted set;
		 * uexec cannot grant capabilities.  (A root caller has them.) */
		notice(name, "file capabilities", quiet);
	}
	c->secure = c->euid != c->uid || c->egid != c->gid || c->euid != old_euid ||
		    (c->egid != old_egid && !in_groups(c->egid));
}
