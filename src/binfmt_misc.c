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
 * EEXIST; a name longer than NAME_MAX is ENAMETOOLONG; flag F fails with
 * the error of opening the interpreter.  uexec adds a reason to each.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binprm.h"
#include "debug.h"
#include "exec.h"
#include "execve.h"
#include "binfmt_misc.h"

#define MISC_FMT_PRESERVE_ARGV0 0x1u
#define MISC_FMT_OPEN_BINARY 0x2u
#define MISC_FMT_CREDENTIALS 0x4u
#define MISC_FMT_OPEN_FILE 0x8u

struct misc_rule {
	struct uexec_binfmt fmt;	/* first: the handler is the rule */
	char *text;			/* owned copy of the rule, parsed in place */
	const char *name, *interpreter;
	bool magic_type;		/* M; else E */
	int offset;
	size_t size;			/* bytes of magic (and mask) */
	const unsigned char *magic;	/* M: unescaped bytes; E: the extension */
	const unsigned char *mask;	/* or NULL */
	unsigned int flags;		/* MISC_FMT_* */
	int interp_fd;			/* F: opened at registration, else -1 */
	char fmt_name[NAME_MAX + 8];
	struct misc_rule *next;		/* all rules, for names and listing */
};

static struct misc_rule *rules;

/* Lines of system rule files that could not be registered. */
struct misc_skipped {
	char *text;
	struct misc_skipped *next;
};
static struct misc_skipped *skipped, **skipped_tail = &skipped;

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

