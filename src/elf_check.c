/* SPDX-License-Identifier: MIT */
/*
 * Distrust every header field.  The kernel checks less than this (it lets
 * mmap() fail after the point of no return); uexec rejects a file here so
 * that the caller's process is never harmed by a malformed one.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "archdep.h"
#include "elf_check.h"
#include "kversion.h"
#include "reason.h"

#define PAGE_MASK_ (~(UEXEC_PAGE_SIZE - 1))

static const char *class_name(unsigned int c)
{
	return c == ELFCLASS32 ? "ELFCLASS32" : c == ELFCLASS64 ? "ELFCLASS64" :
	       "invalid class";
}

/*
 * The kernel looks at no byte of e_ident but the magic (elf_read.h):
 * EI_CLASS, EI_DATA and EI_VERSION may say anything; the layout follows
 * e_machine (uexec_arch_layout_class()), the byte order is the machine's.
 */
int uexec_elf_check_ident(const unsigned char *buf, size_t len,
			  char *err, size_t errlen)
{
	const char *hint;
	unsigned int machine, class;

	if (len < SELFMAG || memcmp(buf, ELFMAG, SELFMAG) != 0)
		return -ENOEXEC;
	if (len < EI_NIDENT)
		return uexec_reason(err, errlen, ENOEXEC, "truncated ELF header "
				    "(%zu bytes)", len);
	machine = len >= 20 ? (unsigned int)buf[18] | (unsigned int)buf[19] << 8 : 0;
	class = uexec_arch_layout_class(buf, len);
	/* A class no ABI of this architecture runs (the machine is looked
	 * at again, with the whole header, in uexec_elf_check_ehdr()). */
	if (!uexec_arch_abi(class, machine) &&
	    (hint = uexec_arch_machine_hint(machine, class)))
		return uexec_reason(err, errlen, ENOEXEC, "%s ELF: %s", class_name(class),
				    hint);
	return 0;
}

static size_t phdr_size(const GElf_Ehdr *eh)
{
	return eh->e_ident[EI_CLASS] == ELFCLASS32 ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr);
}

int uexec_elf_check_phdrs_size(const GElf_Ehdr *eh, int (*version)(void), char *err,
			       size_t errlen)
{
	uint64_t size = (uint64_t)eh->e_phnum * phdr_size(eh);
	int v;

	if (size > 65536)
		return uexec_reason(err, errlen, ENOEXEC, "too many program headers (%u)",
			      eh->e_phnum);
	if (size <= UEXEC_PAGE_SIZE)
		return 0;
	v = version();
	if (v && v < UEXEC_KVERSION(6, 17))
		return uexec_reason(err, errlen, ENOEXEC, "too many program headers (%u, "
			      "%llu bytes: more than a page for Linux %d.%d)", eh->e_phnum,
			      (unsigned long long)size, v / 1000, v % 1000);
	return 0;
}

int uexec_elf_check_ehdr(const GElf_Ehdr *eh, off_t file_size,
			 char *err, size_t errlen)
{
	int ret;

	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return uexec_reason(err, errlen, ENOEXEC, "ELF type %u is not an executable "
			      "(ET_EXEC or ET_DYN)", eh->e_type);
	if (!uexec_arch_abi(eh->e_ident[EI_CLASS], eh->e_machine))
		return uexec_reason(err, errlen, ENOEXEC, "ELF machine %u (%s) is not %s",
			      eh->e_machine, class_name(eh->e_ident[EI_CLASS]),
			      uexec_arch_abis_text);
	if (eh->e_phentsize != phdr_size(eh))
		return uexec_reason(err, errlen, ENOEXEC, "e_phentsize %u is not %zu",
			      eh->e_phentsize, phdr_size(eh));
	if (eh->e_phnum == 0 || eh->e_phnum == PN_XNUM)
		return uexec_reason(err, errlen, ENOEXEC, "no program headers (e_phnum %u)",
			      eh->e_phnum);
	/* e_ehsize is not looked at, as the kernel does not look at it. */
	ret = uexec_elf_check_phdrs_size(eh, uexec_kernel_version, err, errlen);
	if (ret)
		return ret;
	if (eh->e_phoff >= (uint64_t)file_size ||
	    (uint64_t)file_size - eh->e_phoff < (uint64_t)eh->e_phnum * phdr_size(eh))
		return uexec_reason(err, errlen, ENOEXEC, "program headers (offset %#llx, "
			      "%u entries) lie outside the file (%lld bytes)",
			      (unsigned long long)eh->e_phoff, eh->e_phnum,
			      (long long)file_size);
	return 0;
}

static int is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

/* A PT_LOAD with neither file bytes nor memory, after the first: the
 * kernel's elf_load() maps nothing for it, so its p_offset and its place
 * in the order do not matter; it still counts in the image's bounds (an
 * ET_DYN image's total_mapping_size(), start_data, end_data, the brk).
 * The first PT_LOAD is checked whatever its size: the kernel places the
 * image by it. */
static bool load_maps_nothing(const GElf_Phdr *p, size_t nload)
{
	return nload && !p->p_filesz && !p->p_memsz;
}

