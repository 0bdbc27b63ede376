/* SPDX-License-Identifier: MIT */
/*
 * A binfmt_misc rule as binfmt_misc.c keeps it, shared with its listing
 * (binfmt_misc_list.c) only.
 */
#ifndef UEXEC_BINFMT_MISC_RULE_H
#define UEXEC_BINFMT_MISC_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uexec/binfmt.h"

#define MISC_FMT_PRESERVE_ARGV0 0x1u
#define MISC_FMT_OPEN_BINARY 0x2u
#define MISC_FMT_CREDENTIALS 0x4u
#define MISC_FMT_OPEN_FILE 0x8u

/*
 * A rule either owns its strings (TEXT, FMT_NAME and the handler's origin
 * are its own allocations) or borrows them for the life of the process
 * (BORROWED: a rule of the cache, whose records are never freed; the rule
 * itself then sits in a shared block, see rule_alloc()).
 */
struct misc_rule {
	struct uexec_binfmt fmt;	/* first: the handler is the rule */
	char *text;			/* owned copy of the rule, parsed in place */
	char *fmt_name;			/* owned "misc:NAME" (fmt.name) */
	const char *name, *interpreter;
	bool magic_type;		/* M; else E */
	bool borrowed;
	int offset;
	size_t size;			/* bytes of magic (and mask) */
	const unsigned char *magic;	/* M: unescaped bytes; E: the extension */
	const unsigned char *mask;	/* or NULL */
	unsigned int flags;		/* MISC_FMT_* */
	uint32_t name_hash;		/* of NAME: check_name() compares it first */
	int interp_fd;			/* F: opened at registration, else -1 */
	struct misc_rule *next;		/* all rules, for names and listing */
};

/* The rule that handler FMT is, or NULL for other handlers. */
struct misc_rule *uexec_misc_rule_of(const struct uexec_binfmt *fmt);

#endif
