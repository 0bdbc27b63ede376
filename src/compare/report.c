/* SPDX-License-Identifier: MIT */
/*
 * The --break report of the uexec side: "key=value" lines that debug.c
 * writes to the report descriptor just before the jump (pid, entry, sp,
 * exe_path, exe_bias, ...); read by --compare and --wait-gdb.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare/cmp.h"

int uexec_cmp_read_report(int fd, struct uexec_cmp_report *r)
{
	ssize_t n;

	r->len = 0;
	while (r->len + 1 < sizeof(r->buf) &&
	       (n = read(fd, r->buf + r->len, sizeof(r->buf) - 1 - r->len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0)
			return -1;
		r->len += (size_t)n;
	}
	r->buf[r->len] = 0;
	return 0;
}

const char *uexec_cmp_report_get(const struct uexec_cmp_report *r, const char *key,
				 char *out, size_t len)
{
	size_t klen = strlen(key);

	for (const char *p = r->buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			const char *v = p + klen + 1, *e = strchr(v, '\n');
			size_t n = e ? (size_t)(e - v) : strlen(v);

			snprintf(out, len, "%.*s", (int)n, v);
			return out;
		}
	}
	return NULL;
}

unsigned long uexec_cmp_report_ulong(const struct uexec_cmp_report *r, const char *key)
{
	char v[64];

	return uexec_cmp_report_get(r, key, v, sizeof(v)) ? strtoul(v, NULL, 0) : 0;
}
