/* SPDX-License-Identifier: MIT */
/*
 * binfmt_misc rules (the kernel's fs/binfmt_misc.c), without root: the
 * rules live in uexec's handler list instead of the kernel's.
 *
 * A rule is the kernel's register string
 *     :name:type:offset:magic:mask:interpreter:flags
 * whose first character is the delimiter.  Type M matches MAGIC (with
 * "\xHH" escapes) at OFFSET of the file, each byte under MASK when one is
 * given; type E matches the file name's extension (after its last '.').
 * Flags: P keeps argv[0] (AT_FLAGS gets AT_FLAGS_PRESERVE_ARGV0), O passes
 * the open program to the interpreter as AT_EXECFD, C implies O (the
 * credentials part has no meaning without privileges, see doc/handlers.md),
 * F opens the interpreter when the rule is registered.
 *
 * Parsing, limits and errors are the kernel's (create_entry() and
 * bm_register_write()): every malformed rule is EINVAL; a name in use is
 * EEXIST (so are "register" and "status", binfmt_misc's own files); a name
 * longer than NAME_MAX is ENAMETOOLONG; flag F fails with
 * the error of opening the interpreter.  uexec adds a reason to each.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binprm.h"
#include "debug.h"
#include "exec.h"
#include "execve.h"
#include "fresh.h"
#include "binfmt_misc.h"
#include "reason.h"

#include "binfmt_misc_rule.h"
#include "formats.h"

static struct misc_rule *rules;

/* Borrowed rules come from blocks, which live as long as the process (as
 * every rule does): one allocation for the system's rules instead of one
 * each.  A slot whose rule failed stays unused. */
struct rule_block {
	struct rule_block *prev;	/* every block stays reachable */
	size_t used;
	struct misc_rule r[32];
};

static struct rule_block *blocks;

static struct misc_rule *rule_alloc(bool borrowed)
{
	struct misc_rule *e;

	if (!borrowed) {
		e = calloc(1, sizeof(*e));
	} else {
		if (!blocks || blocks->used == sizeof(blocks->r) / sizeof(blocks->r[0])) {
			struct rule_block *b = calloc(1, sizeof(*b));

			if (!b)
				return NULL;
			b->prev = blocks;
			blocks = b;
		}
		e = &blocks->r[blocks->used++];
	}
	if (e) {
		e->borrowed = borrowed;
		e->interp_fd = -1;
	}
	return e;
}

/* ------------------------------------------------------------------ */
/* Matching and loading (the kernel's check_file + load_misc_binary) */

static bool rule_matches(const struct misc_rule *e, struct uexec_binprm *bprm)
{
	unsigned char buf[UEXEC_MISC_BUF_SIZE];
	const unsigned char *head, *s;
	size_t len;

	if (!e->magic_type) {
		const char *dot = strrchr(uexec_binprm_filename(bprm), '.');

		return dot && !strcmp((const char *)e->magic, dot + 1);
	}
	head = uexec_binprm_buf(bprm, &len);
	if ((size_t)e->offset + e->size <= len) {
		s = head + e->offset;
	} else {
		/* Past what uexec read: the kernel's 256-byte buffer,
		 * zero-padded as the kernel's is for a short file. */
		ssize_t n;

		memset(buf, 0, sizeof(buf));
		if (len == UEXEC_BINPRM_BUF_SIZE) {
			n = pread(uexec_binprm_fd(bprm), buf, sizeof(buf), 0);
			if (n < 0)
				return false;
		} else {
			memcpy(buf, head, len);
		}
		s = buf + e->offset;
	}
	for (size_t j = 0; j < e->size; j++) {
		unsigned char m = e->mask ? e->mask[j] : 0xff;

		if ((s[j] ^ e->magic[j]) & m)
			return false;
	}
	return true;
}

/* argv: argv[0] goes unless flag P; the program's path, then the
 * interpreter, go in front.  AT_EXECFD for flag O. */
static int misc_rewrite_args(const struct misc_rule *e, struct uexec_binprm *bprm)
{
	char *filename;
	int ret;

	if (e->flags & MISC_FMT_PRESERVE_ARGV0) {
		uexec_binprm_set_preserve_argv0(bprm);
	} else {
		ret = uexec_binprm_remove_arg_zero(bprm);
		if (ret)
			return ret;
	}
	if (e->flags & MISC_FMT_OPEN_BINARY) {
		ret = uexec_binprm_set_execfd(bprm);
		if (ret)
			return ret;
	}
	filename = strdup(uexec_binprm_filename(bprm));
	if (!filename)
		return uexec_binprm_error(bprm, ENOMEM, "out of memory");
	ret = uexec_binprm_push_arg(bprm, filename);
	free(filename);
	if (!ret)
		ret = uexec_binprm_push_arg(bprm, e->interpreter);
	if (ret)
		return uexec_binprm_error(bprm, -ret, "out of memory");
	return 0;
}

