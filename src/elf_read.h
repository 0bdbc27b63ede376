/* SPDX-License-Identifier: MIT */
/*
 * The ELF header and program headers read as the running kernel reads
 * them, without libelf: libelf goes by EI_CLASS and EI_DATA (and refuses
 * or byte-swaps what they say), the kernel by neither.
 *
 * The kernel's rules (fs/binfmt_elf.c load_elf_binary() and
 * load_elf_phdrs(), fs/compat_binfmt_elf.c; x86's elf_check_arch() and
 * compat_elf_check_arch()): the handlers try the file in turn; each reads
 * the first bytes as its own struct elfhdr in the machine's byte order and
 * checks the magic, e_type, e_machine and e_phentsize -- not EI_CLASS,
 * EI_DATA, EI_VERSION, e_version or e_ehsize.  binfmt_elf (64-bit
 * structs) takes e_machine EM_X86_64, compat_binfmt_elf (32-bit structs)
 * EM_386 (and x32's EM_X86_64, which uexec does not run).
 */
#ifndef UEXEC_ELF_READ_H
#define UEXEC_ELF_READ_H

#include <gelf.h>
#include <stddef.h>

/* The class whose structs the kernel would read BUF (LEN bytes, at least
 * EI_NIDENT) with: ELFCLASS64 for EM_X86_64 but for an x32 file (EI_CLASS
 * ELFCLASS32 with a 64-bit e_phentsize that is not a 64-bit one),
 * ELFCLASS32 for EM_386; else EI_CLASS as it is (another machine's file:
 * refused later, worded by its class). */
unsigned int uexec_elf_layout_class(const unsigned char *buf, size_t len);

/* The header in BUF (the file's first LEN bytes) into EH, in the layout
 * of uexec_elf_layout_class(); EH->e_ident[EI_CLASS] is set to that class
 * (the rest of e_ident is the file's).  0, or -ENOEXEC with a reason when
 * BUF is shorter than that header. */
int uexec_elf_read_ehdr(const unsigned char *buf, size_t len, GElf_Ehdr *eh,
			char *err, size_t errlen);

/* EH->e_phnum program headers from FD at EH->e_phoff into PH, in EH's
 * layout (e_phentsize already checked).  0, or -errno with a reason (a
 * short read: -EIO as the kernel's load_elf_phdrs() says). */
int uexec_elf_read_phdrs(int fd, const GElf_Ehdr *eh, GElf_Phdr *ph,
			 char *err, size_t errlen);

#endif
