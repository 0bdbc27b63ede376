/* SPDX-License-Identifier: MIT */
/*
 * Is the calling process's address space shared with another process
 * (vfork(2), clone(2) with CLONE_VM but not CLONE_THREAD, glibc's
 * posix_spawn child)?  The kernel's exec gives the caller a new mm and
 * leaves the old one to the others; uexec replaces the mm in place, so
 * that every process sharing it would lose its memory (a vfork parent dies
 * of SIGSEGV when it resumes).  uexec_execve*() refuse such a caller with
 * EBUSY, before the point of no return.
 */
#ifndef UEXEC_SHAREDMM_H
#define UEXEC_SHAREDMM_H

#include <stddef.h>

/*
 * The kernel's own answer, in one system call: unshare(CLONE_VM) changes
 * nothing and succeeds only when the caller has one thread and no other
 * process uses its mm (check_unshare_flags(), current_is_single_threaded()
 * in the kernel).  1: alone; 0: not alone (threads, or a process sharing
 * the mm, whoever it is); -errno: the kernel could not be asked (a seccomp
 * filter, such as Docker's default, refuses unshare(2) with EPERM).
 */
int uexec_mm_alone(void);

/*
 * Returns 1 when the address space is shared, with a one-line reason in
 * WHY; 0 when no sharing was found (WHY untouched), also when it could not
 * be told: that is said under --debug=exec, and the exec carries on.
 *
 * What is compared, with kcmp(2) KCMP_VM: the parent (a vfork or CLONE_VM
 * child), the caller's children (the caller made a CLONE_VM child that
 * still runs) and the parent's other children (CLONE_VM siblings, or
 * CLONE_PARENT).  When kcmp is not available (no CONFIG_KCMP, or a seccomp
 * filter such as Docker's default refuses it), the parent alone is checked
 * through /proc/PPID/maps: a fresh mapping of the caller's that appears
 * there, and disappears when unmapped, is shared.  Not found by this
 * search: a process sharing the mm that is none of these (a CLONE_VM
 * grandchild whose parent has exited), one whose credentials forbid kcmp
 * (PTRACE_MODE_READ), or, without kcmp, children and siblings; where
 * unshare(2) can be called, uexec_mm_alone() has told them all apart
 * before this search runs (uexec_mm_shared_unnamed()).
 */
int uexec_mm_shared(char *why, size_t len);

/*
 * The same search, after uexec_mm_alone() said "not alone" for a process
 * of one thread: when no sharer is found, the kernel's word stands, and
 * the reason says so without naming one.  Returns 1 (WHY filled).
 */
int uexec_mm_shared_unnamed(char *why, size_t len);

#endif
