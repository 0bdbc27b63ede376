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

#include "binprm.h"
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
			  char *err, size_t errlen)
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
	return ret;
}

/* Register each rule line of PATH (SYSTEM: through
 * uexec_misc_register_system).  Returns the number of bad lines, or -errno
 * with the reason in FILE_ERR when the file cannot be read. */
static int load_rule_file(const char *path, bool system,
			  uexec_misc_report_fn *report, void *arg,
			  char *file_err, size_t file_errlen)
{
	char origin[PATH_MAX + 32], err[512], *data = NULL, *line, *next;
	unsigned int lineno = 0;
	size_t size = 0;
	int bad = 0, ret;

	ret = read_rule_file(path, &data, &size, file_err, file_errlen);
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
		ret = system ? uexec_misc_register_system(s, (size_t)(e - s), origin,
							  err, sizeof(err))
			     : uexec_misc_register(s, (size_t)(e - s), origin, err,
						   sizeof(err));
		if (ret) {
			bad++;
			if (report)
				report(path, lineno, err, arg);
		}
	}
	free(data);
	return bad;
}

int uexec_misc_load_file(const char *path, uexec_misc_report_fn *report, void *arg,
			 char *err, size_t errlen)
{
	return load_rule_file(path, false, report, arg, err, errlen);
}

static void keep_skipped(const char *file, unsigned int line, const char *reason,
			 void *arg)
{
	struct misc_skipped *s = malloc(sizeof(*s));

	(void)arg;
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

void uexec_misc_load_system(void)
{
	static const char default_dirs[] =
		"/etc/binfmt.d:/run/binfmt.d:/usr/local/lib/binfmt.d:"
		"/usr/lib/binfmt.d:/lib/binfmt.d";
	static bool done;
	const char *env = getenv("UEXEC_BINFMT_D_PATH");
	struct conf_list list = { 0 };
	char *dirs, *dir, *save = NULL;

	if (done)
		return;
	done = true;
	dirs = strdup(env ? env : default_dirs);
	if (!dirs)
		return;
	/* Collect file names: the first directory having a name wins. */
	for (dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
		if (collect_dir(&list, dir))
			break;
	/* In the order of their file names (names are unique in the list). */
	if (list.n)
		qsort(list.paths, list.n, sizeof(*list.paths), cmp_base_names);
	for (size_t i = 0; i < list.n; i++) {
		char err[512];

		/* A file that cannot be read is skipped as a whole (line 0). */
		if (load_rule_file(list.paths[i], true, keep_skipped, NULL, err,
				   sizeof(err)) < 0)
			keep_skipped(list.paths[i], 0, err, NULL);
	}
	conf_list_free(&list);
	free(dirs);
}
