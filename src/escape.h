/* SPDX-License-Identifier: MIT */
/*
 * One escaping for every byte that comes from outside (file contents, file
 * names, arguments) and goes into a message line, a trace line or the plan.
 *
 * The output is printable ASCII only (0x20..0x7e): a newline, a CR, an ESC
 * sequence, a C1 control, a bidi override or any other byte >= 0x80 never
 * reaches the terminal or the log raw, whatever the locale.  Escapes:
 * \n \t \r, and \xHH (two lowercase hex digits) for every other byte below
 * 0x20, 0x7f and every byte >= 0x80 -- UTF-8 included, deliberately: uexec
 * does not look at the locale, and a valid UTF-8 sequence can still be a
 * line separator (U+2028) or a bidi override (U+202E).
 *
 * All of it but uexec_eprint is async-signal-safe (no libc calls), for use
 * after the point of no return.  Output is never cut inside an escape sequence.
 */
#ifndef UEXEC_ESCAPE_H
#define UEXEC_ESCAPE_H

#include <stddef.h>

/* Also escape '\\' as "\\\\" (a full C escaping: the result can be
 * unescaped exactly).  Without it, a backslash stays as it is: that is for
 * whole lines that already hold escaped, quoted strings (uexec_quote). */
#define UEXEC_ESC_BACKSLASH 1u
/* Also escape '"' as "\\\"" (inside double quotes). */
#define UEXEC_ESC_QUOTE 2u

/*
 * Escape the N bytes at S (or up to its NUL when N is (size_t)-1) into OUT
 * of SIZE >= 1 bytes, NUL-terminated, cut at a whole escape sequence.
 * Returns the number of input bytes consumed (less than the input when the
 * output was cut); *OUTLEN (when not NULL) is the output's length.
 */
size_t uexec_escape_bytes(const char *s, size_t n, char *out, size_t size,
			  unsigned int flags, size_t *outlen);

/* S fully C-escaped (backslash too) into BUF of LEN >= 1 bytes, cut to fit.
 * Returns BUF. */
const char *uexec_escape(const char *s, char *buf, size_t len);

/* A message body (a whole formatted line but for "uexec: " and the newline)
 * made safe in place of itself: BODY of LEN bytes is escaped into OUT of
 * SIZE bytes, backslashes kept (the body may hold quoted strings that are
 * escaped already).  Returns the output's length. */
size_t uexec_escape_line(const char *body, size_t len, char *out, size_t size);

/* "uexec: WHAT: " with WHAT escaped as by uexec_escape_line, into BUF of
 * SIZE bytes (NUL-terminated, WHAT cut to fit): the prefix of the final
 * stage's fatal lines, written before the point of no return. */
void uexec_escape_prefix(char *buf, size_t size, const char *what);

/* "uexec: " and the message of FMT, escaped as by uexec_escape_line, and a
 * newline, on stderr (stdio: not for use after the point of no return). */
void uexec_eprint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
