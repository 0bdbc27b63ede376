/* SPDX-License-Identifier: MIT */
/*
 * Building the new address space from a plan, reversibly.
 *
 * Every step maps only into ranges that the plan first reserved with
 * MAP_FIXED_NOREPLACE, so uexec's own memory is never overwritten: a clash
 * is reported as such.  The contract is mm.h's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "archdep.h"
#include "debug.h"
#include "layout.h"
#include "mm.h"

/* Is some of [addr, addr+len) the vDSO or its data pages, which stay where
 * they are unless the final stage moves them (plan->vdso_delta)?  The
 * vsyscall page lies above every TASK_SIZE that elf_check.c lets through. */
static int overlaps_kernel_mapping(const struct uexec_plan *plan, uintptr_t addr,
				   size_t len)
{
	uintptr_t kmaps[UEXEC_MAX_KMAPS][2];
	size_t n;

	if (plan->vdso_delta)
		return 0;
	/* layout.c reads /proc/self/maps once for the whole exec. */
	n = uexec_layout_kernel_maps(kmaps, UEXEC_MAX_KMAPS);
	for (size_t i = 0; i < n; i++)	/* in a hole of the image: it stays there */
		if (addr < kmaps[i][1] && kmaps[i][0] < addr + len &&
		    !uexec_plan_in_hole(plan, kmaps[i][0], kmaps[i][1]))
			return 1;
	return 0;
}

/* Does [a, a+len) meet a final range of the plan (but SKIP's) or a range
 * already staged? */
static int overlaps(const struct uexec_plan *plan, const struct uexec_mm *mm,
		    uintptr_t a, size_t len, const struct uexec_map *skip)
{
	if (uexec_plan_overlaps(plan, a, len, skip))
		return 1;
	for (size_t i = 0; mm->stage && i < mm->nmapped; i++)
		if (mm->stage[i] && a < mm->stage[i] + plan->maps[i].len &&
		    mm->stage[i] < a + len)
			return 1;
	return 0;
}

/* The lowest start of a final or staged range that [a, a+len) meets (the
 * reservations, the stack, the vDSO's new place), or A. */
static uintptr_t lowest_met(const struct uexec_plan *plan, const struct uexec_mm *mm,
			    uintptr_t a, size_t len)
{
	uintptr_t lo = a;

	for (size_t i = 0; i < plan->nmaps; i++) {
		const struct uexec_map *m = &plan->maps[i];
		uintptr_t s = mm->stage && i < mm->nmapped ? mm->stage[i] : 0;

		if ((m->kind == UEXEC_MAP_RESERVE || m->kind == UEXEC_MAP_STACK) &&
		    a < m->addr + m->len && m->addr < a + len && m->addr < lo)
			lo = m->addr;
		if (s && a < s + m->len && s < a + len && s < lo)
			lo = s;
	}
	if (plan->vdso_delta && plan->nkmaps) {
		uintptr_t v = plan->kmaps[0][0] + (uintptr_t)plan->vdso_delta;

		if (v < lo && a < plan->kmaps[plan->nkmaps - 1][1] + (uintptr_t)plan->vdso_delta)
			lo = v;
	}
	return lo;
}

/*
 * The kernel picks each candidate (top-down, as the program's own mmaps
 * will be placed); one that meets a final or staged range, or ends above
 * LIMIT, is held while the next is asked for, just below what it met (or
 * below LIMIT; lower still, by a doubling step, when the kernel did not
 * take the hint), so that
 * no candidate comes twice.  The held ones are released before returning.
 */
uintptr_t uexec_mm_find_free(const struct uexec_plan *plan, const struct uexec_mm *mm,
			     size_t len, uintptr_t limit, int prot, int flags)
{
	enum { TRIES = 32 };
	uintptr_t step = 1UL << 24;
	void *held[TRIES];
	size_t nheld = 0;
	uintptr_t hint = 0, found = 0;

	while (nheld < TRIES) {
		void *p = mmap((void *)hint, len, prot, flags | MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);
		uintptr_t a = (uintptr_t)p, below;

		if (p == MAP_FAILED)
			break;
		if (a + len <= limit && !overlaps(plan, mm, a, len, NULL)) {
			found = a;
			break;
		}
		held[nheld++] = p;
		below = a + len > limit ? limit : lowest_met(plan, mm, a, len);
		if (hint && a != hint) {	/* the hint was not free: lower */
			uintptr_t lower = hint > step ? hint - step : 0;

			step *= 2;	/* past a large taken region in few tries */
			if (lower < below)
				below = lower;
		}
		hint = below > len ? uexec_page_start(below - len) : 0;
	}
	while (nheld)
		munmap(held[--nheld], len);
	return found;
}

