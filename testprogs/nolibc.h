/* SPDX-License-Identifier: MIT */
/*
 * memset and memcpy for the libc-less test programs (entry, bti), which
 * the compiler may call even in freestanding code: included by exactly one
 * file of each program.
 */
#ifndef NOLIBC_H
#define NOLIBC_H

#include <stddef.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}

#endif
