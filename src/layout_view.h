/* SPDX-License-Identifier: MIT */
/*
 * The picture of a plan's address space (--dry-run --layout, layout_view.c):
 * the regions the plan makes (the stack, the vDSO and vvar where the final
 * stage leaves them, each image with its segments, the heap start), top to
 * bottom, with the gaps between them, and how far the kernel randomises
 * each base (struct uexec_plan_random).  It reads the plan only: nothing is
 * computed again.
 */
#ifndef UEXEC_LAYOUT_VIEW_H
#define UEXEC_LAYOUT_VIEW_H

#include <stdio.h>

#include "plan.h"

/*
 * The picture as text on OUT.  Line forms (stable, for scripts):
 *   "0xLO-0xHI  SIZE  PROT  NAME  NOTE"   a region (a mapping or an area)
 *   "  0xLO-0xHI  SIZE  PROT  WHAT"        a segment of the region above
 *   "0xADDR  NAME  NOTE"                   a point (TASK_SIZE, mmap_base)
 *   "    gap SIZE"                          free address space between two
 * SIZE is "0xHEX (N KiB)"-like; addresses are zero-padded hex.
 */
void uexec_layout_view_text(const struct uexec_plan *plan, const char *name, FILE *out);
/* The same picture as an SVG document. */
void uexec_layout_view_svg(const struct uexec_plan *plan, const char *name, FILE *out);

#endif
