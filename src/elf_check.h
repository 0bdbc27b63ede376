/* SPDX-License-Identifier: MIT */
/*
 * Validation of ELF headers and program headers: pure functions on copies
 * of the headers, no I/O, so that the unit tests can feed them anything.
 * Each returns 0 or -errno with a one-line reason in ERR.
 */
#ifndef UEXEC_ELF_CHECK_H
#define UEXEC_ELF_CHECK_H

#include <gelf.h>
#include <stddef.h>
#include <stdint.h>

/* The identification and header fields, from the first bytes of a file.
 * -ENOEXEC means "not ELF at all" (no reason written: another handler may
 * want it); other errors mean "ELF, but not one uexec can run". */
int uexec_elf_check_ident(const unsigned char *buf, size_t len,
			  char *err, size_t errlen);
int uexec_elf_check_ehdr(const GElf_Ehdr *eh, off_t file_size,
			 char *err, size_t errlen);

/* The program headers of one object, for loading: PT_LOADs sane, inside
 * the file, congruent, not overflowing, at least one; the entry point in an
 * executable PT_LOAD.  Fills the extent and the alignment. */
struct uexec_elf_extent {
	uintptr_t lo, hi;	/* page-aligned unbiased extent */
	uintptr_t max_align;
	size_t nload;
};
int uexec_elf_check_phdrs(const GElf_Ehdr *eh, const GElf_Phdr *ph,
			  size_t phnum, off_t file_size,
			  struct uexec_elf_extent *ext, char *err, size_t errlen);

#endif
