/* SPDX-License-Identifier: MIT */
/*
 * Validation of ELF headers and program headers: pure functions on copies
 * of the headers, no I/O, so that the unit tests can feed them anything.
 * Each returns 0 or -errno with a one-line reason in ERR.
 */
#ifndef UEXEC_ELF_CHECK_H
#define UEXEC_ELF_CHECK_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The identification and header fields, from the first bytes of a file.
 * -ENOEXEC means "not ELF at all" (no reason written: another handler may
 * want it); other errors mean "ELF, but not one uexec can run". */
int uexec_elf_check_ident(const unsigned char *buf, size_t len,
			  char *err, size_t errlen);
/*
 * The size of the program header table, as the kernel's load_elf_phdrs()
 * takes it: at most 64 KiB (1170 64-bit entries) and, before Linux 6.17,
 * at most ELF_MIN_ALIGN (a page: 73 entries with 4 KiB pages).  VERSION
 * gives the running kernel's version (uexec_kernel_version()); it is asked
 * only for a table larger than a page.  0, or -ENOEXEC with the reason.
 */
int uexec_elf_check_phdrs_size(const GElf_Ehdr *eh, int (*version)(void), char *err,
			       size_t errlen);
int uexec_elf_check_ehdr(const GElf_Ehdr *eh, off_t file_size,
			 char *err, size_t errlen);

/* The program headers of one object, for loading: PT_LOADs sane, inside
 * the file, congruent, not overflowing, at least one.  Fills the extent,
 * the alignment, and whether the entry point lies in an executable
 * PT_LOAD. */
struct uexec_elf_extent {
	uintptr_t lo, hi;	/* page-aligned unbiased extent */
	uintptr_t max_align;
	size_t nload;
	bool entry_ok;		/* e_entry in an executable PT_LOAD */
};
int uexec_elf_check_phdrs(const GElf_Ehdr *eh, const GElf_Phdr *ph,
			  size_t phnum, off_t file_size,
			  struct uexec_elf_extent *ext, char *err, size_t errlen);

/* The entry point ENTRY of the image the exec jumps to (the program
 * without an interpreter, or the interpreter): refused (-EINVAL) unless in
 * an executable PT_LOAD (ENTRY_OK, from the extent), where the kernel's
 * program would die of SIGSEGV at its first instruction.  A program with
 * an interpreter is not asked: the kernel never jumps to its entry, and
 * its interpreter may report or survive a bad AT_ENTRY. */
int uexec_elf_check_entry(uint64_t entry, bool entry_ok, char *err, size_t errlen);

#endif
