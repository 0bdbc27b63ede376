/* SPDX-License-Identifier: MIT */
/*
 * The compiled cache of the system's binfmt.d rules; see binfmt_cache.h
 * for where it lives and when it is trusted.
 *
 * The file: a header (magic, format, uexec's version, payload size,
 * checksum of the payload), then the payload in native byte order (the
 * cache never leaves the machine): the key, the stamps of the directories
 * and of the files, then the records in load order.  Strings are a 32-bit
 * length, the bytes and a NUL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "binfmt_elf.h"
#include "binprm.h"
#include "debug.h"
#include "exec.h"
#include "execve.h"
#include "binfmt_cache.h"

#define CACHE_FORMAT 2			/* bumped when the format or the parser changes */
#define CACHE_NAME "uexec-binfmt.d.cache"
#define CACHE_MAX (4u << 20)		/* a larger file is not read */
#define RACY_SECONDS 2			/* stamps this recent are not trusted */

enum { REC_FILE = 1, REC_RULE = 2, REC_SKIPPED = 3 };

struct header {
	char magic[8];
	uint32_t format;
	uint32_t reserved;
	uint64_t size;			/* of the payload */
	uint64_t checksum;		/* checksum() of the payload */
	char version[16];
};

/* What identifies one directory or file: present, device, inode, type,
 * size, mtime and ctime in nanoseconds. */
struct stamp {
	uint64_t present, dev, ino, mode, size, mtime_s, mtime_ns, ctime_s, ctime_ns;
};

/* FNV-1a over 64-bit words (then the tail bytes): detects a truncated or
 * damaged file; not a defence against the user's own writes. */
static uint64_t checksum(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull, w;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x100000001b3ull;
	}
	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

static void stamp_of(const struct stat *st, struct stamp *s)
{
	memset(s, 0, sizeof(*s));
	if (!st)
		return;
	s->present = 1;
	s->dev = st->st_dev;
	s->ino = st->st_ino;
	s->mode = st->st_mode & S_IFMT;
	s->size = (uint64_t)st->st_size;
	s->mtime_s = (uint64_t)st->st_mtim.tv_sec;
	s->mtime_ns = (uint64_t)st->st_mtim.tv_nsec;
	s->ctime_s = (uint64_t)st->st_ctim.tv_sec;
	s->ctime_ns = (uint64_t)st->st_ctim.tv_nsec;
}

/* Field by field: a byte loop over the struct costs more than the stat. */
static bool stamp_equal(const struct stamp *a, const struct stamp *b)
{
	return a->present == b->present && a->dev == b->dev && a->ino == b->ino &&
	       a->mode == b->mode && a->size == b->size && a->mtime_s == b->mtime_s &&
	       a->mtime_ns == b->mtime_ns && a->ctime_s == b->ctime_s &&
	       a->ctime_ns == b->ctime_ns;
}

static void stamp_path(const char *path, struct stamp *s)
{
	struct stat st;

	stamp_of(stat(path, &st) ? NULL : &st, s);
}

/*
 * The stamp of the rule file PATH (LEN bytes), through its directory's
 * descriptor, opened once for all the files of one directory in V: the
 * kernel walks one name instead of the whole path.  The directories are
 * stamped themselves (stamps_match()), so the descriptor finds what the
 * path would; without one (a directory that cannot be opened, a fifth
 * directory) the path is used.
 */
static int dir_fd(struct uexec_bcache_view *v, const char *path, size_t len)
{
	char dir[256];

	for (size_t i = v->ndirs; i-- > 0;)
		if (v->dirs[i].len == len && !memcmp(v->dirs[i].path, path, len))
			return v->dirs[i].fd;
	if (v->ndirs == sizeof(v->dirs) / sizeof(v->dirs[0]) || len >= sizeof(dir))
		return -1;
	memcpy(dir, path, len);
	dir[len] = '\0';
	v->dirs[v->ndirs].path = path;
	v->dirs[v->ndirs].len = len;
	v->dirs[v->ndirs].fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return v->dirs[v->ndirs++].fd;
}

