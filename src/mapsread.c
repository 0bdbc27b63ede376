/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
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
