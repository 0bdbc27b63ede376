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
 * EI_DATA, EI_VERSION, e_version or e_ehsize.  Which struct layout a
 * machine's file is read with is the architecture's to say
 * (uexec_arch_layout_class()).
 */
#ifndef UEXEC_ELF_READ_H
#define UEXEC_ELF_READ_H

#include <gelf.h>
#include <stddef.h>

/* The header in BUF (the file's first LEN bytes) into EH, in the layout
 * of uexec_arch_layout_class() (archdep.h); EH->e_ident[EI_CLASS] is set to that class
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
