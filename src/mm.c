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
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arch.h"
#include "binprm.h"
#include "layout.h"

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

/* Is some of [addr, addr+len) the vDSO or its data pages, which stay where
 * they are unless the final stage moves them (plan->vdso_delta)?  The
 * vsyscall page lies above every TASK_SIZE that elf_check.c lets through. */
static int overlaps_kernel_mapping(const struct uexec_plan *plan, uintptr_t addr,
				   size_t len)
{
	uintptr_t kmaps[8][2];
	size_t n;

	if (plan->vdso_delta)
		return 0;
	/* layout.c reads /proc/self/maps once for the whole exec. */
	n = uexec_layout_kernel_maps(kmaps, 8);
	for (size_t i = 0; i < n; i++)
		if (addr < kmaps[i][1] && kmaps[i][0] < addr + len)
			return 1;
	return 0;
}

/* Does [a, a+len) overlap the final range of a step other than SKIP? */
static int overlaps_plan(const struct uexec_plan *plan, uintptr_t a, size_t len,
			 const struct uexec_map *skip)
{
	if (plan->vdso32_block && a < plan->vdso32_block + plan->vdso32_size &&
	    plan->vdso32_block < a + len)
		return 1;
	if (plan->vdso_delta && plan->nkmaps) {
		uintptr_t lo = plan->kmaps[0][0] + (uintptr_t)plan->vdso_delta;
		uintptr_t hi = plan->kmaps[plan->nkmaps - 1][1] + (uintptr_t)plan->vdso_delta;

		if (a < hi && lo < a + len)
			return 1;
	}
	for (size_t i = 0; i < plan->nmaps; i++) {
		const struct uexec_map *m = &plan->maps[i];

		if (m == skip || (m->kind != UEXEC_MAP_RESERVE && m->kind != UEXEC_MAP_STACK))
			continue;
		if (a < m->addr + m->len && m->addr < a + len)
			return 1;
		if (m->stage && a < m->stage + m->len && m->stage < a + len)
			return 1;
	}
	return 0;
}

/*
 * Find LEN bytes of free address space that overlap no final range of the
 * plan, and map them PROT_NONE.  Returns the address or 0.
 */