static void stamp_in(struct uexec_bcache_view *v, const char *path, size_t len,
		     struct stamp *s)
{
	const char *slash = memrchr(path, '/', len);
	int fd = slash && slash != path && slash[1] ? dir_fd(v, path, (size_t)(slash - path)) : -1;
	struct stat st;

	if (fd < 0)
		stamp_path(path, s);
	else
		stamp_of(fstatat(fd, slash + 1, &st, 0) ? NULL : &st, s);
}

static void close_dirs(struct uexec_bcache_view *v)
{
	for (size_t i = 0; i < v->ndirs; i++)
		if (v->dirs[i].fd >= 0)
			close(v->dirs[i].fd);
	v->ndirs = 0;
}

static void fill_header(struct header *h, size_t size, uint64_t checksum)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->magic, "UXBFMTC", 8);
	h->format = CACHE_FORMAT;
	h->size = size;
	h->checksum = checksum;
	/* Truncated to the field, NUL-terminated; no printf on the launch path
	 * (a fork's child pays a page fault for each page of printf's code). */
	memcpy(h->version, UEXEC_VERSION_STRING,
	       strnlen(UEXEC_VERSION_STRING, sizeof(h->version) - 1));
}

/* PREFIX and then UID in decimal into BUF; false if it does not fit. */
static bool uid_path(char *buf, size_t len, const char *prefix, unsigned int uid)
{
	char digits[16], *d = digits + sizeof(digits);
	size_t np = strlen(prefix), nd;

	*--d = '\0';
	do
		*--d = (char)('0' + uid % 10);
	while (uid /= 10);
	nd = (size_t)(digits + sizeof(digits) - d);	/* with the NUL */
	if (np + nd > len)
		return false;
	memcpy(buf, prefix, np);
	memcpy(buf + np, d, nd);
	return true;
}

/* lstat(2) as fstatat(2), the call the stamps make. */
static int lstat_path(const char *path, struct stat *st)
{
	return fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

/* The cache's directory into BUF (see binfmt_cache.h), and the effective
 * uid that owns it into *UID; CREATE: make /tmp/uexec-UID if needed.
 * Returns whether one is usable. */
static bool cache_dir(char *buf, size_t len, bool create, uid_t *uid_out)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	uid_t uid = *uid_out = geteuid();
	struct stat st;

	if (xdg && *xdg) {
		if (strlen(xdg) >= len)
			return false;
		strcpy(buf, xdg);
		if (lstat_path(buf, &st))
			return false;
	} else {
		if (!uid_path(buf, len, "/run/user/", uid))
			return false;
		if (lstat_path(buf, &st)) {
			if (!uid_path(buf, len, "/tmp/uexec-", uid))
				return false;
			if (create && mkdir(buf, 0700) && errno != EEXIST)
				return false;
			if (lstat_path(buf, &st))
				return false;
		}
	}
	return S_ISDIR(st.st_mode) && st.st_uid == uid && !(st.st_mode & 077);
}

/* ------------------------------------------------------------------ */
/* Reading */

static bool get(struct uexec_bcache_view *v, void *out, size_t n)
{
	if (v->size - v->pos < n)
		return false;
	memcpy(out, v->data + v->pos, n);
	v->pos += n;
	return true;
}

/* N bytes then a NUL, in place; NULL when short or not NUL-terminated. */
static const unsigned char *get_bytes(struct uexec_bcache_view *v, size_t n)
{
	const unsigned char *p = v->data + v->pos;

	if (v->size - v->pos < n + 1 || p[n] != '\0')
		return NULL;
	v->pos += n + 1;
	return p;
}

/* A string: NUL-terminated where its length says, the length into *LEN
 * if LEN.  (A NUL inside would only shorten it; the checksum has ruled out
 * damage.) */
