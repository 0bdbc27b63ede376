/* SPDX-License-Identifier: MIT */
/*
 * An ELF image's headers, read and checked (elf_image.c), and its GNU
 * property note.
 */
#ifndef UEXEC_ELF_IMAGE_H
#define UEXEC_ELF_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "plan.h"

/* Read and check the headers of the ELF open on IMG->fd; BUF holds its
 * first BUF_LEN bytes.  Fills IMG but for the placement; WANT_INTERP: read
 * PT_INTERP's string too.  0, or -ENOEXEC (not an ELF this machine runs;
 * a reason in ERR unless it is not ELF at all) or -errno with a reason.
 * With LATE, a refusal of the PT_LOADs (uexec_elf_check_phdrs(): what the
 * kernel meets only after its point of no return) is put in *LATE instead,
 * its reason in ERR, and the rest is read, extent and entry left unset:
 * the caller reports it after what the kernel checks first (PT_INTERP).
 * IMG owns what it was given on failure too (uexec_plan_free()). */
int uexec_elf_read_image(struct uexec_elf_image *img, const unsigned char *buf,
			 size_t buf_len, int want_interp, int *late, char *err, size_t errlen);

/* One property of a GNU property note: 0 to go on, or -errno with a
 * reason in ERR. */
typedef int (*uexec_elf_property_fn)(void *ctx, uint32_t type, const void *data,
				     size_t len, char *err, size_t errlen);

/* The note of a PT_GNU_PROPERTY at file offset OFF, FILESZ bytes, of FD,
 * its properties passed to FN in order, as the kernel's
 * parse_elf_properties() reads them (ALIGN: 8 for 64-bit programs, 4 for
 * 32-bit).  Fails as the kernel does: -ENOEXEC (a segment over 1 KiB, not
 * a "GNU" NT_GNU_PROPERTY_TYPE_0 note, properties past its end or out of
 * order, or what FN refuses), -EIO (the file holds too little of it), with
 * the reason in ERR. */
int uexec_elf_parse_properties(int fd, uint64_t off, uint64_t filesz, size_t align,
			       uexec_elf_property_fn fn, void *ctx, char *err, size_t errlen);

/* IMG's properties into ST, where the architecture's kernel reads them
 * (archdep.h); 0 where it does not or IMG has no PT_GNU_PROPERTY. */
int uexec_elf_image_properties(const struct uexec_elf_image *img,
			       struct uexec_arch_elf_state *st, char *err, size_t errlen);

#endif
