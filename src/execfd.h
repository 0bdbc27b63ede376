/* SPDX-License-Identifier: MIT */
/*
 * The descriptor a uexec_fexecve() caller hands over, made one uexec can
 * read and map.
 */
#ifndef UEXEC_EXECFD_H
#define UEXEC_EXECFD_H

#include <stddef.h>

/*
 * A close-on-exec duplicate of FD (>= 3), or -1 with errno.  An O_PATH
 * descriptor (which glibc's fexecve() accepts: execveat(AT_EMPTY_PATH)
 * needs only execute permission) cannot be read or mapped: it is reopened
 * for reading through /proc/self/fd/FD, which needs read permission on the
 * file (as every file uexec runs does) and /proc mounted.
 */
int uexec_exec_fd_dup(int fd);

/*
 * The name of the file open on FD, as its dentry has it (the last
 * component of the path /proc/self/fd/FD leads to, without the
 * " (deleted)" that d_path() adds to a file removed or never linked, a
 * memfd's "memfd:NAME" among them), into BUF (LEN bytes, NUL-terminated,
 * cut to fit).  Returns BUF, or NULL where /proc cannot tell (not
 * mounted): the caller falls back on the name it has.
 */
const char *uexec_fd_dentry_name(int fd, char *buf, size_t len);

#endif
