/* SPDX-License-Identifier: MIT */
/*
 * An ELF image's headers (elf_image.h): read and checked as the kernel's
 * load_elf_binary() reads them, and its GNU property note, where the
 * architecture's kernel reads one.
 */
#include <errno.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archdep.h"
#include "binprm.h"
#include "elf_check.h"
#include "elf_image.h"
#include "elf_read.h"
#include "kversion.h"

#ifndef PT_GNU_PROPERTY
#define PT_GNU_PROPERTY 0x6474e553
#endif
#ifndef NT_GNU_PROPERTY_TYPE_0
#define NT_GNU_PROPERTY_TYPE_0 5
#endif

/* Read PT_INTERP's string: bounded, its last byte NUL; the path is what
 * comes before the first NUL (the kernel's load_elf_binary() checks the
 * last byte only and opens the string as C reads it). */
static int read_interp_path(struct uexec_elf_image *img, const GElf_Phdr *p,
			    char *err, size_t errlen)
{
	char *s;
	ssize_t n;

	if (p->p_filesz < 2 || p->p_filesz > UEXEC_BINPRM_INTERP_MAX ||
	    p->p_offset > (uint64_t)img->file_size ||
	    p->p_filesz > (uint64_t)img->file_size - p->p_offset) {
		snprintf(err, errlen, "PT_INTERP (offset %#llx, %llu bytes) is malformed",
			 (unsigned long long)p->p_offset,
			 (unsigned long long)p->p_filesz);
		return -ENOEXEC;
	}
	s = malloc(p->p_filesz);
	if (!s)
		return -ENOMEM;
	n = pread(img->fd, s, p->p_filesz, (off_t)p->p_offset);
	if (n != (ssize_t)p->p_filesz || s[p->p_filesz - 1] != '\0') {
		free(s);
		snprintf(err, errlen, "PT_INTERP is not NUL-terminated");
		return -ENOEXEC;
	}
	img->interp = s;
	return 0;
}

/* The program headers as GElf_Phdr copies, owned by IMG, read as the
 * kernel reads them (elf_read.h). */
static int read_phdrs(const GElf_Ehdr *eh, struct uexec_elf_image *img, char *err,
		      size_t errlen)
{
	GElf_Phdr *ph = calloc(eh->e_phnum ? eh->e_phnum : 1, sizeof(*ph));

	if (!ph)
		return -ENOMEM;
	img->phdrs = ph;
	img->phnum = eh->e_phnum;
	return uexec_elf_read_phdrs(img->fd, eh, ph, err, errlen);
}

/*
 * AT_PHDR before the load bias, as load_elf_binary() computes it: since
 * Linux 5.18 ("fs/binfmt_elf: Fix AT_PHDR for unusual ELF files",
 * 0da1d5002745) the address of e_phoff in the last PT_LOAD whose file
 * bytes hold it, or 0 (the bias alone) when none does; before, e_phoff
 * past the first PT_LOAD's p_vaddr - p_offset, wherever the table is.
 */
static uintptr_t phdr_vaddr(const GElf_Ehdr *eh, const GElf_Phdr *ph, size_t phnum)
{
	int v = uexec_kernel_version();
	uintptr_t addr = 0;

	for (size_t i = 0; i < phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (v && v < UEXEC_KVERSION(5, 18))
			return ph[i].p_vaddr - ph[i].p_offset + eh->e_phoff;
		if (ph[i].p_offset <= eh->e_phoff &&
		    eh->e_phoff < ph[i].p_offset + ph[i].p_filesz)
			addr = eh->e_phoff - ph[i].p_offset + ph[i].p_vaddr;
	}
	return addr;
}

/* The facts the plan needs from checked headers: type, extent, stack
 * permissions (no PT_GNU_STACK: not executable here), PT_INTERP, the
 * PT_GNU_PROPERTY the kernel would read (the last before the first
 * PT_INTERP), and AT_PHDR (phdr_vaddr()). */
