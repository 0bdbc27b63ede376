/* SPDX-License-Identifier: MIT */
/*
 * The item API of --compare: every comparison is an item with a name
 * ("auxv.AT_PHDR", "maps", "fd.2", the arch's "regs.*"), compared by value or by
 * kind, counted and printed as one row: same (with -v), DIFF, KNOWN (the
 * built-in intended differences, here and the architecture's) or IGNORED
 * (--compare-ignore).  Addresses are shown relocated: "exe+0x1040",
 * "interp+0x1c70", "stack top-0x1f8", "[vdso]+0x0".
 */
#include <stdio.h>
#include <string.h>

#include "compare/cmp.h"

/* The built-in list of intended differences (doc/debugging.md); the
 * architecture adds its own (uexec_arch_compare_known). */
static const struct uexec_cmp_known known_differences[] = {
	{ "exe", "/proc/PID/exe names uexec where the final stage may not set it "
	  "(no CAP_CHECKPOINT_RESTORE or CAP_SYS_RESOURCE)" },
	{ "maps.uexec", "the final stage's mapping stays where the vDSO has no exit "
	  "gadget" },
	{ "maps.out-of-reach", "a mapping of uexec's 64-bit process above the 32-bit "
	  "program's address space (the vsyscall page): out of its reach" },
	{ "maps.stack-size", "the stack mapping's size: uexec maps it at once, the "
	  "kernel's grows from 128 KiB plus the strings" },
	{ "mm.start_code.no-text", "no executable PT_LOAD: the kernel leaves start_code "
	  "above end_code, and PR_SET_MM_MAP takes only start_code < end_code" },
	{ "mm.end_code.no-text", "no executable PT_LOAD: the kernel leaves start_code "
	  "above end_code, and PR_SET_MM_MAP takes only start_code < end_code" },
};

static bool prefix_match(const char *item, const char *prefix, size_t plen)
{
	return !strncmp(item, prefix, plen) &&
	       (item[plen] == 0 || item[plen] == '.' || item[plen] == '[');
}

static bool ignored(const struct uexec_cmp *c, const char *item)
{
	const char *p = c->co->ignore;

	while (p && *p) {
		size_t len = strcspn(p, ",");

		if (len && prefix_match(item, p, len))
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

static const char *known_in(const struct uexec_cmp_known *list, size_t n, const char *item)
{
	for (size_t i = 0; i < n; i++)
		if (prefix_match(item, list[i].item, strlen(list[i].item)))
			return list[i].why;
	return NULL;
}

static const char *known_why(const char *item)
{
	size_t n;
	const struct uexec_cmp_known *arch = uexec_arch_compare_known(&n);
	const char *why = known_in(known_differences, sizeof(known_differences) /
				   sizeof(known_differences[0]), item);

	return why ? why : known_in(arch, n, item);
}

void uexec_cmp_row(struct uexec_cmp *c, const char *tag, const char *item, const char *k,
		   const char *u)
{
	if (strlen(k) <= 40 && strlen(item) <= 24)
		fprintf(c->out, "%-7s %-24s %-40s %s\n", tag, item, k, u);
	else
		fprintf(c->out, "%-7s %s\n%-7s   kernel: %s\n%-7s   uexec:  %s\n", tag, item,
			"", k, "", u);
}

void uexec_cmp_item(struct uexec_cmp *c, const char *name, enum uexec_cmp_how how,
		    const char *kd, const char *ud, const char *kk, const char *uk)
{
	bool equal = how == UEXEC_CMP_BY_VALUE ? !strcmp(kd, ud) : !strcmp(kk, uk);
	const char *why;

	if (equal) {
		c->same++;
		if (c->co->verbose)
			uexec_cmp_row(c, how == UEXEC_CMP_BY_VALUE ? "same" : "kind", name, kd, ud);
		return;
	}
	if (ignored(c, name)) {
		c->ignored++;
		uexec_cmp_row(c, "IGNORED", name, kd, ud);
	} else if ((why = known_why(name))) {
		c->known++;
		uexec_cmp_row(c, "KNOWN", name, kd, ud);
		fprintf(c->out, "%-7s %-24s (%s)\n", "", "", why);
	} else {
		c->differ++;
		uexec_cmp_row(c, "DIFF", name, kd, ud);
	}
}

void uexec_cmp_value(struct uexec_cmp *c, const char *name, const char *kd, const char *ud)
{
	uexec_cmp_item(c, name, UEXEC_CMP_BY_VALUE, kd, ud, kd, ud);
}

void uexec_cmp_hex(struct uexec_cmp *c, const char *name, unsigned long k, unsigned long u)
{
	char kd[32], ud[32];

	snprintf(kd, sizeof(kd), "%#lx", k);
	snprintf(ud, sizeof(ud), "%#lx", u);
	uexec_cmp_value(c, name, kd, ud);
}

void uexec_cmp_addr(struct uexec_cmp *c, const char *name, enum uexec_cmp_how how,
		    unsigned long ka, unsigned long ua)
{
	char kd[PATH_MAX + 64], ud[PATH_MAX + 64], kk[PATH_MAX], uk[PATH_MAX];

	uexec_cmp_describe(c->k, ka, kd, sizeof(kd), kk, sizeof(kk));
	uexec_cmp_describe(c->u, ua, ud, sizeof(ud), uk, sizeof(uk));
	uexec_cmp_item(c, name, how, kd, ud, kk, uk);
}

void uexec_cmp_describe(const struct uexec_cmp_side *s, unsigned long addr, char *out,
			size_t len, char *kind, size_t klen)
{
	const struct uexec_cmp_map *m = addr ? uexec_cmp_map_at(s, addr) : NULL;

	if (!addr) {
		snprintf(out, len, "0");
		snprintf(kind, klen, "0");
	} else if (!m) {
		snprintf(out, len, "unmapped %#lx", addr);
		snprintf(kind, klen, "unmapped");
	} else if (!strcmp(m->cls, "stack")) {
		snprintf(out, len, "stack top-%#lx", m->hi - addr);
		snprintf(kind, klen, "stack");
	} else if (!strcmp(m->cls, "other")) {
		snprintf(out, len, "other+%#lx (%s)", addr - m->lo, m->name);
		snprintf(kind, klen, "other");
	} else {
		snprintf(out, len, "%s+%#lx", m->cls, addr - m->base);
		snprintf(kind, klen, "%s", m->cls);
	}
}
