/* SPDX-License-Identifier: MIT */
/*
 * ELF headers read the kernel's way (elf_read.h has the rules).  The
 * structs are read in the machine's byte order: uexec runs on the machine
 * it loads for, as the kernel does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archdep.h"
#include "elf_read.h"

static void from_ehdr32(const Elf32_Ehdr *e, GElf_Ehdr *eh)
{
	memcpy(eh->e_ident, e->e_ident, EI_NIDENT);
	eh->e_type = e->e_type;
	eh->e_machine = e->e_machine;
	eh->e_version = e->e_version;
	eh->e_entry = e->e_entry;
	eh->e_phoff = e->e_phoff;
	eh->e_shoff = e->e_shoff;
	eh->e_flags = e->e_flags;
	eh->e_ehsize = e->e_ehsize;
	eh->e_phentsize = e->e_phentsize;
	eh->e_phnum = e->e_phnum;
	eh->e_shentsize = e->e_shentsize;
	eh->e_shnum = e->e_shnum;
	eh->e_shstrndx = e->e_shstrndx;
}

int uexec_elf_read_ehdr(const unsigned char *buf, size_t len, GElf_Ehdr *eh,
			char *err, size_t errlen)
{
	unsigned int class = uexec_arch_layout_class(buf, len);
	size_t need = class == ELFCLASS32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);

	if (len < need) {
		snprintf(err, errlen, "truncated ELF header (%zu of %zu bytes)", len, need);
		return -ENOEXEC;
	}
	if (class == ELFCLASS32) {
		Elf32_Ehdr e;

		memcpy(&e, buf, sizeof(e));
		from_ehdr32(&e, eh);
	} else {
		/* GElf_Ehdr is Elf64_Ehdr. */
		memcpy(eh, buf, sizeof(*eh));
	}
	eh->e_ident[EI_CLASS] = (unsigned char)class;
	return 0;
}

static void from_phdr32(const Elf32_Phdr *p, GElf_Phdr *ph)
{
	ph->p_type = p->p_type;
	ph->p_flags = p->p_flags;
	ph->p_offset = p->p_offset;
	ph->p_vaddr = p->p_vaddr;
	ph->p_paddr = p->p_paddr;
	ph->p_filesz = p->p_filesz;
	ph->p_memsz = p->p_memsz;
	ph->p_align = p->p_align;
}

int uexec_elf_read_phdrs(int fd, const GElf_Ehdr *eh, GElf_Phdr *ph,
			 char *err, size_t errlen)
{
	size_t size = (size_t)eh->e_phnum * eh->e_phentsize;
	unsigned char *raw = malloc(size ? size : 1);
	ssize_t n;

	if (!raw)
		return -ENOMEM;
	n = pread(fd, raw, size, (off_t)eh->e_phoff);
	if (n != (ssize_t)size) {
		int e = n < 0 ? errno : EIO;

		free(raw);
		snprintf(err, errlen, "program headers (offset %#llx, %u entries): %s",
			 (unsigned long long)eh->e_phoff, eh->e_phnum,
			 n < 0 ? strerror(e) : "short read");
		return -e;
	}
	for (size_t i = 0; i < eh->e_phnum; i++) {
		if (eh->e_ident[EI_CLASS] == ELFCLASS32) {
			Elf32_Phdr p;

			memcpy(&p, raw + i * sizeof(p), sizeof(p));
			from_phdr32(&p, &ph[i]);
		} else {
			memcpy(&ph[i], raw + i * sizeof(ph[i]), sizeof(ph[i]));
		}
	}
	free(raw);
	return 0;
}
