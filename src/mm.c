/* SPDX-License-Identifier: MIT */
/*
 * Building the new address space from a plan, reversibly.
 *
 * Every step maps only into ranges that the plan first reserved with
 * MAP_FIXED_NOREPLACE, so uexec's own memory is never overwritten: a clash
 * is reported as such.  uexec_plan_map() either applies the whole plan or
 * returns -errno, and uexec_plan_unmap() removes everything it had mapped,
 * leaving the caller's address space as it was.  Neither is used after the
 * point of no return.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "arch.h"
#include "binprm.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static const char *kind_name(enum uexec_map_kind k)
{
	switch (k) {
	case UEXEC_MAP_RESERVE: return "reserve";
	case UEXEC_MAP_FILE: return "file";
	case UEXEC_MAP_ZERO_TAIL: return "zero";
	case UEXEC_MAP_ANON: return "anon";
	case UEXEC_MAP_UNMAP: return "unmap";
	case UEXEC_MAP_STACK: return "stack";
	}
	return "?";
}

const char *uexec_map_kind_name(enum uexec_map_kind k)
{
	return kind_name(k);
}

int uexec_plan_add_map(struct uexec_plan *plan, enum uexec_map_kind kind,
		       uintptr_t addr, size_t len, int prot, int fd, off_t off,
		       const char *what)
{
	struct uexec_map *m;

	if (plan->nmaps >= UEXEC_MAX_MAPS)
		return -E2BIG;
	m = &plan->maps[plan->nmaps++];
	m->kind = kind;
	m->addr = addr;
	m->len = len;
	m->prot = prot;
	m->fd = fd;
	m->off = off;
	m->what = what;
	return 0;
}

static void prot_str(int prot, char out[4])
{
	out[0] = prot & PROT_READ ? 'r' : '-';
	out[1] = prot & PROT_WRITE ? 'w' : '-';
	out[2] = prot & PROT_EXEC ? 'x' : '-';
	out[3] = 0;
}

static int apply(const struct uexec_map *m, char *err, size_t errlen)
{
	int flags = MAP_PRIVATE | MAP_FIXED;
	void *p;

	switch (m->kind) {
	case UEXEC_MAP_RESERVE:
		p = mmap((void *)m->addr, m->len, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
			 -1, 0);
		if (p == MAP_FAILED && errno == EEXIST) {
			snprintf(err, errlen, "%s segment %#lx-%#lx overlaps memory "
				 "that uexec itself uses", m->what, (unsigned long)m->addr,
				 (unsigned long)(m->addr + m->len));
			return -EEXIST;
		}
		if (p != MAP_FAILED && (uintptr_t)p != m->addr) {
			munmap(p, m->len);
			snprintf(err, errlen, "the kernel does not support "
				 "MAP_FIXED_NOREPLACE (Linux >= 4.17 is needed)");
			return -ENOSYS;
		}
		break;
	case UEXEC_MAP_FILE:
		p = mmap((void *)m->addr, m->len, m->prot, flags, m->fd, m->off);
		break;
	case UEXEC_MAP_ANON:
		p = mmap((void *)m->addr, m->len, m->prot, flags | MAP_ANONYMOUS, -1, 0);
		break;
	case UEXEC_MAP_ZERO_TAIL:
		memset((void *)m->addr, 0, m->len);
		return 0;
	case UEXEC_MAP_UNMAP:
		return munmap((void *)m->addr, m->len) ? -errno : 0;
	case UEXEC_MAP_STACK:
		p = mmap((void *)m->addr, m->len, m->prot,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED_NOREPLACE,
			 -1, 0);
		if (p == MAP_FAILED && errno == EEXIST) {
			snprintf(err, errlen, "the stack %#lx-%#lx overlaps memory in use",
				 (unsigned long)m->addr, (unsigned long)(m->addr + m->len));
			return -EEXIST;
		}
		break;
	default:
		return -EINVAL;
	}
	if (p == MAP_FAILED) {
		int e = errno;

		snprintf(err, errlen, "mmap of %s %s %#lx-%#lx: %s", m->what,
			 kind_name(m->kind), (unsigned long)m->addr,
			 (unsigned long)(m->addr + m->len), strerror(e));
		return -e;
	}
	return 0;
}

int uexec_plan_map(struct uexec_plan *plan, char *err, size_t errlen)
{
	struct uexec_stack *st = &plan->stack;
	char prot[4];
	int ret;

	for (plan->nmapped = 0; plan->nmapped < plan->nmaps; plan->nmapped++) {
		const struct uexec_map *m = &plan->maps[plan->nmapped];

		ret = apply(m, err, errlen);
		prot_str(m->prot, prot);
		UEXEC_DEBUG(UEXEC_DBG_MAP, "map %s %s %#lx-%#lx %s off %#llx: %s",
			    m->what, kind_name(m->kind), (unsigned long)m->addr,
			    (unsigned long)(m->addr + m->len), prot,
			    (unsigned long long)m->off, ret ? strerror(-ret) : "ok");
		if (ret)
			return ret;
	}
	/* The stack image goes in last: its mapping is the last step. */
	memcpy((void *)st->sp, st->image, st->size);
	return 0;
}

void uexec_plan_unmap(struct uexec_plan *plan)
{
	while (plan->nmapped > 0) {
		const struct uexec_map *m = &plan->maps[--plan->nmapped];

		if (m->kind == UEXEC_MAP_RESERVE || m->kind == UEXEC_MAP_STACK) {
			munmap((void *)m->addr, m->len);
			UEXEC_DEBUG(UEXEC_DBG_MAP, "unmap %s %s %#lx-%#lx (undo)", m->what,
				    kind_name(m->kind), (unsigned long)m->addr,
				    (unsigned long)(m->addr + m->len));
		}
	}
}
