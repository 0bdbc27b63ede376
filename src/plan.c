/* SPDX-License-Identifier: MIT */
/*
 * The plan's life (plan.h): creation, its mapping steps, and release; and
 * the one question others ask of a finished plan, whether a range meets
 * what the new image will own.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan.h"
#include "stack.h"

static void image_init(struct uexec_elf_image *img)
{
	memset(img, 0, sizeof(*img));
	img->fd = -1;
}

static void image_free(struct uexec_elf_image *img)
{
	if (img->fd >= 0)
		close(img->fd);
	free(img->path);
	free(img->phdrs);
	free(img->interp);
	image_init(img);
}

/* Only the fields that own something, and the counters, are set: the
 * rest is written by the handler before `ready`. */
void uexec_plan_init(struct uexec_plan *plan)
{
	plan->ready = false;
	plan->has_interp = false;
	image_init(&plan->exe);
	image_init(&plan->interp);
	memset(&plan->stack, 0, sizeof(plan->stack));
	plan->maps = NULL;
	plan->nmaps = plan->maps_cap = 0;
	plan->nkmaps = 0;
	plan->vdso_delta = 0;
	memset(&plan->rnd, 0, sizeof(plan->rnd));
	memset(&plan->arch, 0, sizeof(plan->arch));
	memset(&plan->elf_state, 0, sizeof(plan->elf_state));
}

void uexec_plan_free(struct uexec_plan *plan)
{
	image_free(&plan->exe);
	image_free(&plan->interp);
	uexec_stack_free(&plan->stack);
	free(plan->maps);
	uexec_plan_init(plan);
}

int uexec_plan_add_map(struct uexec_plan *plan, enum uexec_map_kind kind,
		       uintptr_t addr, size_t len, int prot, int fd, off_t off,
		       const char *what)
{
	struct uexec_map *m;

	if (plan->nmaps >= UEXEC_MAX_MAPS)
		return -E2BIG;
	if (plan->nmaps == plan->maps_cap) {
		size_t cap = plan->maps_cap ? 2 * plan->maps_cap : 32;

		m = realloc(plan->maps, cap * sizeof(*m));
		if (!m)
			return -ENOMEM;
		plan->maps = m;
		plan->maps_cap = cap;
	}
	m = &plan->maps[plan->nmaps++];
	*m = (struct uexec_map){ .kind = kind, .addr = addr, .len = len, .prot = prot,
				 .fd = fd, .off = off, .what = what };
	return 0;
}

const char *uexec_map_kind_name(enum uexec_map_kind k)
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

static bool meets(uintptr_t a, size_t len, uintptr_t lo, uintptr_t hi)
{
	return a < hi && lo < a + len;
}

bool uexec_plan_in_hole(const struct uexec_plan *plan, uintptr_t lo, uintptr_t hi)
{
	for (size_t i = 0; i < plan->nmaps; i++) {
		const struct uexec_map *m = &plan->maps[i];

		if (m->kind == UEXEC_MAP_UNMAP && m->addr <= lo && hi <= m->addr + m->len)
			return true;
	}
	return false;
}

bool uexec_plan_overlaps(const struct uexec_plan *plan, uintptr_t a, size_t len,
			 const struct uexec_map *skip)
{
	uintptr_t vlo = plan->nkmaps ? plan->kmaps[0][0] + (uintptr_t)plan->vdso_delta : 0;
	uintptr_t vhi = plan->nkmaps ? plan->kmaps[plan->nkmaps - 1][1] +
				       (uintptr_t)plan->vdso_delta : 0;

	if (uexec_arch_extra_overlaps(plan, a, len))
		return true;
	if (plan->vdso_delta && plan->nkmaps && meets(a, len, vlo, vhi) &&
	    !uexec_plan_in_hole(plan, vlo, vhi))
		return true;
	for (size_t i = 0; i < plan->nmaps; i++) {
		const struct uexec_map *m = &plan->maps[i];

		if (m != skip && (m->kind == UEXEC_MAP_RESERVE || m->kind == UEXEC_MAP_STACK) &&
		    meets(a, len, m->addr, m->addr + m->len))
			return true;
	}
	return false;
}