static const char *get_str_len(struct uexec_bcache_view *v, size_t *len)
{
	uint32_t n;

	if (!get(v, &n, sizeof(n)))
		return NULL;
	if (len)
		*len = n;
	return (const char *)get_bytes(v, n);
}

static const char *get_str(struct uexec_bcache_view *v)
{
	return get_str_len(v, NULL);
}

/* N stamps of paths, each still as recorded. */
static bool stamps_match(struct uexec_bcache_view *v)
{
	struct stamp was, now;
	const char *path;
	uint32_t n;

	if (!get(v, &n, sizeof(n)))
		return false;
	while (n--) {
		path = get_str(v);
		if (!path || !get(v, &was, sizeof(was)))
			return false;
		stamp_path(path, &now);
		if (!stamp_equal(&was, &now))
			return false;
	}
	return true;
}

/* The whole cache file, if it is the user's own and of a sane size. */
static bool read_cache(struct uexec_bcache_view *v)
{
	char path[4096];
	struct stat st;
	ssize_t n;
	uid_t uid;
	int fd;

	if (!cache_dir(path, sizeof(path) - sizeof(CACHE_NAME) - 1, false, &uid))
		return false;
	strcat(path, "/" CACHE_NAME);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != uid ||
	    (st.st_mode & 022) || st.st_size > CACHE_MAX || !(v->data = malloc(st.st_size + 1))) {
		close(fd);
		return false;
	}
	n = read(fd, v->data, (size_t)st.st_size + 1);
	close(fd);
	v->size = n > 0 ? (size_t)n : 0;
	v->pos = 0;
	return n == st.st_size;
}

bool uexec_bcache_open(const char *key, struct uexec_bcache_view *v)
{
	struct header h, want;
	const char *k;

	memset(v, 0, sizeof(*v));
	if (!read_cache(v) || !get(v, &h, sizeof(h)))
		goto close_view;
	fill_header(&want, v->size - v->pos, checksum(v->data + v->pos, v->size - v->pos));
	k = get_str(v);
	if (memcmp(&h, &want, sizeof(h)) || !k || strcmp(k, key) || !stamps_match(v))
		goto close_view;
	return true;

close_view:
	UEXEC_DEBUG(UEXEC_DBG_HANDLERS, "binfmt_cache: no usable cache: the files are parsed");
	uexec_bcache_close(v);
	return false;
}

static bool next_rule(struct uexec_bcache_view *v, struct uexec_bcache_rec *r)
{
	struct uexec_misc_compiled *c = &r->rule;
	uint32_t size, flags;
	int32_t offset;
	unsigned char has_mask, type;
	size_t len;

	if (!(r->origin = get_str(v)) || !(c->handler_name = get_str_len(v, &len)) ||
	    len < 6 || memcmp(c->handler_name, "misc:", 5) ||
	    !(c->interpreter = get_str(v)) || !get(v, &size, sizeof(size)) ||
	    !(c->magic = get_bytes(v, size)) || !get(v, &has_mask, 1))
		return false;
	c->name = c->handler_name + 5;
	c->mask = NULL;
	if (has_mask && !(c->mask = get_bytes(v, size)))
		return false;
	if (!get(v, &offset, sizeof(offset)) || !get(v, &flags, sizeof(flags)) ||
	    !get(v, &type, 1))
		return false;
	c->size = size;
	c->offset = offset;
	c->flags = flags;
	c->magic_type = type;
	return true;
}

static bool next_skipped(struct uexec_bcache_view *v, struct uexec_bcache_rec *r)
{
	uint32_t line;

	if (!(r->file = get_str(v)) || !get(v, &line, sizeof(line)) ||
	    !(r->reason = get_str(v)))
		return false;
	r->line = line;
	return true;
}