/* The exec goes on with the interpreter: for flag F a copy of the
 * descriptor opened at registration (or, for a system rule, now at its
 * first use: see uexec_misc_register_system), else opened by path. */
static int misc_set_interpreter(struct misc_rule *e, struct uexec_binprm *bprm)
{
	int ret, fd;

	if ((e->flags & MISC_FMT_OPEN_FILE) && e->interp_fd < 0) {
		char why[256];

		ret = uexec_open_exec(e->interpreter, &e->interp_fd, why, sizeof(why));
		if (ret)
			return uexec_binprm_error(bprm, -ret, "rule %s: interpreter %s: %s",
						  e->name, e->interpreter, why);
		uexec_fresh_process_hold_fd(e->interp_fd);
	}
	if (e->flags & MISC_FMT_OPEN_FILE) {
		fd = fcntl(e->interp_fd, F_DUPFD_CLOEXEC, 3);
		if (fd < 0)
			return uexec_binprm_error(bprm, errno, "rule %s: %s", e->name,
						  strerror(errno));
		ret = uexec_binprm_set_interpreter_fd(bprm, fd, e->interpreter);
		if (ret)
			close(fd);
	} else {
		ret = uexec_binprm_set_interpreter(bprm, e->interpreter);
	}
	if (ret) {
		char reason[256];

		snprintf(reason, sizeof(reason), "%s", strerror(-ret));
		return uexec_binprm_error(bprm, -ret, "rule %s: interpreter %s: %s",
					  e->name, e->interpreter, reason);
	}
	return 0;
}

