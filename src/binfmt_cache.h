/* SPDX-License-Identifier: MIT */
/*
 * The compiled cache of the system's binfmt.d rules (binfmt_cache.c), so
 * that a plain launch does not open and parse every rule file.
 *
 * One file per user: $XDG_RUNTIME_DIR/uexec-binfmt.d.cache when
 * XDG_RUNTIME_DIR is set (and nowhere else then), else
 * /run/user/UID/uexec-binfmt.d.cache, else /tmp/uexec-UID/ (created 0700).
 * The directory must be the user's own, mode 0700, not a symlink; the file
 * the user's own, regular, not writable by others.
 *
 * It holds, for one search path (the binfmt.d directories), the stamp of
 * every directory (present or not: device, inode, size, mtime and ctime
 * with nanoseconds) and of every rule file read (the same, by path), then
 * the rules in their parsed form and the skipped lines, in load order.  A
 * launch uses it only if every stamp still matches, the format version,
 * uexec's version and the checksum agree and no rule is registered yet;
 * on any doubt it parses the files as without a cache.  A cache is not
 * written when a file could not be read, when a stamp is less than two
 * seconds old (a change in the same clock tick would not show), or when
 * the directory cannot be used or written: the launch then carries on
 * without one, silently (traced with --debug=handlers).
 */
#ifndef UEXEC_BINFMT_CACHE_H
#define UEXEC_BINFMT_CACHE_H

#include <stdbool.h>
#include <sys/stat.h>

#include "binfmt_misc.h"

/* One record of a cache being read. */
struct uexec_bcache_rec {
	bool is_rule;			/* else a skipped line */
	struct uexec_misc_compiled rule;
	const char *origin;		/* rule: where it came from */
	const char *file;		/* skipped: the file, its line (0: */
	unsigned int line;		/* the whole file) and why */
	const char *reason;
};

/* A cache being read: owned by binfmt_cache.c between open and close. */
struct uexec_bcache_view {
	unsigned char *data;
	size_t size, pos;
	bool unsound;			/* a record was bad or a file has changed */
	struct {			/* the rule files' directories, opened */
		int fd;			/* once for their stamps (O_PATH) */
		size_t len;
		const char *path;	/* into DATA, LEN bytes */
	} dirs[4];
	size_t ndirs;
};

/*
 * Open the cache for the search path KEY and check what can be checked at
 * once (format, version, checksum, the directories' stamps).  Returns true
 * with V ready for uexec_bcache_next(), false when there is no usable cache
 * (V then needs no closing).
 */
bool uexec_bcache_open(const char *key, struct uexec_bcache_view *v);
/*
 * The next rule or skipped line into REC (pointers into V); false at the
 * end.  Each rule file's stamp is checked where its records begin: the
 * records are read, checked and used in one pass, so a caller registers
 * them as they come and, unless uexec_bcache_sound() says so at the end,
 * undoes all of it and parses the files instead.
 */
bool uexec_bcache_next(struct uexec_bcache_view *v, struct uexec_bcache_rec *rec);
/* After uexec_bcache_next() returned false: whether every record was read
 * whole and every file is as the cache recorded it. */
bool uexec_bcache_sound(const struct uexec_bcache_view *v);
void uexec_bcache_close(struct uexec_bcache_view *v);
/* Instead of closing V, once uexec_bcache_sound(): its records stay valid
 * for the life of the process (rules registered with
 * uexec_misc_register_borrowed() point into them).  False when out of
 * memory: V is then to be closed as usual. */
bool uexec_bcache_keep(struct uexec_bcache_view *v);

/* A cache being built while the files are parsed; all calls tolerate a
 * writer that failed (it then writes nothing). */
struct uexec_bcache_writer;

/* Start one for the search path KEY, stamping its directories (DIRS,
 * N of them) now, before they are listed. */
struct uexec_bcache_writer *uexec_bcache_begin(const char *key, char *const *dirs,
					       size_t n);
/* A rule file about to be parsed, as fstat gave it on the open file. */
void uexec_bcache_file(struct uexec_bcache_writer *w, const char *path,
		       const struct stat *st);
void uexec_bcache_rule(struct uexec_bcache_writer *w, const struct uexec_misc_compiled *c,
		       const char *origin);
void uexec_bcache_skipped(struct uexec_bcache_writer *w, const char *file,
			  unsigned int line, const char *reason);
/* Something not to be cached happened (a file could not be read). */
void uexec_bcache_taint(struct uexec_bcache_writer *w);
/* Write the cache if it is sound and can be written, then free W. */
void uexec_bcache_commit(struct uexec_bcache_writer *w);

#endif
