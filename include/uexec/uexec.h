/* SPDX-License-Identifier: MIT */
/*
 * uexec: run a program in the calling process without execve(2).
 *
 * Contract of every uexec_exec*() call:
 *  - On success it does not return: the calling process image is replaced
 *    by the program, as execve(2) replaces it.
 *  - Before the point of no return any failure returns -1 with errno set,
 *    and the calling process is left as it was (no mapping, descriptor,
 *    signal disposition or other state of it is changed).  The reason is
 *    available as one line from uexec_strerror().
 *  - After the point of no return a failure prints one line,
 *    "uexec: FILE: reason", to standard error and calls _exit(127).
 *
 * The calling process must be single-threaded (as after the kernel's exec,
 * no other thread could survive); a multi-threaded caller gets EBUSY... and
 * nothing else happens.
 *
 * Nor may it share its address space with another process: a vfork(2)
 * child, a clone(2) CLONE_VM child, or a process whose CLONE_VM child or
 * sibling still runs gets EBUSY (the kernel's exec would give it a new
 * address space; uexec can only replace the shared one, which would kill
 * the others: a vfork parent would die of SIGSEGV).  Use fork(2) before
 * uexec_execve().  Detected with kcmp(2) KCMP_VM against the parent, the
 * children and the parent's children; where kcmp is refused (no
 * CONFIG_KCMP, a seccomp filter) only the parent is checked, through its
 * /proc/PID/maps.  A sharer that is none of these (a CLONE_VM grandchild
 * reparented after its parent's exit), or that the caller may not inspect
 * (PTRACE_MODE_READ), is not detected.
 */
#ifndef UEXEC_UEXEC_H
#define UEXEC_UEXEC_H

#include <stddef.h>
#include <stdio.h>

#ifndef UEXEC_API
#define UEXEC_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define UEXEC_VERSION_STRING "0.1.0"

/* Exit statuses of the command line tool, as the shell uses them. */
#define UEXEC_EXIT_CANNOT_EXECUTE 126
#define UEXEC_EXIT_NOT_FOUND 127

/* Options of one exec; zero-initialise and set what you need. */
struct uexec_options {
	unsigned int flags;		/* UEXEC_F_* */
	const char *argv0;		/* replaces argv[0] when non-NULL */
	const char *interp;		/* overrides PT_INTERP when non-NULL */
	FILE *plan_out;			/* UEXEC_F_DRY_RUN: where the plan goes */
	unsigned int debug;		/* UEXEC_DBG_* categories */
	FILE *debug_out;		/* NULL: stderr */
};

#define UEXEC_F_DRY_RUN		0x0001u	/* stop before the point of no return */
#define UEXEC_F_JSON		0x0002u	/* with DRY_RUN: the plan as JSON */
#define UEXEC_F_BREAK		0x0004u	/* SIGSTOP at the entry point */
#define UEXEC_F_NO_SYSTEM_BINFMT 0x0008u
#define UEXEC_F_LAYOUT		0x0010u	/* with DRY_RUN: the address space drawn */
#define UEXEC_F_LAYOUT_SVG	0x0020u	/* with DRY_RUN: the same as an SVG document */
#define UEXEC_F_QUIET_SETID	0x0040u	/* no notice when set-user-ID or file
					 * capabilities cannot be honoured */

/* Debug categories (--debug=...). */
#define UEXEC_DBG_HANDLERS	0x0001u
#define UEXEC_DBG_ELF		0x0002u
#define UEXEC_DBG_MAP		0x0004u
#define UEXEC_DBG_BRK		0x0008u
#define UEXEC_DBG_STACK		0x0010u
#define UEXEC_DBG_ENTRY		0x0020u
#define UEXEC_DBG_ERRORS	0x0040u
#define UEXEC_DBG_EXEC		0x0080u	/* exec semantics: signals, fds, prctl */
#define UEXEC_DBG_ALL		0x00ffu

/* execve(2) in the calling process: PATH is opened as given.  A NULL ARGV
 * (or ENVP) is an empty one; an empty ARGV gets "" as argv[0], as Linux
 * >= 5.18 gives it. */
UEXEC_API int uexec_execve(const char *path, char *const argv[], char *const envp[]);

/* fexecve(3): the program open on FD (which is closed by the exec).  FD
 * may be an O_PATH descriptor, as for glibc's fexecve(): uexec reopens it
 * through /proc/self/fd (so it needs /proc and read permission). */
UEXEC_API int uexec_fexecve(int fd, char *const argv[], char *const envp[]);

/* The program image in memory (LEN bytes at BUF); NAME names it in
 * messages and in /proc/self/maps. */
UEXEC_API int uexec_execve_mem(const void *buf, size_t len, const char *name,
		     char *const argv[], char *const envp[]);

/* The general form: exactly one of PATH (with FD < 0) or FD >= 0. */
UEXEC_API int uexec_execve_opts(const char *path, int fd, char *const argv[],
		      char *const envp[], const struct uexec_options *opts);

/* The reason for the last failure of this thread, one line, no newline:
 * printable ASCII only, every other byte (of a file name, a #! line, a
 * PT_INTERP string) escaped as \n, \t, \r or \xHH. */
UEXEC_API const char *uexec_strerror(void);

/* Exit status the shell would give for errno value ERR (126 or 127). */
UEXEC_API int uexec_exit_status(int err);

#ifdef __cplusplus
}
#endif
#endif
