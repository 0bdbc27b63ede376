/* SPDX-License-Identifier: MIT */
/*
 * Rule files (systemd's binfmt.d(5)): --binfmt-file, and the binfmt.d
 * directories systemd-binfmt reads.  Each line is a binfmt_misc register
 * string handed to binfmt_misc.c; see binfmt_d.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "binfmt_elf.h"
#include "binprm.h"
#include "debug.h"
#include "exec.h"
#include "execve.h"
#include "binfmt_cache.h"
#include "binfmt_d.h"
#include "binfmt_misc.h"
#include "reason.h"

/* Lines of system rule files that could not be registered. */
struct misc_skipped {
	char *text;
	struct misc_skipped *next;
};
static struct misc_skipped *skipped, **skipped_tail = &skipped;

/* What a file that is not a regular one is, for the message. */
static const char *file_kind(mode_t mode)
{
	return S_ISDIR(mode) ? "a directory" : S_ISFIFO(mode) ? "a FIFO" :
	       S_ISCHR(mode) ? "a character device" : S_ISBLK(mode) ? "a block device" :
	       S_ISSOCK(mode) ? "a socket" : "of an unknown type";
}

/* /dev/null (a binfmt.d symlink to it masks a file, as for systemd): read
 * as empty. */
static bool is_dev_null(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(1, 3);
}

/* Read FD (SIZE bytes by fstat, at most UEXEC_BINFMT_FILE_MAX) into a
 * NUL-terminated buffer; a file that grows past SIZE while read is refused.
 * Returns 0 with *DATA the caller's to free, or -errno with the reason. */
static int read_bounded(int fd, off_t size, char **data, size_t *len,
			char *err, size_t errlen)
{
	size_t cap = (size_t)size + 1, got = 0;
	char *buf = malloc(cap + 1);
	ssize_t n;

	if (!buf)
		return uexec_reason(err, errlen, ENOMEM, "out of memory");
	while (got < cap) {
		n = read(fd, buf + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return uexec_reason(err, errlen, errno, "%s", strerror(errno));
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got < cap)
			break;		/* a short read of a regular file is its end */
	}
	if (got == cap) {
		free(buf);
		return uexec_reason(err, errlen, EFBIG, "it grows while read (past the "
				    "%lld bytes fstat gave)", (long long)size);
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return 0;
}

/*
 * The whole rule file PATH, NUL-terminated: opened without blocking (a FIFO
 * or a device never stalls uexec), a regular file (or /dev/null, empty) of
 * at most UEXEC_BINFMT_FILE_MAX bytes.  Returns 0 with *DATA the caller's to
 * free, or -errno with the reason in ERR.
 */
static int read_rule_file(const char *path, char **data, size_t *size,
			  struct stat *stp, char *err, size_t errlen)
{
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return uexec_reason(err, errlen, errno, "%s", strerror(errno));
	if (fstat(fd, &st))
		ret = uexec_reason(err, errlen, errno, "%s", strerror(errno));
	else if (is_dev_null(&st))
		ret = read_bounded(fd, 0, data, size, err, errlen);
	else if (!S_ISREG(st.st_mode))
		ret = uexec_reason(err, errlen, S_ISDIR(st.st_mode) ? EISDIR : EINVAL,
				   "not a regular file (%s)", file_kind(st.st_mode));
	else if (st.st_size > UEXEC_BINFMT_FILE_MAX)
		ret = uexec_reason(err, errlen, EFBIG, "too large: %lld bytes (a rule file "
				   "may have at most %d, 1 MiB)", (long long)st.st_size,
				   UEXEC_BINFMT_FILE_MAX);
	else
		ret = read_bounded(fd, st.st_size, data, size, err, errlen);
	close(fd);
	*stp = st;
	return ret;
}

/* Where the lines of a rule file go. */
struct rule_sink {
	bool system;			/* uexec_misc_register_system */
	uexec_misc_report_fn *report;	/* bad lines, or NULL */
	void *arg;
	struct uexec_bcache_writer *cache;	/* or NULL */
};

/* Register one rule line; its result is also recorded in the cache. */
static int register_line(const struct rule_sink *k, const char *s, size_t len,
			 const char *origin, char *err, size_t errlen)
{
	struct uexec_misc_compiled c;
	int ret;

	if (!k->system)
		return uexec_misc_register(s, len, origin, err, errlen);
	ret = uexec_misc_register_system(s, len, origin, err, errlen);
	if (ret == -ENOMEM)
		uexec_bcache_taint(k->cache);
	if (!ret && !uexec_misc_compiled_of(uexec_binfmt_first(), &c))
		uexec_bcache_rule(k->cache, &c, origin);
	return ret;
}

/* Register each rule line of PATH (K->system: through
 * uexec_misc_register_system, recorded in the cache too).  Returns the
 * number of bad lines, or -errno
 * with the reason in FILE_ERR when the file cannot be read. */
static int load_rule_file(const char *path, const struct rule_sink *k,
			  char *file_err, size_t file_errlen)
{
	char origin[PATH_MAX + 32], err[512], *data = NULL, *line, *next;
	unsigned int lineno = 0;
	struct stat st;
	size_t size = 0;
	int bad = 0, ret;

	ret = read_rule_file(path, &data, &size, &st, file_err, file_errlen);
	if (ret)
		return ret;
	uexec_bcache_file(k->cache, path, &st);
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
		ret = register_line(k, s, (size_t)(e - s), origin, err, sizeof(err));
		if (ret) {
			bad++;
			if (k->report)
				k->report(path, lineno, err, k->arg);
		}
	}
	free(data);
	return bad;
}