static int load_misc_binary(struct uexec_binprm *bprm)
{
	struct misc_rule *e = (struct misc_rule *)uexec_binprm_handler(bprm);
	int ret;

	if (!rule_matches(e, bprm))
		return -ENOEXEC;

	/* The interpreter must be able to open the file after the exec. */
	if (uexec_binprm_path_inaccessible(bprm))
		return uexec_binprm_error(bprm, ENOENT, "rule %s: a program run through a "
					  "close-on-exec descriptor cannot be opened "
					  "by its interpreter", e->name);
	ret = misc_rewrite_args(e, bprm);
	if (!ret)
		ret = misc_set_interpreter(e, bprm);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Parsing (the kernel's create_entry) */

/* Skip one field that may hold "\xHH" escapes (which may escape the
 * delimiter); NUL-terminate it.  NULL when an escape is malformed. */
static char *scanarg(char *s, char del, const char *end)
{
	char c;

	while ((c = *s++) != del) {
		if (s > end)
			return NULL;
		if (c == '\\' && *s == 'x') {
			s++;
			if (!isxdigit((unsigned char)*s++))
				return NULL;
			if (!isxdigit((unsigned char)*s++))
				return NULL;
		}
	}
	s[-1] = '\0';
	return s;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The kernel's string_unescape_inplace(s, UNESCAPE_HEX): "\xH" and "\xHH"
 * become one byte, any other byte (a lone backslash too) stays; stops at
 * the first NUL of S.  Returns the number of bytes. */
static size_t unescape_hex(char *s)
{
	char *src = s, *dst = s;

	while (*src) {
		if (src[0] == '\\' && src[1] == 'x' && hexval(src[2]) >= 0) {
			int v = hexval(src[2]);

			src += 3;
			if (hexval(*src) >= 0)
				v = v * 16 + hexval(*src++);
			*dst++ = (char)v;
			continue;
		}
		*dst++ = *src++;
	}
	return (size_t)(dst - s);
}

/* The kernel's kstrtoint(s, 10): optional sign, decimal digits, one
 * optional trailing newline. */
static int parse_offset(const char *s, int *out)
{
	bool neg = false;
	long long v = 0;
	const char *p = s;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > (long long)INT_MAX + 1)
			return -ERANGE;
	}
	if (*p == '\n')
		p++;
	if (*p)
		return -EINVAL;
	if (neg)
		v = -v;
	if (v > INT_MAX)
		return -ERANGE;
	*out = (int)v;
	return 0;
}

#define INVALID(why) uexec_reason(err, errlen, EINVAL, "invalid rule: %s", (why))

/*
 * The parser walks the padded copy of the rule with a cursor; each step
 * below takes the fields it names, NUL-terminates them in place, advances
 * the cursor and returns 0, or -EINVAL with the reason in ERR.
 */
struct cursor {
	char *p;		/* the next field */
	char del;		/* the rule's delimiter */
	const char *end;	/* the end of the padding */
};

/* The next field up to the delimiter, NUL-terminated; NULL when missing. */
static char *next_field(struct cursor *c)
{
	char *field = c->p, *s = strchr(c->p, c->del);

	if (!s)
		return NULL;
	*s = '\0';
	c->p = s + 1;
	return field;
}

/* The next field, which may hold "\xHH" escapes (see scanarg); NULL when
 * an escape is malformed. */
static char *escaped_field(struct cursor *c)
{
	char *field = c->p;

	c->p = scanarg(c->p, c->del, c->end);
	return c->p ? field : NULL;
}

static int parse_name_type(struct misc_rule *e, struct cursor *c, char *err,
			   size_t errlen)
{
	e->name = next_field(c);
	if (!e->name)
		return INVALID("missing fields");
	if (!e->name[0])
		return INVALID("empty name");
	if (!strcmp(e->name, ".") || !strcmp(e->name, "..") || strchr(e->name, '/'))
		return INVALID("the name is '.', '..' or has a '/'");
	switch (*c->p++) {
	case 'E':
		e->magic_type = false;
		break;
	case 'M':
		e->magic_type = true;
		break;
	default:
		return INVALID("the type is neither M nor E");
	}
	if (*c->p++ != c->del)
		return INVALID("the type is not one letter");
	return 0;
}

/* Type M: offset, magic and mask. */
static int parse_magic(struct misc_rule *e, struct cursor *c, char *err,
		       size_t errlen)
{
	char *offset, *magic, *mask;

	offset = next_field(c);
	if (!offset)
		return INVALID("missing fields");
	if (offset[0] && (parse_offset(offset, &e->offset) || e->offset < 0))
		return INVALID("the offset is not a number >= 0");
	magic = escaped_field(c);
	if (!magic)
		return INVALID("bad \\x escape in the magic");
	if (!magic[0])
		return INVALID("empty magic");
	mask = escaped_field(c);
	if (!mask)
		return INVALID("bad \\x escape in the mask");
	if (!mask[0])
		mask = NULL;
	e->size = unescape_hex(magic);
	if (mask && unescape_hex(mask) != e->size)
		return INVALID("the mask and the magic differ in length");
	if (e->size > UEXEC_MISC_BUF_SIZE ||
	    UEXEC_MISC_BUF_SIZE - e->size < (size_t)e->offset)
		return INVALID("offset + magic length is over 256 bytes");
	e->magic = (const unsigned char *)magic;
	e->mask = (const unsigned char *)mask;
	return 0;
}

/* Type E: the offset and the mask are ignored, the "magic" is the
 * extension. */
static int parse_extension(struct misc_rule *e, struct cursor *c, char *err,
			   size_t errlen)
{
	char *ext;

	if (!next_field(c) || !(ext = next_field(c)))
		return INVALID("missing fields");
	if (!ext[0] || strchr(ext, '/'))
		return INVALID("the extension is empty or has a '/'");
	e->magic = (const unsigned char *)ext;
	e->size = strlen(ext);
	if (!next_field(c))
		return INVALID("missing fields");
	return 0;
}

/* The interpreter, then the flags (the kernel's check_special_flags), up
 * to LAST, the end of the rule's own bytes. */
static int parse_interpreter_flags(struct misc_rule *e, struct cursor *c,
				   const char *last, char *err, size_t errlen)
{
	char *p;

	e->interpreter = next_field(c);
	if (!e->interpreter)
		return INVALID("missing fields");
	if (!e->interpreter[0])
		return INVALID("empty interpreter");
	for (p = c->p;; p++) {
		if (*p == 'P')
			e->flags |= MISC_FMT_PRESERVE_ARGV0;
		else if (*p == 'O')
			e->flags |= MISC_FMT_OPEN_BINARY;
		else if (*p == 'C')
			e->flags |= MISC_FMT_CREDENTIALS | MISC_FMT_OPEN_BINARY;
		else if (*p == 'F')
			e->flags |= MISC_FMT_OPEN_FILE;
		else
			break;
	}
	if (*p == '\n')
		p++;
	if (p != last)
		return INVALID(p > last ? "missing fields" :
			       "unknown flag or text after the flags");
	return 0;
}

/* The kernel's create_entry: E->text becomes an owned copy of RULE
 * (COUNT bytes) parsed in place, whatever the outcome. */
static int create_entry(struct misc_rule *e, const char *rule, size_t count,
			char *err, size_t errlen)
{
	struct cursor c;
	char *buf;
	int ret;

	if (count < 11 || count > UEXEC_MISC_MAX_REGISTER_LENGTH)
		return uexec_reason(err, errlen, EINVAL, "invalid rule: %zu bytes "
				    "(a rule has 11 to %d)", count,
				    UEXEC_MISC_MAX_REGISTER_LENGTH);
	/* Padded with 8 delimiters, as the kernel does, and a NUL. */
	buf = malloc(count + 9);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, rule, count);
	e->text = buf;
	c.del = buf[0];
	c.p = buf + 1;
	memset(buf + count, c.del, 8);
	buf[count + 8] = '\0';
	c.end = buf + count + 8;

	ret = parse_name_type(e, &c, err, errlen);
	if (!ret)
		ret = e->magic_type ? parse_magic(e, &c, err, errlen)
				    : parse_extension(e, &c, err, errlen);
	if (!ret)
		ret = parse_interpreter_flags(e, &c, buf + count, err, errlen);
	return ret;
}

