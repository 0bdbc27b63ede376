/* SPDX-License-Identifier: MIT */
#ifndef UEXEC_LAYOUT_H
#define UEXEC_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct uexec_abi;

struct uexec_layout {
	int va_space;		/* /proc/sys/kernel/randomize_va_space */
	int randomize;		/* the kernel's PF_RANDOMIZE for this exec */
	int randomize_brk;	/* ... and randomize_va_space > 1 */
	int mmap_rnd_bits;	/* read on first use */
	unsigned long personality;
	int legacy_sysctl;	/* /proc/sys/vm/legacy_va_layout */
	int legacy;		/* mmap_is_legacy(): the mmap area grows up */
	size_t rlim_stack;	/* the exec's RLIMIT_STACK, (size_t)-1 unlimited */
	const struct uexec_abi *abi;	/* the program's; NULL: native */
};

/* Ranges the new exec holds when the kernel makes its next mmap() search
 * (the segments of its images so far), [lo, hi) each.  Past the last
 * slot, ranges are merged into it (a larger range: never less taken). */
#define UEXEC_LAYOUT_MAX_TAKEN 64
struct uexec_taken {
	uintptr_t r[UEXEC_LAYOUT_MAX_TAKEN][2];
	size_t n;
};

/* The number in the /proc file PATH (a sysctl), or DFLT when it cannot be
 * read.  Allocates nothing: usable after the final stage's reading of the
 * maps, where a new mapping of uexec's would outlive it. */
long uexec_layout_sysctl(const char *path, long dflt);

/* The layout of an exec whose RLIMIT_STACK reads RLIM_STACK (the binprm's
 * one reading, as the kernel decides from bprm->rlim_stack). */
void uexec_layout_init(struct uexec_layout *lay, size_t rlim_stack);
/* A set-id exec: the personality loses PER_CLEAR_ON_SETID (no
 * ADDR_NO_RANDOMIZE, ADDR_COMPAT_LAYOUT, READ_IMPLIES_EXEC, MMAP_PAGE_ZERO). */
void uexec_layout_setid(struct uexec_layout *lay);
unsigned long uexec_layout_random(void);
uintptr_t uexec_layout_mmap_rnd(struct uexec_layout *lay);
int uexec_layout_mmap_rnd_bits(struct uexec_layout *lay);
int uexec_abi_mmap_rnd_bits(const struct uexec_abi *abi);
uintptr_t uexec_layout_brk(struct uexec_layout *lay, uintptr_t elf_brk,
			   int static_pie);
int uexec_layout_range_free(uintptr_t addr, size_t len);
uintptr_t uexec_layout_stack_top(struct uexec_layout *lay, size_t reserve);
uintptr_t uexec_layout_find_free(size_t size, uintptr_t align);
void uexec_layout_take(struct uexec_taken *t, uintptr_t lo, uintptr_t hi);
uintptr_t uexec_layout_mmap_base(struct uexec_layout *lay);
int uexec_layout_file_thp(struct uexec_layout *lay, int fd, size_t len, off_t off);
uintptr_t uexec_layout_map_area(struct uexec_layout *lay, const struct uexec_taken *t,
				size_t len, int thp);
size_t uexec_layout_kernel_maps(uintptr_t (*out)[2], size_t max);
bool uexec_layout_kernel_maps_complete(void);
/* The /proc/self/maps descriptor that answered PROCMAP_QUERY when this
 * process's first plan asked for the kernel's mappings, once: the caller
 * owns it (it is close-on-exec); -1 when none is kept (later plans, no
 * PROCMAP_QUERY, no /proc).  An exec that ends before taking it drops it,
 * so that a failed launch leaves no descriptor behind. */
int uexec_layout_take_maps_fd(void);
void uexec_layout_drop_maps_fd(void);
/* RLIMIT_STACK's soft limit; (size_t)-1 for unlimited. */
size_t uexec_layout_rlimit_stack(void);

#endif