int uexec_misc_load_file(const char *path, uexec_misc_report_fn *report, void *arg,
			 char *err, size_t errlen)
{
	const struct rule_sink k = { false, report, arg, NULL };

	return load_rule_file(path, &k, err, errlen);
}

static void keep_skipped(const char *file, unsigned int line, const char *reason,
			 void *arg)
{
	struct misc_skipped *s = malloc(sizeof(*s));

	uexec_bcache_skipped(arg, file, line, reason);	/* ARG: the cache or NULL */
	UEXEC_DEBUG(UEXEC_DBG_HANDLERS, "binfmt_misc: %s:%u: skipped: %s", file, line,
		    reason);
	if (!s || (line ? asprintf(&s->text, "%s:%u: %s", file, line, reason)
			: asprintf(&s->text, "%s: %s", file, reason)) < 0) {
		free(s);
		return;
	}
	s->next = NULL;
	*skipped_tail = s;
	skipped_tail = &s->next;
}

void uexec_binfmt_d_list_skipped(FILE *out)
{
	for (struct misc_skipped *s = skipped; s; s = s->next)
		fprintf(out, "skipped  %s\n", s->text);
}

/* ------------------------------------------------------------------ */
/* The binfmt.d directories */

/* The rule files found, each path owned; its file name follows the last
 * '/'. */
struct conf_list {
	char **paths;
	size_t n, cap;
};

static const char *base_name(const char *path)
{
	return strrchr(path, '/') + 1;
}

static bool has_conf_suffix(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && !strcmp(name + n - 5, ".conf") && name[0] != '.';
}

static bool conf_list_has(const struct conf_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(base_name(l->paths[i]), name))
			return true;
	return false;
}

/* Add DIR/NAME.  Returns 0 or -ENOMEM. */
static int conf_list_add(struct conf_list *l, const char *dir, const char *name)
{
	char *path;

	if (l->n == l->cap) {
		size_t ncap = l->cap ? 2 * l->cap : 32;
		char **np = realloc(l->paths, ncap * sizeof(*np));

		if (!np)
			return -ENOMEM;
		l->paths = np;
		l->cap = ncap;
	}
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return -ENOMEM;
	l->paths[l->n++] = path;
	return 0;
}

/* Collect the *.conf names of DIR not hidden by an earlier directory.
 * Returns 0 or -ENOMEM (the list then holds what was collected). */
static int collect_dir(struct conf_list *l, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int ret = 0;

	if (!d)
		return 0;
	while (!ret && (de = readdir(d))) {
		if (has_conf_suffix(de->d_name) && !conf_list_has(l, de->d_name))
			ret = conf_list_add(l, dir, de->d_name);
	}
	closedir(d);
	return ret;
}

static int cmp_base_names(const void *a, const void *b)
{
	return strcmp(base_name(*(char *const *)a), base_name(*(char *const *)b));
}

static void conf_list_free(struct conf_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->paths[i]);
	free(l->paths);
	memset(l, 0, sizeof(*l));
}