#undef INVALID

/* A rule that did not make it onto the list; a borrowed one leaves its
 * slot unused. */
static void free_rule(struct misc_rule *e)
{
	if (!e)
		return;
	if (e->interp_fd >= 0)
		uexec_fresh_process_close_held_fd(e->interp_fd);
	if (e->borrowed)
		return;
	free((char *)e->fmt.origin);
	free(e->fmt_name);
	free(e->text);
	free(e);
}

/* As bm_register_write(), flag F opens the interpreter at registration:
 * kept out of the low numbers, which the program's AT_EXECFD and uexec's
 * own descriptors would otherwise climb above.  The descriptor is E's. */
static int open_interpreter_now(struct misc_rule *e, char *err, size_t errlen)
{
	char why[256];
	int ret, high;

	ret = uexec_open_exec(e->interpreter, &e->interp_fd, why, sizeof(why));
	if (ret)
		return uexec_reason(err, errlen, -ret, "interpreter %s (flag F): %s",
				    e->interpreter, why);
	high = fcntl(e->interp_fd, F_DUPFD_CLOEXEC, 256);
	if (high >= 0) {
		close(e->interp_fd);
		e->interp_fd = high;
	}
	uexec_fresh_process_hold_fd(e->interp_fd);
	return 0;
}

/* FNV-1a: names are compared by it first. */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* The name must be a new file name in binfmt_misc. */
static int check_name(struct misc_rule *e, char *err, size_t errlen)
{
	if (strlen(e->name) > NAME_MAX)
		return uexec_reason(err, errlen, ENAMETOOLONG,
				    "the name is longer than %d bytes", NAME_MAX);
	/* binfmt_misc's own files: the kernel's lookup of the new rule's
	 * file finds them. */
	if (!strcmp(e->name, "register") || !strcmp(e->name, "status"))
		return uexec_reason(err, errlen, EEXIST, "a rule cannot be named %s "
				    "(binfmt_misc's control file)", e->name);
	e->name_hash = name_hash(e->name);
	for (const struct misc_rule *o = rules; o; o = o->next)
		if (o->name_hash == e->name_hash && !strcmp(o->name, e->name))
			return uexec_reason(err, errlen, EEXIST, "a rule named %s exists (%s)",
					    e->name, o->fmt.origin);
	return 0;
}

/* The handler's name and origin of an owning rule E: copies. */
static int own_names(struct misc_rule *e, const char *origin, char *err, size_t errlen)
{
	size_t n = strlen(e->name) + 1;

	e->fmt_name = malloc(5 + n);
	e->fmt.origin = strdup(origin ? origin : "(unknown)");
	if (!e->fmt_name || !e->fmt.origin)
		return uexec_reason(err, errlen, ENOMEM, "out of memory");
	memcpy(e->fmt_name, "misc:", 5);
	memcpy(e->fmt_name + 5, e->name, n);
	e->fmt.name = e->fmt_name;
	return 0;
}

/* Put the parsed rule E on the list (its name must be new), or free it.
 * A borrowed E comes with fmt.name and fmt.origin set.  Returns 0 or
 * -errno with the reason in ERR. */
static int add_rule(struct misc_rule *e, const char *origin, char *err, size_t errlen)
{
	int ret = check_name(e, err, errlen);

	if (!ret && !e->borrowed)
		ret = own_names(e, origin, err, errlen);
	if (ret)
		goto free_rule;
	e->fmt.load_binary = load_misc_binary;
	e->fmt.priv = e;
	e->next = rules;
	rules = e;
	uexec_push_binfmt(&e->fmt);	/* a new rule: on no list yet */
	UEXEC_DEBUG(UEXEC_DBG_HANDLERS, "binfmt_misc: registered %s (%s)", e->name,
		    e->fmt.origin);
	return 0;

free_rule:
	free_rule(e);
	return ret;
}