static int load_misc_binary(struct uexec_binprm *bprm)
{
	struct misc_rule *e = (struct misc_rule *)uexec_binprm_handler(bprm);
	char *filename;
	int ret, fd;

	if (!rule_matches(e, bprm))
		return -ENOEXEC;

	/* The interpreter must be able to open the file after the exec. */
	if (uexec_path_inaccessible(uexec_binprm_filename(bprm)))
		return uexec_binprm_error(bprm, ENOENT, "rule %s: a program run through a "
					  "close-on-exec descriptor cannot be opened "
					  "by its interpreter", e->name);

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

	/* argv[1] is the program's path, argv[0] the interpreter. */
	filename = strdup(uexec_binprm_filename(bprm));
	if (!filename)
		return uexec_binprm_error(bprm, ENOMEM, "out of memory");
	ret = uexec_binprm_push_arg(bprm, filename);
	free(filename);
	if (!ret)
		ret = uexec_binprm_push_arg(bprm, e->interpreter);
	if (ret)
		return uexec_binprm_error(bprm, -ret, "out of memory");

	if ((e->flags & MISC_FMT_OPEN_FILE) && e->interp_fd < 0) {
		/* A system rule: opened at its first use (see misc_register). */
		char why[256];

		ret = uexec_open_exec(e->interpreter, &e->interp_fd, why, sizeof(why));
		if (ret)
			return uexec_binprm_error(bprm, -ret, "rule %s: interpreter %s: %s",
						  e->name, e->interpreter, why);
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

static int einval(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "invalid rule: %s", why);
	return -EINVAL;
}

static int create_entry(struct misc_rule *e, const char *rule, size_t count,
			char *err, size_t errlen)
{
	char *buf, *p, *s, *end;
	char del;

	if (count < 11 || count > UEXEC_MISC_MAX_REGISTER_LENGTH) {
		snprintf(err, errlen, "invalid rule: %zu bytes (a rule has 11 to %d)",
			 count, UEXEC_MISC_MAX_REGISTER_LENGTH);
		return -EINVAL;
	}
	/* Padded with 8 delimiters, as the kernel does, and a NUL. */
	buf = malloc(count + 9);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, rule, count);
	e->text = buf;
	p = buf;
	del = *p++;
	memset(buf + count, del, 8);
	buf[count + 8] = '\0';
	end = buf + count + 8;

	/* name */
	e->name = p;
	p = strchr(p, del);
	if (!p)
		return einval(err, errlen, "missing fields");
	*p++ = '\0';
	if (!e->name[0])
		return einval(err, errlen, "empty name");
	if (!strcmp(e->name, ".") || !strcmp(e->name, "..") || strchr(e->name, '/'))
		return einval(err, errlen, "the name is '.', '..' or has a '/'");

	/* type */
	switch (*p++) {
	case 'E':
		e->magic_type = false;
		break;
	case 'M':
		e->magic_type = true;
		break;
	default:
		return einval(err, errlen, "the type is neither M nor E");
	}
	if (*p++ != del)
		return einval(err, errlen, "the type is not one letter");

	if (e->magic_type) {
		char *magic, *mask;

		/* offset */
		s = strchr(p, del);
		if (!s)
			return einval(err, errlen, "missing fields");
		*s = '\0';
		if (p != s && (parse_offset(p, &e->offset) || e->offset < 0))
			return einval(err, errlen, "the offset is not a number >= 0");
		p = s + 1;

		/* magic */
		magic = p;
		p = scanarg(p, del, end);
		if (!p)
			return einval(err, errlen, "bad \\x escape in the magic");
		if (!magic[0])
			return einval(err, errlen, "empty magic");

		/* mask */
		mask = p;
		p = scanarg(p, del, end);
		if (!p)
			return einval(err, errlen, "bad \\x escape in the mask");
		if (!mask[0])
			mask = NULL;

		e->size = unescape_hex(magic);
		if (mask && unescape_hex(mask) != e->size)
			return einval(err, errlen, "the mask and the magic differ in length");
		if (e->size > UEXEC_MISC_BUF_SIZE ||
		    UEXEC_MISC_BUF_SIZE - e->size < (size_t)e->offset)
			return einval(err, errlen, "offset + magic length is over 256 bytes");
		e->magic = (const unsigned char *)magic;
		e->mask = (const unsigned char *)mask;
	} else {
		char *ext;

		/* offset: ignored */
		p = strchr(p, del);
		if (!p)
			return einval(err, errlen, "missing fields");
		*p++ = '\0';
		/* the extension */
		ext = p;
		p = strchr(p, del);
		if (!p)
			return einval(err, errlen, "missing fields");
		*p++ = '\0';
		if (!ext[0] || strchr(ext, '/'))
			return einval(err, errlen, "the extension is empty or has a '/'");
		e->magic = (const unsigned char *)ext;
		e->size = strlen(ext);
		/* mask: ignored */
		p = strchr(p, del);
		if (!p)
			return einval(err, errlen, "missing fields");
		*p++ = '\0';
	}

	/* interpreter */
	e->interpreter = p;
	p = strchr(p, del);
	if (!p)
		return einval(err, errlen, "missing fields");
	*p++ = '\0';
	if (!e->interpreter[0])
		return einval(err, errlen, "empty interpreter");

	/* flags (the kernel's check_special_flags) */
	for (;; p++) {
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
	if (p != buf + count)
		return einval(err, errlen, p > buf + count ? "missing fields" :
			      "unknown flag or text after the flags");
	return 0;
}

static void free_rule(struct misc_rule *e)
{
	if (!e)
		return;
	if (e->interp_fd >= 0)
		close(e->interp_fd);
	free((char *)e->fmt.origin);
	free(e->text);
	free(e);
}

/*
 * LAZY_OPEN: flag F opens the interpreter at the rule's first match
 * instead of now.  Used for the system's binfmt.d rules, which uexec
 * registers again in every run (the kernel registered them at boot): the
 * open still happens in this process before the exec, but a run that no
 * such rule matches does not pay for opening every emulator.
 */
static int misc_register(const char *rule, size_t len, const char *origin,
			 bool lazy_open, char *err, size_t errlen)
{
	struct misc_rule *e, *o;
	int ret;

	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->interp_fd = -1;
	ret = create_entry(e, rule, len, err, errlen);
	if (ret)
		goto free_rule;

	/* As bm_register_write(): F opens the interpreter now... */
	if ((e->flags & MISC_FMT_OPEN_FILE) && !lazy_open) {
		char why[256];

		ret = uexec_open_exec(e->interpreter, &e->interp_fd, why, sizeof(why));
		if (ret) {
			snprintf(err, errlen, "interpreter %s (flag F): %s",
				 e->interpreter, why);
			goto free_rule;
		}
		/* Kept out of the low numbers, which the program's AT_EXECFD
		 * and uexec's own descriptors would otherwise climb above. */
		{
			int high = fcntl(e->interp_fd, F_DUPFD_CLOEXEC, 256);

			if (high >= 0) {
				close(e->interp_fd);
				e->interp_fd = high;
			}
		}
	}
	/* ...then the name must be a new file name in binfmt_misc. */
	if (strlen(e->name) > NAME_MAX) {
		snprintf(err, errlen, "the name is longer than %d bytes", NAME_MAX);
		ret = -ENAMETOOLONG;
		goto free_rule;
	}
	for (o = rules; o; o = o->next) {
		if (!strcmp(o->name, e->name)) {
			snprintf(err, errlen, "a rule named %s exists (%s)", e->name,
				 o->fmt.origin);
			ret = -EEXIST;
			goto free_rule;
		}
	}
	snprintf(e->fmt_name, sizeof(e->fmt_name), "misc:%s", e->name);
	e->fmt.name = e->fmt_name;
	e->fmt.load_binary = load_misc_binary;
	e->fmt.priv = e;
	e->fmt.origin = strdup(origin ? origin : "(unknown)");
	if (!e->fmt.origin) {
		ret = -ENOMEM;
		goto free_rule;
	}
	e->next = rules;
	rules = e;
	uexec_insert_binfmt(&e->fmt);
	UEXEC_DEBUG(UEXEC_DBG_HANDLERS, "binfmt_misc: registered %s (%s)", e->name,
		    e->fmt.origin);
	return 0;

free_rule:
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	free_rule(e);
	return ret;
}

int uexec_misc_register(const char *rule, size_t len, const char *origin,
			char *err, size_t errlen)
{
	return misc_register(rule, len, origin, false, err, errlen);
}

/* ------------------------------------------------------------------ */
/* Rule files (systemd's binfmt.d(5)) */

/* The whole file, NUL-terminated, in as few syscalls as possible (a short
 * read of a regular file is its end).  Returns -errno or 0. */
static int read_whole(const char *path, char **data, size_t *size)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap + 1), *nb;
	ssize_t n;
	int fd;

	if (!buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		goto free_buf;
	for (;;) {
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len < cap)
			break;
		nb = realloc(buf, 2 * cap + 1);
		if (!nb) {
			errno = ENOMEM;
			n = -1;
			break;
		}
		buf = nb;
		cap *= 2;
	}
	close(fd);
	if (n < 0)
		goto free_buf;
	buf[len] = '\0';
	*data = buf;
	*size = len;
	return 0;
