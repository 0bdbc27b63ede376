/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "mapsread.h"

int uexec_maps_open(struct uexec_maps_reader *rd)
{
	rd->len = rd->pos = 0;
	rd->fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	return rd->fd < 0 ? -1 : 0;
}

void uexec_maps_attach(struct uexec_maps_reader *rd, int fd)
{
	rd->len = rd->pos = 0;
	rd->fd = fd;
}

void uexec_maps_close(struct uexec_maps_reader *rd)
{
	if (rd->fd >= 0)
		close(rd->fd);
	rd->fd = -1;
}

/* The next line into LINE of MAX bytes (a longer line is cut); 1, 0 at the
 * end.  Whole runs are copied (memchr, memcpy): the reader is on every
 * launch's path. */
static int next_line(struct uexec_maps_reader *rd, char *line, size_t max)
{
	size_t n = 0;

	for (;;) {
		const char *start, *nl;
		size_t run, take;

		if (rd->pos == rd->len) {
			ssize_t got = read(rd->fd, rd->buf, sizeof(rd->buf));

			if (got <= 0) {
				line[n] = 0;
				return n > 0;
			}
			rd->len = (size_t)got;
			rd->pos = 0;
		}
		start = rd->buf + rd->pos;
		nl = memchr(start, '\n', rd->len - rd->pos);
		run = nl ? (size_t)(nl - start) : rd->len - rd->pos;
		take = n + run < max - 1 ? run : max - 1 - n;
		memcpy(line + n, start, take);
		n += take;
		rd->pos += run + (nl ? 1 : 0);
		if (nl) {
			line[n] = 0;
			return 1;
		}
	}
}

static unsigned long long hex(const char **s)
{
	unsigned long long v = 0;

	for (;; (*s)++) {
		char c = **s;

		if (c >= '0' && c <= '9')
			v = v * 16 + (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (unsigned)(c - 'a' + 10);
		else
			return v;
	}
}

/* Parse LINE, "lo-hi perms off dev inode   name", into E (name into LINE). */
static void parse_line(struct uexec_maps_entry *e, const char *line)
{
	const char *s = line;

	e->lo = (uintptr_t)hex(&s);
	if (*s == '-')
		s++;
	e->hi = (uintptr_t)hex(&s);
	while (*s == ' ')
		s++;
	memset(e->perms, 0, sizeof(e->perms));
	for (int i = 0; i < 4 && *s && *s != ' '; i++)
		e->perms[i] = *s++;
	while (*s == ' ')
		s++;
	e->off = hex(&s);
	/* skip dev and inode */
	for (int field = 0; field < 2; field++) {
		while (*s == ' ')
			s++;
		while (*s && *s != ' ')
			s++;
	}
	while (*s == ' ')
		s++;
	e->name = s;
}

int uexec_maps_next(struct uexec_maps_reader *rd, struct uexec_maps_entry *e)
{
	if (!next_line(rd, e->line, sizeof(e->line)))
		return 0;
	parse_line(e, e->line);
	return 1;
}

int uexec_maps_next_long(struct uexec_maps_reader *rd, struct uexec_maps_entry *e,
			 char *line, size_t len)
{
	if (!next_line(rd, line, len))
		return 0;
	parse_line(e, line);
	return 1;
}

int uexec_maps_is_kernel(const struct uexec_maps_entry *e)
{
	return !strncmp(e->name, "[vdso]", 6) || !strncmp(e->name, "[vvar", 5);
}

/* PROCMAP_QUERY's argument (include/uapi/linux/fs.h, Linux 6.11; the
 * headers uexec builds with may be older). */
struct procmap_query {
	uint64_t size, query_flags, query_addr;
	uint64_t vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode;
	uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
	uint64_t vma_name_addr, build_id_addr;
};
#define UEXEC_PROCMAP_QUERY _IOWR('f', 17, struct procmap_query)

#define UEXEC_PROCMAP_QUERY_COVERING_OR_NEXT_VMA 0x10

/* The mapping that covers ADDR (with FLAGS, the next one), its name into
 * NAME; 0, or -errno. */
static int query_flags(int fd, uintptr_t addr, uint64_t flags, struct procmap_query *q,
		       char *name, size_t len)
{
	memset(q, 0, sizeof(*q));
	q->size = sizeof(*q);
	q->query_flags = flags;
	q->query_addr = addr;
	q->vma_name_addr = len ? (uintptr_t)name : 0;	/* both or neither */
	q->vma_name_size = (uint32_t)len;
	name[0] = '\0';
	return ioctl(fd, UEXEC_PROCMAP_QUERY, q) ? -errno : 0;
}

static int query(int fd, uintptr_t addr, struct procmap_query *q, char *name, size_t len)
{
	return query_flags(fd, addr, 0, q, name, len);
}

/* The bounds of the mapping query_flags() finds. */
static int bounds(int fd, uintptr_t addr, uint64_t flags, uintptr_t *lo, uintptr_t *hi)
{
	struct procmap_query q;
	char name[1];
	int ret = query_flags(fd, addr, flags, &q, name, 0);

	if (!ret) {
		*lo = q.vma_start;
		*hi = q.vma_end;
	}
	return ret;
}

int uexec_maps_covering_or_next(int fd, uintptr_t addr, uintptr_t *lo, uintptr_t *hi)
{
	return bounds(fd, addr, UEXEC_PROCMAP_QUERY_COVERING_OR_NEXT_VMA, lo, hi);
}

int uexec_maps_covering(int fd, uintptr_t addr, uintptr_t *lo, uintptr_t *hi)
{
	return bounds(fd, addr, 0, lo, hi);
}

static bool is_vvar(const char *name)
{
	return !strncmp(name, "[vvar", 5);
}

/* The vDSO's block is the vDSO and the [vvar...] mappings that touch it,
 * below (x86, arm64) or above it. */
int uexec_maps_query_kernel(struct uexec_maps_reader *rd, uintptr_t vdso,
			    uintptr_t (*out)[2], size_t max)
{
	struct procmap_query q;
	uintptr_t run[8][2];
	size_t n = 0, first;
	char name[32];

	if (!vdso)
		return query(rd->fd, 0, &q, name, sizeof(name)) == -ENOTTY ? -1 : 0;
	if (query(rd->fd, vdso, &q, name, sizeof(name)) || strcmp(name, "[vdso]"))
		return -1;
	first = 4;		/* the vDSO's slot: room for 4 below, 3 above */
	run[first][0] = q.vma_start;
	run[first][1] = q.vma_end;
	while (first > 0 && run[first][0] > 0 &&
	       !query(rd->fd, run[first][0] - 1, &q, name, sizeof(name)) &&
	       q.vma_end == run[first][0] && is_vvar(name)) {
		first--;
		run[first][0] = q.vma_start;
		run[first][1] = q.vma_end;
	}
	n = 5;
	while (n < 8 && !query(rd->fd, run[n - 1][1], &q, name, sizeof(name)) &&
	       q.vma_start == run[n - 1][1] && is_vvar(name)) {
		run[n][0] = q.vma_start;
		run[n++][1] = q.vma_end;
	}
	if (n - first > max)
		return -1;
	for (size_t i = first; i < n; i++) {
		out[i - first][0] = run[i][0];
		out[i - first][1] = run[i][1];
	}
	return (int)(n - first);
}
