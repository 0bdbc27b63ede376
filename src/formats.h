/* SPDX-License-Identifier: MIT */
/*
 * The handler list (the kernel's formats list in fs/exec.c) and its
 * management: the built-in handlers, listing (--list-handlers) and
 * disabling (--disable-handler).  uexec_register_binfmt(),
 * uexec_insert_binfmt(), uexec_unregister_binfmt() and
 * uexec_binfmt_first(), defined in formats.c, are public: see
 * include/uexec/binfmt.h.
 *
 * The list sits between the exec core, which walks it
 * (uexec_search_binary_handler), and the handlers, which put themselves on
 * it.  It is not thread-safe: it is set up by the single thread that is
 * about to exec.
 */
#ifndef UEXEC_FORMATS_H
#define UEXEC_FORMATS_H

#include <stdio.h>

#include "uexec/binfmt.h"

/* The built-in handlers at the tail, in the kernel's order: script, ELF
 * (binfmt_misc rules go in front of them).  Idempotent. */
void uexec_builtin_formats_init(void);

/* The built-in handlers in the list, and the trace on (DEBUG: UEXEC_DBG_*
 * categories, OUT: NULL for stderr) while handlers are set up by the
 * command line, before the exec sets them itself. */
void uexec_handlers_init(unsigned int debug, FILE *out);

/* Print the handler list in order, with origins, then the binfmt.d lines
 * that were skipped (--list-handlers). */
void uexec_list_handlers(FILE *out);

/* uexec_insert_binfmt() of a handler that is on no list (a rule just
 * made): at the head, without looking for it first. */
void uexec_push_binfmt(struct uexec_binfmt *fmt);

/* Disable the handlers called NAME (or misc:NAME); returns how many. */
int uexec_disable_handler(const char *name);

#endif
