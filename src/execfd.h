/* SPDX-License-Identifier: MIT */
/*
 * The descriptor a uexec_fexecve() caller hands over, made one uexec can
 * read and map.
 */
#ifndef UEXEC_EXECFD_H
#define UEXEC_EXECFD_H

/*
 * A close-on-exec duplicate of FD (>= 3), or -1 with errno.  An O_PATH
 * descriptor (which glibc's fexecve() accepts: execveat(AT_EMPTY_PATH)
 * needs only execute permission) cannot be read or mapped: it is reopened
 * for reading through /proc/self/fd/FD, which needs read permission on the
 * file (as every file uexec runs does) and /proc mounted.
 */
int uexec_exec_fd_dup(int fd);

#endif
