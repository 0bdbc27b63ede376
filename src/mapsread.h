/* SPDX-License-Identifier: MIT */
/*
 * A reader of /proc/self/maps that allocates nothing (it runs after the
 * point of no return, when malloc() is no longer allowed): one line at a
 * time through a buffer inside the reader.
 */
#ifndef UEXEC_MAPSREAD_H
#define UEXEC_MAPSREAD_H

#include <limits.h>
#include <stdint.h>
#include <stddef.h>

struct uexec_maps_reader {
	int fd;
	size_t len, pos;
	char buf[8192];
};

struct uexec_maps_entry {
	uintptr_t lo, hi;
	char perms[5];
	unsigned long long off;
	const char *name;	/* points into the reader; "" for anonymous */
	char line[512];
};

int uexec_maps_open(struct uexec_maps_reader *rd);	/* 0 or -1/errno */
/* Read from FD (an open /proc/self/maps or /proc/PID/maps, at offset 0);
 * owned by RD. */
void uexec_maps_attach(struct uexec_maps_reader *rd, int fd);
/* The next mapping into E, its line in E->line (cut to fit); 1, 0 at the end. */
int uexec_maps_next(struct uexec_maps_reader *rd, struct uexec_maps_entry *e);
/* The same with the line in the caller's LINE of LEN bytes (E->name points
 * into it; E->line is unused): room for names up to PATH_MAX, still
 * without allocating (UEXEC_MAPS_LONG_LINE bytes hold any line). */
#define UEXEC_MAPS_LONG_LINE (PATH_MAX + 128)
int uexec_maps_next_long(struct uexec_maps_reader *rd, struct uexec_maps_entry *e,
			 char *line, size_t len);
void uexec_maps_close(struct uexec_maps_reader *rd);
/* Is E one of the kernel's own mappings that an exec keeps ([vdso],
 * [vvar], [vvar_vclock])? */
int uexec_maps_is_kernel(const struct uexec_maps_entry *e);
/* The kernel's own mappings around the vDSO at VDSO (0: none), in address
 * order, asked of RD's open /proc/self/maps one mapping at a time
 * (PROCMAP_QUERY, Linux 6.11), with no text made: the count written to OUT
 * (at most MAX), or -1 when the kernel cannot be asked so (then read the
 * text).  Nothing is read from RD's text. */
int uexec_maps_query_kernel(struct uexec_maps_reader *rd, uintptr_t vdso,
			    uintptr_t (*out)[2], size_t max);
/* The mapping [*LO, *HI) that covers ADDR, asked of FD (an open
 * /proc/self/maps) with PROCMAP_QUERY: 0, -ENOENT when none covers it,
 * -ENOTTY where the kernel cannot be asked so (before Linux 6.11). */
int uexec_maps_covering(int fd, uintptr_t addr, uintptr_t *lo, uintptr_t *hi);
/* The same for the first mapping that covers ADDR or lies above it. */
int uexec_maps_covering_or_next(int fd, uintptr_t addr, uintptr_t *lo, uintptr_t *hi);

#endif
