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
 * The largest rule file read (1 MiB): each line is one rule of at most the
 * kernel's MAX_REGISTER_LENGTH (1920 bytes, UEXEC_MISC_MAX_REGISTER_LENGTH;
 * a longer line is a bad line), so this is hundreds of rules.  A rule file
 * must be a regular file (or /dev/null, which reads as empty); it is opened
 * with O_NONBLOCK and never waited for.
 */
#define UEXEC_BINFMT_FILE_MAX (1 << 20)

/*
 * Register the rules of one binfmt.d file: one rule a line, blanks around
 * it ignored, empty lines and lines starting with '#' or ';' skipped.
 * Bad lines are reported through REPORT (may be NULL) and skipped.
 * Returns the number of bad lines, or -errno with a one-line reason in ERR
 * if the file cannot be read (not a regular file, over
 * UEXEC_BINFMT_FILE_MAX, an error of open or read).
 */
int uexec_misc_load_file(const char *path, uexec_misc_report_fn *report, void *arg,
			 char *err, size_t errlen);

/*
 * The rule files systemd-binfmt reads: *.conf in /etc/binfmt.d,
 * /run/binfmt.d, /usr/local/lib/binfmt.d, /usr/lib/binfmt.d, /lib/binfmt.d
 * (or the directories of UEXEC_BINFMT_D_PATH, colon-separated), in the
 * order of their file names; a file name in an earlier directory hides the
 * same name in later ones.  Done once per process; bad lines, and files
 * that cannot be read (see uexec_misc_load_file), are kept for
 * --list-handlers and traced (--debug=handlers), never fatal.
 */
void uexec_misc_load_system(void);

/* Print the lines uexec_misc_load_system() skipped, "skipped  WHERE: WHY"
 * a line (the tail of --list-handlers). */
void uexec_binfmt_d_list_skipped(FILE *out);

#endif