uintptr_t uexec_plan_find_free(const struct uexec_plan *plan, size_t len)
{
	uintptr_t hint = 0;

	for (int tries = 0; tries < 16; tries++) {
		void *p = mmap((void *)hint, len, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (p == MAP_FAILED)
			return 0;
		if (!overlaps_plan(plan, (uintptr_t)p, len, NULL))
			return (uintptr_t)p;
		munmap(p, len);
		/* Below every final range, then lower still. */
		hint = UEXEC_TASK_SIZE;
		for (size_t i = 0; i < plan->nmaps; i++)
			if (plan->maps[i].addr < hint)
				hint = plan->maps[i].addr;
		hint = hint > (len + (1UL << 24)) * (size_t)(tries + 1) ?
		       hint - (len + (1UL << 24)) * (size_t)(tries + 1) : 0;
		hint &= ~(UEXEC_PAGE_SIZE - 1);
	}
	return 0;
}

/*
 * A reservation whose range uexec itself occupies: the kernel would accept
 * the address (its exec starts from an empty address space), so the image
 * is built at a staging address instead, and the final stage moves it into
 * place once uexec is gone (commit.c, final.c).
 */
static int stage_reserve(struct uexec_plan *plan, struct uexec_map *m,
			 char *err, size_t errlen)
{
	uintptr_t s;

	if (overlaps_kernel_mapping(plan, m->addr, m->len)) {
		snprintf(err, errlen, "%s segment %#lx-%#lx overlaps the vDSO or vsyscall "
			 "page, which uexec cannot move", m->what, (unsigned long)m->addr,
			 (unsigned long)(m->addr + m->len));
		return -EEXIST;
	}
	if (overlaps_plan(plan, m->addr, m->len, m)) {
		snprintf(err, errlen, "%s segment %#lx-%#lx overlaps another part of "
			 "the new image", m->what, (unsigned long)m->addr,
			 (unsigned long)(m->addr + m->len));
		return -EEXIST;
	}
	s = uexec_plan_find_free(plan, m->len);
	if (!s) {
		snprintf(err, errlen, "no room to stage %s %#lx-%#lx", m->what,
			 (unsigned long)m->addr, (unsigned long)(m->addr + m->len));
		return -ENOMEM;
	}
	m->stage = s;
	UEXEC_DEBUG(UEXEC_DBG_MAP, "stage %s %#lx-%#lx at %#lx: the range is uexec's own, "
		    "moved into place after uexec is gone", m->what, (unsigned long)m->addr,
		    (unsigned long)(m->addr + m->len), (unsigned long)s);
	return 0;
}

/* Where step M is applied now: its own address, shifted into the staging
 * area of the reservation that holds it. */
static uintptr_t apply_addr(const struct uexec_plan *plan, const struct uexec_map *m)
{
	for (size_t i = 0; i < plan->nmaps; i++) {
		const struct uexec_map *r = &plan->maps[i];

		if (r != m && r->kind == UEXEC_MAP_RESERVE && r->stage && m->addr >= r->addr &&
		    m->addr + m->len <= r->addr + r->len)
			return m->addr - r->addr + r->stage;
	}
	return m->addr;
}

static int apply(struct uexec_plan *plan, struct uexec_map *m, char *err, size_t errlen)
{
	int flags = MAP_PRIVATE | MAP_FIXED;
	uintptr_t addr = m->kind == UEXEC_MAP_RESERVE ? m->addr : apply_addr(plan, m);
	void *p;

	switch (m->kind) {
	case UEXEC_MAP_RESERVE:
		m->stage = 0;
		p = mmap((void *)m->addr, m->len, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
			 -1, 0);
		if (p == MAP_FAILED && errno == EEXIST)
			return stage_reserve(plan, m, err, errlen);
		if (p != MAP_FAILED && (uintptr_t)p != m->addr) {
			munmap(p, m->len);
			snprintf(err, errlen, "the kernel does not support "
				 "MAP_FIXED_NOREPLACE (Linux >= 4.17 is needed)");
			return -ENOSYS;
		}
		break;
	case UEXEC_MAP_FILE:
		p = mmap((void *)addr, m->len, m->prot, flags, m->fd, m->off);
		break;
	case UEXEC_MAP_ANON:
		p = mmap((void *)addr, m->len, m->prot, flags | MAP_ANONYMOUS, -1, 0);
		break;
	case UEXEC_MAP_ZERO_TAIL:
		memset((void *)addr, 0, m->len);
		return 0;
	case UEXEC_MAP_UNMAP:
		return munmap((void *)addr, m->len) ? -errno : 0;
	case UEXEC_MAP_STACK:
		/* Where the kernel would put it, which is where uexec's own
		 * stack is: staged, and moved by the final stage. */
		m->stage = 0;
		p = mmap((void *)m->addr, m->len, m->prot,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED_NOREPLACE,
			 -1, 0);
		if (p == MAP_FAILED && errno == EEXIST) {
			int ret = stage_reserve(plan, m, err, errlen);

			if (ret)
				return ret;
			p = mmap((void *)m->stage, m->len, m->prot, MAP_PRIVATE | MAP_ANONYMOUS |
				 MAP_GROWSDOWN | MAP_FIXED, -1, 0);
			addr = m->stage;
			if (p == MAP_FAILED) {
				int e = errno;

				munmap((void *)m->stage, m->len);
				m->stage = 0;
				errno = e;
			}
		} else if (p != MAP_FAILED && (uintptr_t)p != m->addr) {
			munmap(p, m->len);
			snprintf(err, errlen, "the kernel does not support "
				 "MAP_FIXED_NOREPLACE (Linux >= 4.17 is needed)");
			return -ENOSYS;
		}
		break;
	default:
		return -EINVAL;
	}
	if (p == MAP_FAILED) {
		int e = errno;

		snprintf(err, errlen, "mmap of %s %s %#lx-%#lx: %s", m->what,
			 kind_name(m->kind), (unsigned long)addr,
			 (unsigned long)(addr + m->len), strerror(e));
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
		struct uexec_map *m = &plan->maps[plan->nmapped];

		ret = apply(plan, m, err, errlen);
		prot_str(m->prot, prot);
		UEXEC_DEBUG(UEXEC_DBG_MAP, "map %s %s %#lx-%#lx %s off %#llx: %s",
			    m->what, kind_name(m->kind), (unsigned long)m->addr,
			    (unsigned long)(m->addr + m->len), prot,
			    (unsigned long long)m->off, ret ? strerror(-ret) : "ok");
		if (ret)
			return ret;
	}
	/* The stack image goes in last: its mapping is the last step. */
	for (size_t i = 0; i < plan->nmaps; i++) {
		const struct uexec_map *m = &plan->maps[i];

		if (m->kind == UEXEC_MAP_STACK)
			memcpy((void *)(st->sp - m->addr + (m->stage ? m->stage : m->addr)),
			       st->image, st->size);
	}
	return 0;
}

void uexec_plan_unmap(struct uexec_plan *plan)
{
	if (plan->blob) {
		munmap((void *)plan->blob, plan->blob_len);
		plan->blob = 0;
		plan->final = NULL;
		if (plan->maps_fd >= 0)
			close(plan->maps_fd);
		plan->maps_fd = -1;
	}
	while (plan->nmapped > 0) {
		const struct uexec_map *m = &plan->maps[--plan->nmapped];

		if (m->kind == UEXEC_MAP_RESERVE || m->kind == UEXEC_MAP_STACK) {
			munmap((void *)(m->stage ? m->stage : m->addr), m->len);
			UEXEC_DEBUG(UEXEC_DBG_MAP, "unmap %s %s %#lx-%#lx (undo)", m->what,
				    kind_name(m->kind), (unsigned long)m->addr,
				    (unsigned long)(m->addr + m->len));
		}
	}
}