static int note_headers(struct uexec_elf_image *img, const GElf_Ehdr *eh,
			const struct uexec_elf_extent *ext, int want_interp,
			char *err, size_t errlen)
{
	const GElf_Phdr *ph = img->phdrs;
	int ret;

	img->e_type = eh->e_type;
	img->e_machine = eh->e_machine;
	img->e_entry = eh->e_entry;
	img->entry_ok = ext->entry_ok;
	img->lo = ext->lo;
	img->hi = ext->hi;
	img->max_align = ext->max_align;
	img->fixed = eh->e_type == ET_EXEC;
	img->stack_prot = 0;
	img->gnu_stack = false;
	for (size_t i = 0; i < img->phnum; i++) {
		if (ph[i].p_type == PT_GNU_PROPERTY && !img->interp) {
			img->has_property = true;
			img->property_off = ph[i].p_offset;
			img->property_filesz = ph[i].p_filesz;
		}
		else if (ph[i].p_type == PT_GNU_STACK) {
			img->stack_prot = (ph[i].p_flags & PF_X) ? PROT_EXEC : 0;
			img->gnu_stack = true;
		}
		else if (ph[i].p_type == PT_INTERP && want_interp && !img->interp &&
			 (ret = read_interp_path(img, &ph[i], err, errlen)))
			return ret;
	}
	img->phdr_addr = phdr_vaddr(eh, ph, img->phnum);
	return 0;
}

