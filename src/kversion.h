/* SPDX-License-Identifier: MIT */
/*
 * The running kernel's version, for the few rules of the kernel that
 * changed between releases and that uexec follows as the running kernel
 * applies them.
 */
#ifndef UEXEC_KVERSION_H
#define UEXEC_KVERSION_H

#define UEXEC_KVERSION(major, minor) ((major) * 1000 + (minor))

/* The running kernel's version as UEXEC_KVERSION(major, minor), from
 * uname(2) once per process; 0 when unknown (callers then follow the
 * newest kernel's rule). */
int uexec_kernel_version(void);

/* The version of the release string S ("6.1.0-57-arm64"); 0 without one. */
int uexec_kernel_version_of(const char *s);

#endif
