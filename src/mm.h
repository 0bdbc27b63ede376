/* SPDX-License-Identifier: MIT */
/*
 * Applying a plan to the address space, reversibly (mm.c).
 *
 * struct uexec_mm is mm.c's own record of how far a plan was applied and
 * where the ranges that uexec itself occupies were built instead
 * ("staged"); the plan stays read-only.  uexec_mm_map() applies the whole
 * plan or returns -errno having undone nothing: uexec_mm_unmap() then
 * removes what was mapped, leaving the caller's address space as it was.
 * Neither is used after the point of no return.
 */
#ifndef UEXEC_MM_H
#define UEXEC_MM_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "plan.h"

struct uexec_mm {
	size_t nmapped;		/* steps applied */
	uintptr_t *stage;	/* owned, one per step: where a RESERVE or
				 * STACK was built instead (0: in place) */
};

int uexec_mm_map(const struct uexec_plan *plan, struct uexec_mm *mm, char *err,
		 size_t errlen);
void uexec_mm_unmap(const struct uexec_plan *plan, struct uexec_mm *mm);
void uexec_mm_free(struct uexec_mm *mm);

/* LEN bytes of free address space below LIMIT that meet no final or
 * staged range, mapped anonymous with PROT and FLAGS (PROT_NONE and
 * MAP_NORESERVE for a reservation the caller maps over), the caller's to
 * unmap; 0 when there is none. */
uintptr_t uexec_mm_find_free(const struct uexec_plan *plan, const struct uexec_mm *mm,
			     size_t len, uintptr_t limit, int prot, int flags);

/* Whether this process is under PR_SET_MDWE's PR_MDWE_REFUSE_EXEC_GAIN
 * (memory-deny-write-execute: no mapping both writable and executable,
 * none made executable once writable). */
bool uexec_mm_mdwe(void);

/* Fault in the whole pages inside [P, P+LEN) for writing, in one call
 * (MADV_POPULATE_WRITE, Linux 5.14), where there are enough of them for a
 * page fault each to cost more than the call: for memory about to be
 * written whole (a large stack image and its copy).  Best effort: where
 * the call fails nothing changes but when the pages are allocated. */
void uexec_mm_populate_write(void *p, size_t len);

#endif
