/* SPDX-License-Identifier: MIT */
/*
 * Self-checking test programs: CHECK(cond, what...) prints "FAIL what" on
 * standard output when COND is false and remembers it; check_exit() is
 * the program's status (0 when every check held).  Programs print facts
 * only (never addresses), so that the harness can compare their output
 * under uexec with their output when run by the kernel.
 */
#ifndef TESTPROGS_CHECK_H
#define TESTPROGS_CHECK_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures;

__attribute__((format(printf, 2, 3)))
static inline int check(int ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return 1;
	fputs("FAIL ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	check_failures++;
	return 0;
}

#define CHECK(cond, ...) check(!!(cond), __VA_ARGS__)

static inline int check_exit(void)
{
	fflush(stdout);
	return check_failures ? 1 : 0;
}

/* One line of /proc/self/maps. */
struct map_line {
	uintptr_t lo, hi;
	unsigned long long off;
	char perms[5];
	char path[4096];	/* "" for an anonymous mapping */
};

/*
 * Call FN on each mapping of this process until it returns non-zero;
 * returns that value, 0 when none did, -1 when the maps are unreadable.
 */
static inline int maps_walk(int (*fn)(const struct map_line *, void *), void *arg)
{
	static char line[4200];
	struct map_line m;
	FILE *f = fopen("/proc/self/maps", "re");
	int ret = 0;

	if (!f)
		return -1;
	while (!ret && fgets(line, sizeof(line), f)) {
		int pos = 0;

		m.path[0] = 0;
		if (sscanf(line, "%lx-%lx %4s %llx %*s %*s%n", &m.lo, &m.hi, m.perms,
			   &m.off, &pos) < 4)
			continue;
		sscanf(line + pos, " %4095[^\n]", m.path);
		ret = fn(&m, arg);
	}
	fclose(f);
	return ret;
}

struct map_find {
	uintptr_t addr;
	struct map_line found;
};

static inline int map_find_cb(const struct map_line *m, void *arg)
{
	struct map_find *mf = arg;

	if (mf->addr < m->lo || mf->addr >= m->hi)
		return 0;
	mf->found = *m;
	return 1;
}

/* The mapping holding ADDR: 1 and *OUT filled, or 0. */
static inline int map_of(const void *addr, struct map_line *out)
{
	static struct map_find mf;

	mf.addr = (uintptr_t)addr;
	if (maps_walk(map_find_cb, &mf) != 1)
		return 0;
	*out = mf.found;
	return 1;
}

#endif
