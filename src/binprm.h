/* SPDX-License-Identifier: MIT */
/*
 * The exec in progress (the kernel's linux_binprm), and its accessors for
 * handlers (binprm.c; the plugin ABI is include/uexec/binfmt.h).
 *
 * Ownership: a binprm owns its file descriptor(s), its argv/envp copies and
 * the plan the ELF handler makes; uexec_binprm_free() releases all of it.
 * Nothing here touches the caller's address space.
 */
#ifndef UEXEC_BINPRM_H
#define UEXEC_BINPRM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "uexec/uexec.h"
#include "uexec/binfmt.h"
#include "creds.h"
#include "plan.h"

#define UEXEC_BINPRM_INTERP_MAX 4096	/* PT_INTERP path bound (PATH_MAX) */

/* A growable NULL-terminated vector of strings: the caller's, borrowed
 * (they live until the stack image is built from them), and copies of
 * those pushed (owned, in OWN until uexec_strv_free, even once removed
 * from the vector). */
struct uexec_strv {
	char **v;
	size_t n, cap;
	struct uexec_strv_own *own;
};

struct uexec_binprm {
	unsigned char buf[UEXEC_BINPRM_BUF_SIZE];
	size_t buf_len;
	int fd;				/* the current file, owned */
	int fd_arg;			/* the descriptor asked to run (fexecve's), borrowed, or -1 */
	char *filename;			/* what was asked to run (AT_EXECFN) */
	char *interp_name;		/* the name the current file has */
	struct uexec_strv argv, envp;
	int depth;			/* rewrites so far */
	bool point_of_no_return;
	/* bprm_stack_limits(): the bytes the strings may take, computed
	 * before the handlers from the caller's argc and envc. */
	size_t arg_limit;
	size_t rlim_stack;		/* RLIMIT_STACK as it read it, (size_t)-1 unlimited:
					 * the kernel's bprm->rlim_stack, read once */
	bool path_inaccessible;		/* BINPRM_FLAGS_PATH_INACCESSIBLE, set once by bprm_init */
	bool comm_from_dentry;		/* a descriptor without a name (execveat()'s
					 * AT_EMPTY_PATH): comm is the last file's own
					 * name, as since Linux 6.14 (543841d18060) */

	/* Set by a rewriting handler; consumed by exec_binprm(). */
	int next_fd;
	char *next_name;

	unsigned int interp_flags;	/* UEXEC_BINPRM_F_* */
	int execfd;			/* AT_EXECFD, or -1 */
	int timens_fd;			/* the time namespace unshare(CLONE_NEWTIME)
					 * made for the program, which the commit
					 * enters (exec_task_namespaces()), or -1 */
	const struct uexec_options *opts;
	struct uexec_binfmt *handler;
	struct uexec_plan plan;		/* the ELF handler's decision */
	struct uexec_creds cred;	/* the program's credentials (creds.h) */

	char err[512];			/* the reason, one line */
};

#define UEXEC_BINPRM_F_PRESERVE_ARGV0 0x1u
#define UEXEC_BINPRM_F_EXECFD 0x2u

int uexec_strv_init(struct uexec_strv *sv, char *const *src);
int uexec_strv_push_front(struct uexec_strv *sv, const char *s);
void uexec_strv_free(struct uexec_strv *sv);

/* An empty binprm (no descriptors, no strings) for OPTS. */
void uexec_binprm_init(struct uexec_binprm *bprm, const struct uexec_options *opts);
void uexec_binprm_free(struct uexec_binprm *bprm);
bool uexec_binprm_path_inaccessible(const struct uexec_binprm *bprm);

#endif