/* What a failed mapping's message adds under a finite RLIMIT_AS: uexec's
 * own memory and the new image count against it together, where the
 * kernel's exec starts from an empty address space.  "" otherwise. */
static const char *as_limit_note(char *buf, size_t len)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_AS, &rl) || rl.rlim_cur == RLIM_INFINITY)
		return "";
	snprintf(buf, len, " (RLIMIT_AS is %llu KiB, and uexec's own memory counts "
		 "against it with the new image's)", (unsigned long long)rl.rlim_cur / 1024);
	return buf;
}

/*
 * A reservation whose range uexec itself occupies: the kernel would accept
 * the address (its exec starts from an empty address space), so the image
 * is built at a staging address instead, and the final stage moves it into
 * place once uexec is gone (final_prepare.c, final.c).  The staging range
 * is mapped with PROT and FLAGS: a reservation's, or the stack's own.
 */
static int stage_reserve(const struct uexec_plan *plan, struct uexec_mm *mm, size_t i,
			 int prot, int flags, char *err, size_t errlen)
{
	const struct uexec_map *m = &plan->maps[i];
	uintptr_t s;

	if (overlaps_kernel_mapping(plan, m->addr, m->len)) {
		snprintf(err, errlen, "%s segment %#lx-%#lx overlaps the vDSO or vsyscall "
			 "page, which uexec cannot move", m->what, (unsigned long)m->addr,
			 (unsigned long)(m->addr + m->len));
		return -EEXIST;
	}
	if (overlaps(plan, mm, m->addr, m->len, m)) {
		snprintf(err, errlen, "%s segment %#lx-%#lx overlaps another part of "
			 "the new image", m->what, (unsigned long)m->addr,
			 (unsigned long)(m->addr + m->len));
		return -EEXIST;
	}
	s = uexec_mm_find_free(plan, mm, m->len, UEXEC_TASK_SIZE, prot, flags);
	if (!s) {
		char note[160];

		snprintf(err, errlen, "no room to stage %s %#lx-%#lx%s", m->what,
			 (unsigned long)m->addr, (unsigned long)(m->addr + m->len),
			 as_limit_note(note, sizeof(note)));
		return -ENOMEM;
	}
	mm->stage[i] = s;
	UEXEC_DEBUG(UEXEC_DBG_MAP, "stage %s %#lx-%#lx at %#lx: the range is uexec's own, "
		    "moved into place after uexec is gone", m->what, (unsigned long)m->addr,
		    (unsigned long)(m->addr + m->len), (unsigned long)s);
	return 0;
}

/* Where step I is applied now: its own address, shifted into the staging
 * area of the reservation that holds it. */
static uintptr_t apply_addr(const struct uexec_plan *plan, const struct uexec_mm *mm,
			    size_t i)
{
	const struct uexec_map *m = &plan->maps[i];

	for (size_t j = 0; j < mm->nmapped; j++) {
		const struct uexec_map *r = &plan->maps[j];

		if (j != i && r->kind == UEXEC_MAP_RESERVE && mm->stage[j] &&
		    m->addr >= r->addr && m->addr + m->len <= r->addr + r->len)
			return m->addr - r->addr + mm->stage[j];
	}
	return m->addr;
}

/*
 * mmap() with MAP_FIXED_NOREPLACE at the step's own address.  Where the
 * flag is taken as a hint (a kernel before 4.17; qemu-user before 8.1,
 * valgrind), a mapping elsewhere means the range is not free: mmap() honours
 * a hint whenever the range is free, so that is EEXIST, and the caller
 * stages the step as it does for a clash.
 */
