/* SPDX-License-Identifier: MIT */
/*
 * A reader of /proc/self/maps that allocates nothing (it runs after the
 * point of no return, when malloc() is no longer allowed): one line at a
 * time through a buffer inside the reader.
 */
#ifndef UEXEC_MAPSREAD_H
#define UEXEC_MAPSREAD_H

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
/* Read from FD (an open /proc/self/maps, at offset 0); owned by RD. */
void uexec_maps_attach(struct uexec_maps_reader *rd, int fd);
int uexec_maps_next(struct uexec_maps_reader *rd, struct uexec_maps_entry *e);
void uexec_maps_close(struct uexec_maps_reader *rd);
/* Is E one of the kernel's own mappings that an exec keeps ([vdso],
 * [vvar], [vvar_vclock])? */
int uexec_maps_is_kernel(const struct uexec_maps_entry *e);

#endif