int uexec_elf_read_image(struct uexec_elf_image *img, const unsigned char *buf,
			 size_t buf_len, int want_interp, int *late, char *err, size_t errlen)
{
	struct uexec_elf_extent ext = { 0 };
	struct stat st;
	GElf_Ehdr eh;
	int ret;

	ret = uexec_elf_check_ident(buf, buf_len, err, errlen);
	if (ret)
		return ret;
	if (fstat(img->fd, &st))
		return -errno;
	img->file_size = st.st_size;
	ret = uexec_elf_read_ehdr(buf, buf_len, &eh, err, errlen);
	if (!ret)
		ret = uexec_elf_check_ehdr(&eh, img->file_size, err, errlen);
	if (ret)
		return ret;
	img->abi = uexec_arch_abi(eh.e_ident[EI_CLASS], eh.e_machine);
	ret = uexec_arch_abi_usable(img->abi, err, errlen);
	if (!ret)
		ret = read_phdrs(&eh, img, err, errlen);
	if (ret)
		return ret;
	ret = uexec_elf_check_phdrs(&eh, img->phdrs, img->phnum, img->file_size, &ext,
				    err, errlen);
	if (ret && late) {
		/* PT_INTERP's own fault, the kernel's refusal, replaces the
		 * reason in ERR; else that stays, for *LATE. */
		memset(&ext, 0, sizeof(ext));
		*late = ret;
		ret = note_headers(img, &eh, &ext, want_interp, err, errlen);
		if (ret)
			*late = 0;
		return ret;
	}
	if (!ret)
		ret = note_headers(img, &eh, &ext, want_interp, err, errlen);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The GNU property note (the kernel's parse_elf_properties() and
 * parse_elf_property(), fs/binfmt_elf.c): one note of at most 1 KiB,
 * NT_GNU_PROPERTY_TYPE_0 named "GNU", whose properties are 8-byte headers
 * (pr_type, pr_datasz) each followed by its data padded to ALIGN, unique
 * and in ascending order of type. */

#define NOTE_MAX 1024
#define NOTE_HDR 12		/* n_namesz, n_descsz, n_type */
#define NOTE_NAME "GNU"

static size_t round_up(size_t x, size_t align)
{
	return (x + align - 1) & ~(align - 1);
}

static uint32_t word_at(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The properties of DESC[off, end), each to FN in turn. */
static int each_property(const unsigned char *note, size_t off, size_t end, size_t align,
			 uexec_elf_property_fn fn, void *ctx, char *err, size_t errlen)
{
	uint32_t prev = 0;
	bool have_prev = false;

	while (off < end) {
		size_t left = end - off, step;
		uint32_t type, len;
		int ret;

		if (left < 8) {
			snprintf(err, errlen, "GNU property note: a property header "
				 "truncated (%zu bytes left)", left);
			return -ENOEXEC;
		}
		type = word_at(note + off);
		len = word_at(note + off + 4);
		step = round_up(len, align);
		if (len > left - 8 || step > left - 8) {
			snprintf(err, errlen, "GNU property note: property %#x has %u bytes, "
				 "past the note's end", type, len);
			return -ENOEXEC;
		}
		if (have_prev && type <= prev) {
			snprintf(err, errlen, "GNU property note: property %#x after %#x "
				 "(they must ascend)", type, prev);
			return -ENOEXEC;
		}
		ret = fn(ctx, type, note + off + 8, len, err, errlen);
		if (ret)
			return ret;
		prev = type;
		have_prev = true;
		off += 8 + step;
	}
	return 0;
}

int uexec_elf_parse_properties(int fd, uint64_t off, uint64_t filesz, size_t align,
			       uexec_elf_property_fn fn, void *ctx, char *err, size_t errlen)
{
	unsigned char note[NOTE_MAX];
	size_t pos;
	ssize_t n;

	if (filesz > sizeof(note)) {
		snprintf(err, errlen, "PT_GNU_PROPERTY has %llu bytes (more than %d)",
			 (unsigned long long)filesz, NOTE_MAX);
		return -ENOEXEC;
	}
	n = off > (uint64_t)INT64_MAX ? 0 : pread(fd, note, (size_t)filesz, (off_t)off);
	if (n < 0) {
		int e = errno;

		snprintf(err, errlen, "reading PT_GNU_PROPERTY: %s", strerror(e));
		return -e;
	}
	if ((size_t)n < NOTE_HDR + sizeof(NOTE_NAME)) {
		snprintf(err, errlen, "PT_GNU_PROPERTY: %zd bytes of its note in the file, "
			 "too few for its header", n);
		return -EIO;
	}
	if (word_at(note + 8) != NT_GNU_PROPERTY_TYPE_0 || word_at(note) != sizeof(NOTE_NAME) ||
	    strncmp((const char *)note + NOTE_HDR, NOTE_NAME, (size_t)n - NOTE_HDR)) {
		snprintf(err, errlen, "PT_GNU_PROPERTY does not hold an "
			 "NT_GNU_PROPERTY_TYPE_0 note named \"GNU\"");
		return -ENOEXEC;
	}
	pos = round_up(NOTE_HDR + sizeof(NOTE_NAME), align);
	if (pos > (size_t)n || word_at(note + 4) > (size_t)n - pos) {
		snprintf(err, errlen, "GNU property note: %u bytes of properties, past "
			 "the segment's end", word_at(note + 4));
		return -ENOEXEC;
	}
	return each_property(note, pos, pos + word_at(note + 4), align, fn, ctx, err, errlen);
}

struct property_ctx {
	const struct uexec_abi *abi;
	struct uexec_arch_elf_state *st;
};

static int arch_property(void *ctx, uint32_t type, const void *data, size_t len,
			 char *err, size_t errlen)
{
	struct property_ctx *c = ctx;

	return uexec_arch_parse_elf_property(c->abi, type, data, len, c->st, err, errlen);
}

int uexec_elf_image_properties(const struct uexec_elf_image *img,
			       struct uexec_arch_elf_state *st, char *err, size_t errlen)
{
	struct property_ctx c = { .abi = img->abi, .st = st };

	if (!uexec_arch_uses_gnu_property() || !img->has_property)
		return 0;
	return uexec_elf_parse_properties(img->fd, img->property_off, img->property_filesz,
					  img->abi->elf_class == ELFCLASS64 ? 8 : 4,
					  arch_property, &c, err, errlen);
}
