/* SPDX-License-Identifier: MIT */
/*
 * auxv-maps: the auxv's addresses point where /proc/self/maps says they
 * must: AT_RANDOM and AT_EXECFN into [stack], AT_PHDR into a mapping of
 * the program's own file (the realpath of AT_EXECFN), AT_SYSINFO_EHDR at
 * the start of [vdso], AT_BASE 0 without an interpreter and otherwise the
 * start of a mapping, at offset 0, of the PT_INTERP file.
 */
#include <elf.h>
#include <limits.h>
#include <sys/auxv.h>

#include "check.h"

static const char *interp_path(void)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	uintptr_t bias = 0;

	for (unsigned long i = 0; ph && i < getauxval(AT_PHNUM); i++)
		if (ph[i].p_type == PT_PHDR)
			bias = (uintptr_t)ph - ph[i].p_vaddr;
	for (unsigned long i = 0; ph && i < getauxval(AT_PHNUM); i++)
		if (ph[i].p_type == PT_INTERP)
			return (const char *)(bias + ph[i].p_vaddr);
	return NULL;
}

static void check_in_mapping(const char *what, unsigned long addr, const char *path)
{
	struct map_line m;

	if (!CHECK(addr, "%s is missing", what))
		return;
	if (!CHECK(map_of((void *)addr, &m), "%s is not in any mapping", what))
		return;
	CHECK(!strcmp(m.path, path), "%s is in a mapping of '%s', not '%s'", what,
	      m.path, path);
}

struct base_find {
	uintptr_t addr;
	const char *path;
};

static int base_cb(const struct map_line *m, void *arg)
{
	const struct base_find *b = arg;

	return m->lo == b->addr && m->off == 0 && !strcmp(m->path, b->path);
}

static void check_base(void)
{
	const char *interp = interp_path();
	unsigned long base = getauxval(AT_BASE);
	char real[PATH_MAX];
	struct base_find b;

	printf("interpreter: %s\n", interp ? "yes" : "no");
	if (!interp) {
		CHECK(base == 0, "AT_BASE is not 0 without an interpreter");
		return;
	}
	if (!CHECK(realpath(interp, real), "realpath(PT_INTERP) failed"))
		return;
	b.addr = base;
	b.path = real;
	CHECK(maps_walk(base_cb, &b) == 1, "AT_BASE is not the start of a mapping of %s "
	      "at offset 0", real);
}

int main(void)
{
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	unsigned long vdso = getauxval(AT_SYSINFO_EHDR);
	char self[PATH_MAX];
	struct map_line m;

	check_in_mapping("AT_RANDOM", getauxval(AT_RANDOM), "[stack]");
	check_in_mapping("AT_EXECFN", (unsigned long)execfn, "[stack]");
	if (CHECK(execfn && realpath(execfn, self), "realpath(AT_EXECFN) failed"))
		check_in_mapping("AT_PHDR", getauxval(AT_PHDR), self);
	if (CHECK(vdso && map_of((void *)vdso, &m), "AT_SYSINFO_EHDR is not mapped"))
		CHECK(m.lo == vdso && !strcmp(m.path, "[vdso]"),
		      "AT_SYSINFO_EHDR is not the start of [vdso]");
	check_base();
	return check_exit();
}
