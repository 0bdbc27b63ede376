/* SPDX-License-Identifier: MIT */
/*
 * The rewriting handlers: "#!" scripts (binfmt_script.c) and binfmt_misc
 * rules (binfmt_misc.c), and the rule sources (--binfmt, --binfmt-file,
 * the binfmt.d directories systemd-binfmt reads).
 *
 * Rules are handlers: each registered rule is one struct uexec_binfmt put
 * at the head of the handler list, so that, as in the kernel (whose
 * binfmt_misc adds new entries at the head of its list and sits before
 * the script and ELF handlers), the newest rule is tried first and every
 * rule before the built-in handlers.
 */
#ifndef UEXEC_BINFMT_MISC_H
#define UEXEC_BINFMT_MISC_H

#include <stdbool.h>
#include <stdio.h>

#include "uexec/binfmt.h"

/* binfmt_script.c */
extern struct uexec_binfmt uexec_script_format;
/* The kernel's BINPRM_FLAGS_PATH_INACCESSIBLE: NAME is "/dev/fd/N" and N
 * is close-on-exec (or closed), so an interpreter could not open it. */
bool uexec_path_inaccessible(const char *name);

/* The kernel's limits of a register string (MAX_REGISTER_LENGTH) and of
 * magic + offset (BINPRM_BUF_SIZE since Linux 5.1). */
#define UEXEC_MISC_MAX_REGISTER_LENGTH 1920
#define UEXEC_MISC_BUF_SIZE 256

/*
 * Parse RULE (LEN bytes, the kernel's ":name:type:offset:magic:mask:
 * interpreter:flags", a trailing '\n' allowed) and register it at the head
 * of the handler list; ORIGIN (copied) says where it came from.  Returns 0,
 * or -errno as the kernel's register file would (EINVAL for a malformed
 * rule, EEXIST for a name in use, ENAMETOOLONG, or the error of opening the
 * interpreter for flag F) with the reason in ERR.
 */
int uexec_misc_register(const char *rule, size_t len, const char *origin,
			char *err, size_t errlen);

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

/* The built-in handlers (script, ELF) in the list, and the trace on
 * (DEBUG: UEXEC_DBG_* categories, OUT: NULL for stderr) while handlers
 * are set up by the command line, before the exec sets them itself. */
void uexec_handlers_init(unsigned int debug, FILE *out);

/* "misc:NAME -> description" of a rule handler, or NULL for others. */
const char *uexec_misc_describe(const struct uexec_binfmt *fmt, char *buf, size_t len);

/* Print the handler list in order, with origins (--list-handlers). */
void uexec_list_handlers(FILE *out);

/* Disable the handlers called NAME (or misc:NAME); returns how many. */
int uexec_disable_handler(const char *name);

#endif