/*
 * LAZY_OPEN: flag F opens the interpreter at the rule's first match
 * instead of now (see uexec_misc_register_system): the open still happens
 * in this process before the exec, but a run that no such rule matches
 * does not pay for opening every emulator.  On success the rule is on the
 * list for the life of the process; on failure nothing is kept.
 */
static int misc_register(const char *rule, size_t len, const char *origin,
			 bool lazy_open, char *err, size_t errlen)
{
	struct misc_rule *e;
	int ret;

	e = rule_alloc(false);
	if (!e)
		return uexec_reason(err, errlen, ENOMEM, "out of memory");
	ret = create_entry(e, rule, len, err, errlen);
	if (!ret && (e->flags & MISC_FMT_OPEN_FILE) && !lazy_open)
		ret = open_interpreter_now(e, err, errlen);
	if (ret == -ENOMEM)
		uexec_reason(err, errlen, ENOMEM, "out of memory");
	if (ret) {
		free_rule(e);
		return ret;
	}
	return add_rule(e, origin, err, errlen);
}

int uexec_misc_register(const char *rule, size_t len, const char *origin,
			char *err, size_t errlen)
{
	return misc_register(rule, len, origin, false, err, errlen);
}

int uexec_misc_register_system(const char *rule, size_t len, const char *origin,
			       char *err, size_t errlen)
{
	return misc_register(rule, len, origin, true, err, errlen);
}

/* ------------------------------------------------------------------ */
/* The parsed form (binfmt_cache.c stores it) */

bool uexec_misc_have_rules(void)
{
	return rules != NULL;
}

/* Whether C is what the parser could have made. */
static bool compiled_check(const struct uexec_misc_compiled *c)
{
	const unsigned int all = MISC_FMT_PRESERVE_ARGV0 | MISC_FMT_OPEN_BINARY |
				 MISC_FMT_CREDENTIALS | MISC_FMT_OPEN_FILE;

	if (!c->name[0] || !c->interpreter[0] || strchr(c->name, '/') ||
	    (c->flags & ~all) || c->size == 0 || c->offset < 0)
		return false;
	if (!c->magic_type)
		return !c->mask && c->offset == 0 &&
		       strlen((const char *)c->magic) == c->size;
	return c->size <= UEXEC_MISC_BUF_SIZE &&
	       (size_t)c->offset <= UEXEC_MISC_BUF_SIZE - c->size;
}

/* C's handler name is "misc:" and its name, the same bytes: what a
 * borrowed rule takes as its handler's name. */
static bool handler_name_sound(const struct uexec_misc_compiled *c)
{
	return c->handler_name && !memcmp(c->handler_name, "misc:", 5) &&
	       c->name == c->handler_name + 5;
}

int uexec_misc_register_borrowed(const struct uexec_misc_compiled *c, const char *origin,
				 char *err, size_t errlen)
{
	struct misc_rule *e;

	if (!compiled_check(c) || !handler_name_sound(c) || !origin)
		return uexec_reason(err, errlen, EINVAL, "invalid compiled rule");
	e = rule_alloc(true);
	if (!e)
		return uexec_reason(err, errlen, ENOMEM, "out of memory");
	e->fmt.name = c->handler_name;
	e->fmt.origin = origin;
	e->name = c->name;
	e->interpreter = c->interpreter;
	e->magic = c->magic;
	e->mask = c->mask;
	e->size = c->size;
	e->offset = c->offset;
	e->flags = c->flags;	/* flag F: opened at the first match */
	e->magic_type = c->magic_type;
	return add_rule(e, origin, err, errlen);
}

void uexec_misc_forget_borrowed(void)
{
	struct misc_rule **pp = &rules, *e;
	struct rule_block *b;

	while ((e = *pp)) {
		if (e->borrowed) {
			uexec_unregister_binfmt(&e->fmt);
			*pp = e->next;
		} else {
			pp = &e->next;
		}
	}
	while ((b = blocks)) {
		blocks = b->prev;
		free(b);
	}
}

struct misc_rule *uexec_misc_rule_of(const struct uexec_binfmt *fmt)
{
	for (struct misc_rule *e = rules; e; e = e->next)
		if (&e->fmt == fmt)
			return e;
	return NULL;
}