/* A file's record: whether the file is still as it was stamped. */
static bool file_current(struct uexec_bcache_view *v)
{
	struct stamp now, was;
	const char *path;
	size_t len;

	if (!(path = get_str_len(v, &len)) || !get(v, &was, sizeof(was)))
		return false;
	stamp_in(v, path, len, &now);
	if (stamp_equal(&was, &now))
		return true;
	UEXEC_DEBUG(UEXEC_DBG_HANDLERS, "binfmt_cache: %s has changed", path);
	return false;
}

bool uexec_bcache_next(struct uexec_bcache_view *v, struct uexec_bcache_rec *r)
{
	unsigned char type;

	while (!v->unsound && v->pos < v->size) {
		if (!get(v, &type, 1)) {
			v->unsound = true;
		} else if (type == REC_FILE) {
			v->unsound = !file_current(v);
		} else {
			memset(r, 0, sizeof(*r));
			r->is_rule = type == REC_RULE;
			if (type == REC_RULE ? next_rule(v, r) :
			    type == REC_SKIPPED && next_skipped(v, r))
				return true;
			v->unsound = true;
		}
	}
	close_dirs(v);
	return false;
}

bool uexec_bcache_sound(const struct uexec_bcache_view *v)
{
	return !v->unsound && v->pos == v->size;
}

void uexec_bcache_close(struct uexec_bcache_view *v)
{
	close_dirs(v);
	free(v->data);
	memset(v, 0, sizeof(*v));
}

/* The buffers of kept views: they live as long as the process. */
static struct kept {
	struct kept *prev;
	unsigned char *data;
} *kept;

bool uexec_bcache_keep(struct uexec_bcache_view *v)
{
	struct kept *k = malloc(sizeof(*k));

	if (!k)
		return false;
	k->data = v->data;
	k->prev = kept;
	kept = k;
	return true;
}

/* ------------------------------------------------------------------ */
/* Writing */

struct uexec_bcache_writer {
	unsigned char *buf;		/* owned: the payload */
	size_t len, cap;
	int64_t newest;			/* the latest second of any stamp */
	bool failed;			/* nothing will be written */
};

