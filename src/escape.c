/* SPDX-License-Identifier: MIT */
/*
 * The escaping of untrusted bytes in every line uexec writes (escape.h has
 * the rules).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"

/* The escape of C into E (at most 4 bytes); returns its length (1 when C is
 * kept as it is). */
static size_t escape_one(unsigned char c, unsigned int flags, char e[4])
{
	static const char hex[] = "0123456789abcdef";

	e[0] = '\\';
	if (c == '\n' || c == '\t' || c == '\r') {
		e[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
		return 2;
	}
	if ((c == '\\' && (flags & UEXEC_ESC_BACKSLASH)) ||
	    (c == '"' && (flags & UEXEC_ESC_QUOTE))) {
		e[1] = (char)c;
		return 2;
	}
	if (c < 0x20 || c >= 0x7f) {
		e[1] = 'x';
		e[2] = hex[c >> 4];
		e[3] = hex[c & 15];
		return 4;
	}
	e[0] = (char)c;
	return 1;
}

size_t uexec_escape_bytes(const char *s, size_t n, char *out, size_t size,
			  unsigned int flags, size_t *outlen)
{
	size_t i, o = 0;

	for (i = 0; i < n && (n != (size_t)-1 || s[i]); i++) {
		char e[4];
		size_t k = escape_one((unsigned char)s[i], flags, e);

		if (o + k >= size)
			break;
		for (size_t j = 0; j < k; j++)
			out[o++] = e[j];
	}
	out[o] = 0;
	if (outlen)
		*outlen = o;
	return i;
}

const char *uexec_escape(const char *s, char *buf, size_t len)
{
	uexec_escape_bytes(s, (size_t)-1, buf, len, UEXEC_ESC_BACKSLASH, NULL);
	return buf;
}

size_t uexec_escape_line(const char *body, size_t len, char *out, size_t size)
{
	size_t o;

	uexec_escape_bytes(body, len, out, size, 0, &o);
	return o;
}

void uexec_escape_prefix(char *buf, size_t size, const char *what)
{
	static const char head[] = "uexec: ";
	size_t o;

	if (size < sizeof(head) + 2) {
		buf[0] = 0;
		return;
	}
	for (o = 0; o < sizeof(head) - 1; o++)
		buf[o] = head[o];
	uexec_escape_bytes(what, (size_t)-1, buf + o, size - o - 2, 0, &o);
	o += sizeof(head) - 1;
	buf[o++] = ':';
	buf[o++] = ' ';
	buf[o] = 0;
}

void uexec_eprint(const char *fmt, ...)
{
	char raw[1024], line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	uexec_escape_line(raw, strlen(raw), line, sizeof(line));
	fprintf(stderr, "uexec: %s\n", line);
}