/* Forget the skipped lines kept since MARK (a skipped_tail of before). */
static void drop_skipped_since(struct misc_skipped **mark)
{
	struct misc_skipped *s = *mark, *next;

	for (; s; s = next) {
		next = s->next;
		free(s->text);
		free(s);
	}
	*mark = NULL;
	skipped_tail = mark;
}

/*
 * Register the rules of a usable cache for KEY; false when there is none
 * (nothing registered then).  One pass: the records are registered as the
 * cache checks them, and everything is undone if one turns out stale or
 * bad (a file changed since; a rule the parser would not have made).
 */
static bool load_from_cache(const char *key)
{
	struct misc_skipped **mark = skipped_tail;
	struct uexec_bcache_view v;
	struct uexec_bcache_rec r;
	char err[512];
	int ret;

	if (uexec_misc_have_rules() || !uexec_bcache_open(key, &v))
		return false;
	while (uexec_bcache_next(&v, &r)) {
		if (!r.is_rule) {
			keep_skipped(r.file, r.line, r.reason, NULL);
			continue;
		}
		ret = uexec_misc_register_borrowed(&r.rule, r.origin, err, sizeof(err));
		if (ret == -ENOMEM)
			keep_skipped(r.origin, 0, err, NULL);
		else if (ret)
			break;
	}
	/* The rules borrow the cache's records: it is kept, not closed.
	 * Were there no memory to keep it, nothing could stay registered. */
	if (!uexec_bcache_sound(&v) || !uexec_bcache_keep(&v)) {
		uexec_misc_forget_borrowed();
		drop_skipped_since(mark);
		uexec_bcache_close(&v);
		UEXEC_DEBUG(UEXEC_DBG_HANDLERS, "binfmt_cache: no usable cache: the files are parsed");
		return false;
	}
	UEXEC_DEBUG(UEXEC_DBG_HANDLERS, "binfmt_cache: the rules come from the cache");
	return true;
}

/* Split DIRS (modified) at ':' into *V (owned array of pointers into
 * DIRS); returns the count, 0 on failure too. */
static size_t split_dirs(char *dirs, char ***v)
{
	size_t n = 0, cap = 8;
	char *dir, *save = NULL, **nv;

	*v = malloc(cap * sizeof(**v));
	for (dir = strtok_r(dirs, ":", &save); *v && dir; dir = strtok_r(NULL, ":", &save)) {
		if (n == cap) {
			nv = realloc(*v, 2 * cap * sizeof(**v));
			if (!nv)
				break;
			*v = nv;
			cap *= 2;
		}
		(*v)[n++] = dir;
	}
	return *v ? n : 0;
}

/* Parse the files of the N directories DIRV, recording them in CACHE. */
static void load_from_files(char *const *dirv, size_t n, struct uexec_bcache_writer *cache)
{
	const struct rule_sink k = { true, keep_skipped, cache, cache };
	struct conf_list list = { 0 };

	/* Collect file names: the first directory having a name wins. */
	for (size_t i = 0; i < n; i++)
		if (collect_dir(&list, dirv[i])) {
			uexec_bcache_taint(cache);
			break;
		}
	/* In the order of their file names (names are unique in the list). */
	if (list.n)
		qsort(list.paths, list.n, sizeof(*list.paths), cmp_base_names);
	for (size_t i = 0; i < list.n; i++) {
		char err[512];

		/* A file that cannot be read is skipped as a whole (line 0),
		 * and the result is not cached. */
		if (load_rule_file(list.paths[i], &k, err, sizeof(err)) < 0) {
			uexec_bcache_taint(cache);
			keep_skipped(list.paths[i], 0, err, cache);
		}
	}
	conf_list_free(&list);
}

void uexec_misc_load_system(void)
{
	static const char default_dirs[] =
		"/etc/binfmt.d:/run/binfmt.d:/usr/local/lib/binfmt.d:"
		"/usr/lib/binfmt.d:/lib/binfmt.d";
	static bool done;
	const char *env = getenv("UEXEC_BINFMT_D_PATH");
	const char *key = env ? env : default_dirs;
	struct uexec_bcache_writer *cache;
	char *dirs, **dirv;
	size_t n;

	if (done)
		return;
	done = true;
	if (load_from_cache(key))
		return;
	dirs = strdup(key);
	if (!dirs)
		return;
	n = split_dirs(dirs, &dirv);
	cache = uexec_bcache_begin(key, dirv, n);
	load_from_files(dirv, n, cache);
	uexec_bcache_commit(cache);
	free(dirv);
	free(dirs);
}