static void put(struct uexec_bcache_writer *w, const void *p, size_t n)
{
	if (w->failed)
		return;
	if (w->cap - w->len < n) {
		size_t ncap = w->cap ? w->cap : 4096;
		unsigned char *nb;

		while (ncap - w->len < n)
			ncap *= 2;
		nb = ncap <= CACHE_MAX ? realloc(w->buf, ncap) : NULL;
		if (!nb) {
			w->failed = true;
			return;
		}
		w->buf = nb;
		w->cap = ncap;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

/* N bytes and a NUL. */
static void put_bytes(struct uexec_bcache_writer *w, const void *p, size_t n)
{
	put(w, p, n);
	put(w, "", 1);
}

static void put_str(struct uexec_bcache_writer *w, const char *s)
{
	uint32_t n = (uint32_t)strlen(s);

	put(w, &n, sizeof(n));
	put_bytes(w, s, n);
}

static void put_stamp(struct uexec_bcache_writer *w, const char *path, const struct stamp *s)
{
	put_str(w, path);
	put(w, s, sizeof(*s));
	if ((int64_t)s->mtime_s > w->newest)
		w->newest = (int64_t)s->mtime_s;
	if ((int64_t)s->ctime_s > w->newest)
		w->newest = (int64_t)s->ctime_s;
}

struct uexec_bcache_writer *uexec_bcache_begin(const char *key, char *const *dirs,
					       size_t n)
{
	struct uexec_bcache_writer *w = calloc(1, sizeof(*w));
	uint32_t ndirs = (uint32_t)n;
	struct stamp s;

	if (!w)
		return NULL;
	put_str(w, key);
	put(w, &ndirs, sizeof(ndirs));
	for (size_t i = 0; i < n; i++) {
		stamp_path(dirs[i], &s);
		put_stamp(w, dirs[i], &s);
	}
	return w;
}

void uexec_bcache_file(struct uexec_bcache_writer *w, const char *path,
		       const struct stat *st)
{
	unsigned char type = REC_FILE;
	struct stamp s;

	if (!w)
		return;
	stamp_of(st, &s);
	put(w, &type, 1);
	put_stamp(w, path, &s);
}

void uexec_bcache_rule(struct uexec_bcache_writer *w, const struct uexec_misc_compiled *c,
		       const char *origin)
{
	unsigned char type = REC_RULE, has_mask = c->mask != NULL;
	unsigned char magic_type = c->magic_type;
	uint32_t size = (uint32_t)c->size, flags = c->flags;
	int32_t offset = c->offset;

	if (!w)
		return;
	put(w, &type, 1);
	put_str(w, origin);
	put_str(w, c->handler_name);
	put_str(w, c->interpreter);
	put(w, &size, sizeof(size));
	put_bytes(w, c->magic, c->size);
	put(w, &has_mask, 1);
	if (c->mask)
		put_bytes(w, c->mask, c->size);
	put(w, &offset, sizeof(offset));
	put(w, &flags, sizeof(flags));
	put(w, &magic_type, 1);
}

void uexec_bcache_skipped(struct uexec_bcache_writer *w, const char *file,
			  unsigned int line, const char *reason)
{
	unsigned char type = REC_SKIPPED;
	uint32_t l = line;

	if (!w)
		return;
	put(w, &type, 1);
	put_str(w, file);
	put(w, &l, sizeof(l));
	put_str(w, reason);
}

void uexec_bcache_taint(struct uexec_bcache_writer *w)
{
	if (w)
		w->failed = true;
}

/* Whether a file of LEN bytes may be written: a write past RLIMIT_FSIZE
 * raises SIGXFSZ, whose default action would end the launch then and
 * there, where the kernel's exec writes nothing. */
static bool fits_fsize(size_t len)
{
	struct rlimit rl;

	return !getrlimit(RLIMIT_FSIZE, &rl) &&
	       (rl.rlim_cur == RLIM_INFINITY || (uint64_t)len <= (uint64_t)rl.rlim_cur);
}

/* Write the header and W's payload to a new file in DIR, then rename it
 * over the cache: a reader sees the old file or the new one, whole.  Not
 * where RLIMIT_FSIZE is smaller than the file. */
static bool write_file(const char *dir, const struct uexec_bcache_writer *w)
{
	char tmp[4096], path[4096];
	struct header h;
	bool ok;
	int fd;

	if (!fits_fsize(sizeof(h) + w->len)) {
		UEXEC_DEBUG(UEXEC_DBG_HANDLERS, "binfmt_cache: cache not written "
			    "(RLIMIT_FSIZE is smaller than its %zu bytes)", sizeof(h) + w->len);
		return true;	/* said so: not a directory's fault */
	}
	snprintf(path, sizeof(path), "%s/%s", dir, CACHE_NAME);
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return false;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return false;
	fill_header(&h, w->len, checksum(w->buf, w->len));
	ok = write(fd, &h, sizeof(h)) == (ssize_t)sizeof(h) &&
	     write(fd, w->buf, w->len) == (ssize_t)w->len;
	ok = !close(fd) && ok && !rename(tmp, path);
	if (!ok)
		unlink(tmp);
	return ok;
}

void uexec_bcache_commit(struct uexec_bcache_writer *w)
{
	struct timespec now;
	char dir[3072];
	uid_t uid;

	if (!w)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	if (w->failed || w->newest > (int64_t)now.tv_sec - RACY_SECONDS)
		UEXEC_DEBUG(UEXEC_DBG_HANDLERS, "binfmt_cache: cache not written (%s)",
			    w->failed ? "a file could not be read" : "a stamp is too recent");
	else if (!cache_dir(dir, sizeof(dir), true, &uid) || !write_file(dir, w))
		UEXEC_DEBUG(UEXEC_DBG_HANDLERS, "binfmt_cache: cache not written (no usable "
			    "directory: %s)", dir);
	free(w->buf);
	free(w);
}
