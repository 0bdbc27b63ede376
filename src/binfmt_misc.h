/* SPDX-License-Identifier: MIT */
/*
 * binfmt_misc rules (binfmt_misc.c): the handler and its register-string
 * parser.  The rule files are binfmt_d.c's (binfmt_d.h), the list
 * formats.c's (formats.h).
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
#include <stddef.h>

#include "uexec/binfmt.h"

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
 * interpreter for flag F) with the reason in ERR.  The rule is owned by
 * uexec from then on (it lives as long as the process).
 */
int uexec_misc_register(const char *rule, size_t len, const char *origin,
			char *err, size_t errlen);

/*
 * The same for a rule of the system's binfmt.d directories, which uexec
 * registers again in every run (the kernel registered them at boot): flag F
 * opens the interpreter at the rule's first match instead of now, so that a
 * run no such rule matches does not pay for opening every emulator.
 */
int uexec_misc_register_system(const char *rule, size_t len, const char *origin,
			       char *err, size_t errlen);

/* A rule in its parsed form, as binfmt_cache.c stores it; the pointers are
 * borrowed. */
struct uexec_misc_compiled {
	const char *handler_name;	/* "misc:NAME"; NAME is handler_name + 5 */
	const char *name, *interpreter;
	const unsigned char *magic;	/* SIZE bytes; type E: the extension */
	const unsigned char *mask;	/* SIZE bytes, or NULL */
	size_t size;
	int offset;
	unsigned int flags;		/* the rule's flags, as parsed */
	bool magic_type;		/* M; else E */
};

/* Whether any rule is registered yet. */
bool uexec_misc_have_rules(void);

/* The parsed form of the rule handler FMT (pointers valid while the rule
 * lives, i.e. for the process); -ENOENT when FMT is not a rule. */
int uexec_misc_compiled_of(const struct uexec_binfmt *fmt, struct uexec_misc_compiled *c);

/*
 * Register a rule from its parsed form C as a system rule (flag F opened
 * lazily, as uexec_misc_register_system), without copying: C's strings and
 * bytes and ORIGIN are borrowed for the life of the process, so the caller
 * never frees them (binfmt_cache.c's records).  C is checked for what the
 * parser guarantees, and C->name must be C->handler_name + 5.  Returns 0 or
 * -errno with the reason in ERR (nothing is kept then).
 */
int uexec_misc_register_borrowed(const struct uexec_misc_compiled *c, const char *origin,
				 char *err, size_t errlen);

/* Every rule registered with uexec_misc_register_borrowed(), taken off the
 * handler list and forgotten: for a cache found stale after its rules were
 * registered, before its records are freed.  Other rules stay. */
void uexec_misc_forget_borrowed(void);

/* "misc:NAME -> description" of a rule handler, or NULL for others. */
const char *uexec_misc_describe(const struct uexec_binfmt *fmt, char *buf, size_t len);

/* The rule's NAME of a rule handler (its handler name is misc:NAME), or
 * NULL for other handlers. */
const char *uexec_misc_rule_name(const struct uexec_binfmt *fmt);

#endif