static void *map_noreplace(const struct uexec_map *m, int prot, int flags, char *err,
			   size_t errlen)
{
	void *p = mmap((void *)m->addr, m->len, prot,
		       flags | MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	(void)err;
	(void)errlen;
	if (p != MAP_FAILED && (uintptr_t)p != m->addr) {
		munmap(p, m->len);
		errno = EEXIST;
		return MAP_FAILED;
	}
	return p;
}

/* The new stack goes where the kernel would put it, which is where uexec's
 * own stack is: staged then, and moved by the final stage. */
static void *map_stack(const struct uexec_plan *plan, struct uexec_mm *mm, size_t i,
		       char *err, size_t errlen, int *ret)
{
	const struct uexec_map *m = &plan->maps[i];
	void *p = map_noreplace(m, m->prot, MAP_GROWSDOWN, err, errlen);

	if (p != MAP_FAILED || errno != EEXIST)
		return p;
	*ret = stage_reserve(plan, mm, i, m->prot, MAP_GROWSDOWN, err, errlen);
	return *ret ? MAP_FAILED : (void *)mm->stage[i];
}

static int apply(const struct uexec_plan *plan, struct uexec_mm *mm, size_t i,
		 char *err, size_t errlen)
{
	const struct uexec_map *m = &plan->maps[i];
	uintptr_t addr = apply_addr(plan, mm, i);
	int ret = 0;
	void *p;

	mm->stage[i] = 0;
	switch (m->kind) {
	case UEXEC_MAP_RESERVE:
		p = map_noreplace(m, PROT_NONE, MAP_NORESERVE, err, errlen);
		if (p == MAP_FAILED && errno == EEXIST)
			return stage_reserve(plan, mm, i, PROT_NONE, MAP_NORESERVE, err,
					     errlen);
		break;
	case UEXEC_MAP_FILE:
		p = mmap((void *)addr, m->len, m->prot, MAP_PRIVATE | MAP_FIXED, m->fd, m->off);
		break;
	case UEXEC_MAP_ANON:
		p = mmap((void *)addr, m->len, m->prot, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS,
			 -1, 0);
		break;
	case UEXEC_MAP_ZERO_TAIL:
		memset((void *)addr, 0, m->len);
		return 0;
	case UEXEC_MAP_UNMAP:
		return munmap((void *)addr, m->len) ? -errno : 0;
	case UEXEC_MAP_STACK:
		p = map_stack(plan, mm, i, err, errlen, &ret);
		if (ret)
			return ret;
		addr = mm->stage[i] ? mm->stage[i] : m->addr;
		break;
	default:
		return -EINVAL;
	}
	if (p == MAP_FAILED) {
		int e = errno;
		long min = uexec_layout_sysctl("/proc/sys/vm/mmap_min_addr", 0);

		if (e != ENOSYS && addr < (uintptr_t)min)
			snprintf(err, errlen, "mmap of %s %s %#lx-%#lx: %s (below vm.mmap_min_addr, "
				 "%ld: only a process with CAP_SYS_RAWIO maps there)", m->what,
				 uexec_map_kind_name(m->kind), (unsigned long)addr,
				 (unsigned long)(addr + m->len), strerror(e), min);
		else if (e != ENOSYS) {
			char note[160];

			snprintf(err, errlen, "mmap of %s %s %#lx-%#lx: %s%s", m->what,
				 uexec_map_kind_name(m->kind), (unsigned long)addr,
				 (unsigned long)(addr + m->len), strerror(e),
				 e == ENOMEM ? as_limit_note(note, sizeof(note)) : "");
		}
		return -e;
	}
	return 0;
}

bool uexec_mm_mdwe(void)
{
	int v = prctl(66 /* PR_GET_MDWE */, 0, 0, 0, 0);

	return v > 0 && (v & 1 /* PR_MDWE_REFUSE_EXEC_GAIN */);
}

/*
 * Under PR_SET_MDWE no mapping may be both writable and executable, and
 * uexec builds the new image with mmap(), which the rule binds: a step
 * that asks for both is refused here, before anything is mapped.  The
 * kernel's exec is bound by it for the file's segments too (a writable and
 * executable PT_LOAD fails its elf_map(), after the point of no return),
 * not for the stack (setup_arg_pages()) nor the bss (vm_brk_flags()),
 * which an executable PT_GNU_STACK or PT_LOAD (or READ_IMPLIES_EXEC) makes
 * executable: those the kernel's exec gives and uexec cannot.
 */
static int check_mdwe(const struct uexec_plan *plan, char *err, size_t errlen)
{
	const int wx = PROT_WRITE | PROT_EXEC;
	const struct uexec_map *m = NULL;
	const char *kind;

	for (size_t i = 0; i < plan->nmaps && !m; i++)
		if ((plan->maps[i].prot & wx) == wx && plan->maps[i].kind != UEXEC_MAP_ZERO_TAIL &&
		    plan->maps[i].kind != UEXEC_MAP_UNMAP)
			m = &plan->maps[i];
	if (!m || !uexec_mm_mdwe())
		return 0;
	kind = uexec_map_kind_name(m->kind);
	snprintf(err, errlen, "%s%s%s %#lx-%#lx would be writable and executable, which "
		 "PR_SET_MDWE (memory-deny-write-execute) forbids uexec's mmap()%s", m->what,
		 strcmp(m->what, kind) ? " " : "", strcmp(m->what, kind) ? kind : "",
		 (unsigned long)m->addr,
		 (unsigned long)(m->addr + m->len),
		 m->kind == UEXEC_MAP_FILE ? " (and the kernel's exec too)" :
		 " (the kernel's exec maps it)");
	return -EACCES;
}

int uexec_mm_map(const struct uexec_plan *plan, struct uexec_mm *mm, char *err,
		 size_t errlen)
{
	const struct uexec_stack *st = &plan->stack;
	int ret;

	free(mm->stage);
	mm->stage = NULL;
	mm->nmapped = 0;
	if ((ret = check_mdwe(plan, err, errlen)))
		return ret;
	mm->stage = calloc(plan->nmaps ? plan->nmaps : 1, sizeof(*mm->stage));
	if (!mm->stage) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (; mm->nmapped < plan->nmaps; mm->nmapped++) {
		const struct uexec_map *m = &plan->maps[mm->nmapped];

		ret = apply(plan, mm, mm->nmapped, err, errlen);
		UEXEC_DEBUG(UEXEC_DBG_MAP, "map %s %s %#lx-%#lx %s off %#llx: %s",
			    m->what, uexec_map_kind_name(m->kind), (unsigned long)m->addr,
			    (unsigned long)(m->addr + m->len), uexec_prot_string(m->prot),
			    (unsigned long long)m->off, ret ? strerror(-ret) : "ok");
		if (ret)
			return ret;
	}
	/* The stack image goes in last: its mapping is the last step. */
	for (size_t i = 0; i < plan->nmaps; i++) {
		const struct uexec_map *m = &plan->maps[i];
		void *to = (void *)(st->sp - m->addr + (mm->stage[i] ? mm->stage[i] : m->addr));

		if (m->kind != UEXEC_MAP_STACK)
			continue;
		uexec_mm_populate_write(to, st->size);
		memcpy(to, st->image, st->size);
	}
	return 0;
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
/* Below this many pages a fault a page is as cheap as the call. */
#define POPULATE_MIN_PAGES 16

void uexec_mm_populate_write(void *p, size_t len)
{
	uintptr_t lo = uexec_page_align((uintptr_t)p);
	uintptr_t hi = uexec_page_start((uintptr_t)p + len);

	if (hi > lo && (hi - lo) / UEXEC_PAGE_SIZE >= POPULATE_MIN_PAGES)
		(void)madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);
}

void uexec_mm_unmap(const struct uexec_plan *plan, struct uexec_mm *mm)
{
	while (mm->nmapped > 0) {
		size_t i = --mm->nmapped;
		const struct uexec_map *m = &plan->maps[i];

		if (m->kind == UEXEC_MAP_RESERVE || m->kind == UEXEC_MAP_STACK) {
			munmap((void *)(mm->stage[i] ? mm->stage[i] : m->addr), m->len);
			UEXEC_DEBUG(UEXEC_DBG_MAP, "unmap %s %s %#lx-%#lx (undo)", m->what,
				    uexec_map_kind_name(m->kind), (unsigned long)m->addr,
				    (unsigned long)(m->addr + m->len));
		}
	}
}

void uexec_mm_free(struct uexec_mm *mm)
{
	free(mm->stage);
	mm->stage = NULL;
	mm->nmapped = 0;
}