free_buf:
	n = -errno;
	free(buf);
	return (int)n;
}

static int load_rule_file(const char *path, bool lazy_open,
			  uexec_misc_report_fn *report, void *arg)
{
	char origin[PATH_MAX + 32], err[512], *data = NULL, *line, *next;
	unsigned int lineno = 0;
	size_t size = 0;
	int bad = 0, ret;

	ret = read_whole(path, &data, &size);
	if (ret)
		return ret;
	for (line = data; line < data + size; line = next) {
		char *s = line, *e = memchr(line, '\n', (size_t)(data + size - line));

		next = e ? e + 1 : data + size;
		if (!e)
			e = data + size;
		lineno++;
		/* systemd strips blanks (and the newline) around the line */
		while (s < e && strchr(" \t\n\r", *s))
			s++;
		while (e > s && strchr(" \t\n\r", e[-1]))
			e--;
		if (s == e || *s == '#' || *s == ';')
			continue;
		snprintf(origin, sizeof(origin), "%s:%u", path, lineno);
		if (misc_register(s, (size_t)(e - s), origin, lazy_open, err, sizeof(err))) {
			bad++;
			if (report)
				report(path, lineno, err, arg);
		}
	}
	free(data);
	return bad;
}

int uexec_misc_load_file(const char *path, uexec_misc_report_fn *report, void *arg)
{
	return load_rule_file(path, false, report, arg);
}

