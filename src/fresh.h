/* SPDX-License-Identifier: MIT */
/*
 * A process the kernel has just exec'd (fresh.c): what the kernel's own
 * exec already guarantees about it, so that uexec need not establish it
 * again.  Off unless the static CLI's main() announces it; the library,
 * uexec-dynamic and every fork child have it off.
 *
 * While on, uexec takes as given, without looking:
 *  - every signal is SIG_DFL or SIG_IGN, with no flags and an empty mask
 *    (the kernel's flush_signal_handlers() ran at the exec, and nothing
 *    since has installed a handler): the commit does not reset them;
 *  - every descriptor the kernel passed is without FD_CLOEXEC (the exec
 *    closed the others), so the close-on-exec ones are uexec's own, which
 *    the commit closes by name instead of scanning /proc/self/fd;
 *  - the process has one thread and its address space is its own (a new
 *    mm; uexec makes no thread and no CLONE_VM child): the thread count
 *    and the shared-mm check (sharedmm.c) are skipped;
 *  - an anonymous executable mapping is not uexec's (its only one is the
 *    final stage's blob, kept anyway): an emulator's page, which the arch
 *    may keep (uexec_arch_foreign_mapping, archdep.h);
 *  - no mapping is sealed (mseal(2)) but the kernel's own, the vDSO and
 *    vvar (CONFIG_MSEAL_SYSTEM_MAPPINGS) and the page at 0 of
 *    MMAP_PAGE_ZERO: the CLI's libc seals nothing, so final_prepare.c looks
 *    only there, and the exec sealed all the kernel's or none (one is
 *    asked: place_vdso());
 *  - syscall user dispatch is off (the exec turned it off);
 *  - the auxv is the one on the initial stack, after the original envp's
 *    NULL (the kernel copied mm->saved_auxv there): /proc/self/auxv is not
 *    read.
 */
#ifndef UEXEC_FRESH_H
#define UEXEC_FRESH_H

#include <stdbool.h>

/*
 * Called once by the static CLI's main(), before anything else can run
 * foreign code, open a descriptor without O_CLOEXEC for itself, install a
 * signal handler, make a thread or share its mm; ENVP is main()'s original
 * envp, on the initial stack.  From then on those are the caller's
 * responsibility: whatever would break one of them (loading a plugin or
 * any other foreign code, a handler, a thread) must call
 * uexec_fresh_process_forget() first.  A fork child forgets by itself
 * (pthread_atfork): its descriptors are no longer only the kernel's.
 */
void uexec_fresh_process_announce(char **envp);
/* The guarantees above no longer hold; the full checks are made. */
void uexec_fresh_process_forget(void);
bool uexec_fresh_process(void);
/* The auxv on the initial stack (pairs, up to AT_NULL), or NULL when the
 * process is not fresh. */
const unsigned long *uexec_fresh_process_auxv(void);

/*
 * Descriptors uexec keeps open from one exec to the next (binfmt_misc's
 * flag F interpreters), which the commit of a fresh process must close
 * with the exec's own: their owner notes each one it opens (hold, which
 * returns FD) and closes it with uexec_fresh_process_close_held_fd().
 * uexec_fresh_process_held() gives them and their count, or (size_t)-1
 * when more were held than could be noted (the commit then scans).
 */
int uexec_fresh_process_hold_fd(int fd);
void uexec_fresh_process_close_held_fd(int fd);
size_t uexec_fresh_process_held(const int **fds);

#endif
