/* SPDX-License-Identifier: MIT */
/*
 * Rule files (binfmt_d.c): --binfmt-file and the binfmt.d directories
 * systemd-binfmt reads (binfmt.d(5)), one binfmt_misc register string a
 * line, registered through binfmt_misc.c.
 */
#ifndef UEXEC_BINFMT_D_H
#define UEXEC_BINFMT_D_H

#include <stdio.h>

/* Called for each rule line that could not be registered. */
typedef void uexec_misc_report_fn(const char *file, unsigned int line,
				  const char *reason, void *arg);

/*
 * Register the rules of one binfmt.d file: one rule a line, blanks around
 * it ignored, empty lines and lines starting with '#' or ';' skipped.
 * Bad lines are reported through REPORT (may be NULL) and skipped.
 * Returns the number of bad lines, or -errno if the file cannot be read.
 */
int uexec_misc_load_file(const char *path, uexec_misc_report_fn *report, void *arg);

/*
 * The rule files systemd-binfmt reads: *.conf in /etc/binfmt.d,
 * /run/binfmt.d, /usr/local/lib/binfmt.d, /usr/lib/binfmt.d, /lib/binfmt.d
 * (or the directories of UEXEC_BINFMT_D_PATH, colon-separated), in the
 * order of their file names; a file name in an earlier directory hides the
 * same name in later ones.  Done once per process; bad lines are kept for
 * --list-handlers and traced (--debug=handlers), never fatal.
 */
void uexec_misc_load_system(void);

/* Print the lines uexec_misc_load_system() skipped, "skipped  WHERE: WHY"
 * a line (the tail of --list-handlers). */
void uexec_binfmt_d_list_skipped(FILE *out);

#endif