static void keep_skipped(const char *file, unsigned int line, const char *reason,
			 void *arg)
{
	struct misc_skipped *s = malloc(sizeof(*s));

	(void)arg;
	UEXEC_DEBUG(UEXEC_DBG_HANDLERS, "binfmt_misc: %s:%u: skipped: %s", file, line,
		    reason);
	if (!s || asprintf(&s->text, "%s:%u: %s", file, line, reason) < 0) {
		free(s);
		return;
	}
	s->next = NULL;
	*skipped_tail = s;
	skipped_tail = &s->next;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_conf_suffix(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && !strcmp(name + n - 5, ".conf") && name[0] != '.';
}

void uexec_misc_load_system(void)
{
	static const char default_dirs[] =
		"/etc/binfmt.d:/run/binfmt.d:/usr/local/lib/binfmt.d:"
		"/usr/lib/binfmt.d:/lib/binfmt.d";
	static bool done;
	const char *env = getenv("UEXEC_BINFMT_D_PATH");
	char *dirs, *dir, *save = NULL;
	char **names = NULL, **paths = NULL;
	size_t n = 0, cap = 0;

	if (done)
		return;
	done = true;
	dirs = strdup(env ? env : default_dirs);
	if (!dirs)
		return;
	/* Collect file names: the first directory having a name wins. */
	for (dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		DIR *d = opendir(dir);
		struct dirent *de;

		if (!d)
			continue;
		while ((de = readdir(d))) {
			size_t i;
			char *path;

			if (!has_conf_suffix(de->d_name))
				continue;
			for (i = 0; i < n; i++)
				if (!strcmp(names[i], de->d_name))
					break;
			if (i < n)
				continue;	/* hidden by an earlier directory */
			if (n == cap) {
				size_t ncap = cap ? 2 * cap : 32;
				char **nn = realloc(names, ncap * sizeof(*nn));
				char **np;

				if (!nn)
					break;
				names = nn;
				np = realloc(paths, ncap * sizeof(*np));
				if (!np)
					break;
				paths = np;
				cap = ncap;
			}
			if (asprintf(&path, "%s/%s", dir, de->d_name) < 0)
				break;
			/* names[i] points into paths[i] */
			paths[n] = path;
			names[n] = path + strlen(dir) + 1;
			n++;
		}
		closedir(d);
	}
	/* Sort by file name, keeping each path with its name. */
	{
		char **order = malloc((n ? n : 1) * sizeof(*order));

		if (order) {
			for (size_t i = 0; i < n; i++)
				order[i] = names[i];
			qsort(order, n, sizeof(*order), cmp_names);
			for (size_t i = 0; i < n; i++) {
				size_t j;

				for (j = 0; j < n && names[j] != order[i]; j++)
					;
				load_rule_file(paths[j], true, keep_skipped, NULL);
			}
			free(order);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(names);
	free(dirs);
}

void uexec_handlers_init(unsigned int debug, FILE *out)
{
	if (debug) {
		uexec_debug_mask = debug;
		uexec_debug_file = out;
	}
	uexec_builtin_formats_init();
}

/* ------------------------------------------------------------------ */
/* Listing */

static struct misc_rule *rule_of(const struct uexec_binfmt *fmt)
{
	for (struct misc_rule *e = rules; e; e = e->next)
		if (&e->fmt == fmt)
			return e;
	return NULL;
}

const char *uexec_misc_describe(const struct uexec_binfmt *fmt, char *buf, size_t len)
{
	const struct misc_rule *e = rule_of(fmt);
	FILE *f;

	if (!e || !len)
		return NULL;
	f = fmemopen(buf, len, "w");
	if (!f)
		return NULL;
	if (e->magic_type) {
		fputs("magic ", f);
		for (size_t i = 0; i < e->size; i++)
			fprintf(f, "%02x", e->magic[i]);
		if (e->offset)
			fprintf(f, " at %d", e->offset);
		if (e->mask) {
			fputs(" mask ", f);
			for (size_t i = 0; i < e->size; i++)
				fprintf(f, "%02x", e->mask[i]);
		}
	} else {
		fprintf(f, "extension .%s", (const char *)e->magic);
	}
	fprintf(f, " -> %s", e->interpreter);
	if (e->flags) {
		fputs(" flags ", f);
		if (e->flags & MISC_FMT_PRESERVE_ARGV0)
			fputc('P', f);
		if ((e->flags & MISC_FMT_OPEN_BINARY) && !(e->flags & MISC_FMT_CREDENTIALS))
			fputc('O', f);
		if (e->flags & MISC_FMT_CREDENTIALS)
			fputc('C', f);
		if (e->flags & MISC_FMT_OPEN_FILE)
			fputc('F', f);
	}
	fclose(f);
	buf[len - 1] = '\0';
	return buf;
}

void uexec_list_handlers(FILE *out)
{
	char desc[1024];
	int i = 0;

	for (struct uexec_binfmt *fmt = uexec_binfmt_first(); fmt; fmt = fmt->next) {
		const char *d = uexec_misc_describe(fmt, desc, sizeof(desc));

		fprintf(out, "%3d  %-24s %-8s  %s\n", ++i, fmt->name,
			fmt->enabled ? "enabled" : "disabled",
			fmt->origin ? fmt->origin : "built-in");
		if (d)
			fprintf(out, "     %s\n", d);
	}
	for (struct misc_skipped *s = skipped; s; s = s->next)
		fprintf(out, "skipped  %s\n", s->text);
}

int uexec_disable_handler(const char *name)
{
	int n = 0;

	for (struct uexec_binfmt *fmt = uexec_binfmt_first(); fmt; fmt = fmt->next) {
		const char *rule = rule_of(fmt) ? rule_of(fmt)->name : NULL;

		if (!strcmp(fmt->name, name) || (rule && !strcmp(rule, name))) {
			fmt->enabled = 0;
			n++;
		}
	}
	return n;
}