static int check_load(const GElf_Phdr *p, size_t i, off_t file_size,
		      uintptr_t task_size, bool maps_nothing, char *err, size_t errlen)
{
	if (p->p_filesz > p->p_memsz)
		return uexec_reason(err, errlen, EINVAL, "PT_LOAD %zu: p_filesz %#llx > "
			      "p_memsz %#llx", i, (unsigned long long)p->p_filesz,
			      (unsigned long long)p->p_memsz);
	if (!maps_nothing && (p->p_offset > (uint64_t)file_size ||
			      p->p_filesz > (uint64_t)file_size - p->p_offset))
		return uexec_reason(err, errlen, EINVAL, "PT_LOAD %zu: file bytes %#llx+%#llx "
			      "lie outside the file (%lld bytes)", i,
			      (unsigned long long)p->p_offset,
			      (unsigned long long)p->p_filesz, (long long)file_size);
	if (p->p_vaddr >= task_size || p->p_memsz > task_size ||
	    task_size - p->p_memsz < p->p_vaddr)
		return uexec_reason(err, errlen, EINVAL, "PT_LOAD %zu: %#llx+%#llx overflows "
			      "the user address space", i,
			      (unsigned long long)p->p_vaddr,
			      (unsigned long long)p->p_memsz);
	if (maps_nothing)
		return 0;
	/* The kernel's elf_map() maps at ELF_PAGESTART(p_vaddr) from
	 * p_offset - ELF_PAGEOFFSET(p_vaddr): mmap() fails with EINVAL unless
	 * that is a multiple of the page size.  A file linked for 4 KiB pages
	 * meets that on a 4 KiB kernel and not on a 16 or 64 KiB one. */
	if ((p->p_offset & ~PAGE_MASK_) != (p->p_vaddr & ~PAGE_MASK_) &&
	    (p->p_offset & 4095) == (p->p_vaddr & 4095))
		return uexec_reason(err, errlen, EINVAL, "PT_LOAD %zu: p_offset %#llx and "
			      "p_vaddr %#llx are not congruent modulo the page size "
			      "(%lu bytes; the file is linked for smaller pages: the "
			      "kernel's mmap of the segment fails with EINVAL)", i,
			      (unsigned long long)p->p_offset,
			      (unsigned long long)p->p_vaddr, (unsigned long)UEXEC_PAGE_SIZE);
	if ((p->p_offset & ~PAGE_MASK_) != (p->p_vaddr & ~PAGE_MASK_))
		return uexec_reason(err, errlen, EINVAL, "PT_LOAD %zu: p_offset %#llx and "
			      "p_vaddr %#llx are not congruent modulo the page size",
			      i, (unsigned long long)p->p_offset,
			      (unsigned long long)p->p_vaddr);
	return 0;
}

int uexec_elf_check_phdrs(const GElf_Ehdr *eh, const GElf_Phdr *ph,
			  size_t phnum, off_t file_size,
			  struct uexec_elf_extent *ext, char *err, size_t errlen)
{
	const struct uexec_abi *abi = uexec_arch_abi(eh->e_ident[EI_CLASS], eh->e_machine);
	uintptr_t task_size = abi ? abi->task_size : UEXEC_TASK_SIZE;
	uintptr_t lo = UINTPTR_MAX, hi = 0, prev_vaddr = 0, first_vaddr = 0;
	bool entry_ok = false;
	int ret;

	memset(ext, 0, sizeof(*ext));
	for (size_t i = 0; i < phnum; i++) {
		const GElf_Phdr *p = &ph[i];

		bool empty;

		if (p->p_type != PT_LOAD)
			continue;
		empty = load_maps_nothing(p, ext->nload);
		ret = check_load(p, i, file_size, task_size, empty, err, errlen);
		if (ret)
			return ret;
		/* PT_LOADs are sorted by p_vaddr (the ELF spec; the kernel
		 * places an ET_DYN image by its first and sizes it by its
		 * lowest and highest, total_mapping_size()).  One that maps
		 * nothing need only not lie below an ET_DYN image's first. */
		if (ext->nload && !empty && p->p_vaddr < prev_vaddr)
			return uexec_reason(err, errlen, EINVAL, "PT_LOAD %zu at %#llx is below "
				      "the previous one (%#lx)", i,
				      (unsigned long long)p->p_vaddr,
				      (unsigned long)prev_vaddr);
		if (empty && eh->e_type == ET_DYN && p->p_vaddr < first_vaddr)
			return uexec_reason(err, errlen, EINVAL, "PT_LOAD %zu at %#llx is below "
				      "the first one (%#lx)", i,
				      (unsigned long long)p->p_vaddr,
				      (unsigned long)first_vaddr);
		if (!ext->nload)
			first_vaddr = p->p_vaddr;
		if (!empty)
			prev_vaddr = p->p_vaddr;
		if (empty && eh->e_type != ET_DYN) {
			ext->nload++;	/* the kernel sizes no ET_EXEC image */
			continue;
		}
		if (p->p_vaddr < lo)
			lo = p->p_vaddr;
		if (p->p_vaddr + p->p_memsz > hi)
			hi = p->p_vaddr + p->p_memsz;
		if (is_pow2(p->p_align) && p->p_align > ext->max_align)
			ext->max_align = p->p_align;
		if ((p->p_flags & PF_X) && eh->e_entry >= p->p_vaddr &&
		    eh->e_entry < p->p_vaddr + p->p_memsz)
			entry_ok = true;
		ext->nload++;
	}
	if (!ext->nload)
		return uexec_reason(err, errlen, ENOEXEC, "no PT_LOAD segment");
	ext->entry_ok = entry_ok;
	ext->lo = lo & PAGE_MASK_;
	ext->hi = (hi + UEXEC_PAGE_SIZE - 1) & PAGE_MASK_;
	if (ext->hi == 0 || ext->hi <= ext->lo)
		return uexec_reason(err, errlen, EINVAL, "empty or wrapping PT_LOAD extent");
	return 0;
}

int uexec_elf_check_entry(uint64_t entry, bool entry_ok, char *err, size_t errlen)
{
	if (entry_ok)
		return 0;
	return uexec_reason(err, errlen, EINVAL, "entry point %#llx is outside every "
			    "executable PT_LOAD segment", (unsigned long long)entry);
}
