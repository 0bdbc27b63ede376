/* SPDX-License-Identifier: MIT */
#ifndef UEXEC_LIBC_COMPAT_H
#define UEXEC_LIBC_COMPAT_H

/*
 * The CLI linked with musl (configure --with-cli-libc=musl): force-included
 * into each of its objects, never into the glibc builds.  uexec's messages
 * are the system's: its errno texts and names are those of the glibc that
 * uexec-dynamic, the library and the shell use, taken from that glibc at
 * build time (errtab_gen.c), so that both CLIs print the same line for the
 * same failure.  musl has no strerrorname_np(), and its strerror() words
 * many errnos differently ("Out of memory" for ENOMEM).
 *
 * The two functions below return static strings; an errno outside the
 * table gets glibc's "Unknown error N" (in a buffer the next such call
 * overwrites) and no name.  libc_compat.c also replaces musl's open().
 */
#include <string.h>

char *uexec_compat_strerror(int err);
const char *uexec_compat_errname(int err);

#define strerror(e) uexec_compat_strerror(e)
#define strerrorname_np(e) uexec_compat_errname(e)

#endif
