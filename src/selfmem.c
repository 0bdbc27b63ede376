/* SPDX-License-Identifier: MIT */
/*
 * uexec's own address space without /proc (selfmem.h).  Every probe here
 * leaves the address space as it found it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <link.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "archdep.h"
#include "mapsread.h"
#include "selfmem.h"

#ifndef MADV_COLD
#define MADV_COLD 20
#endif

/* Pages of ordinary memory searched next to the vDSO when madvise cannot
 * tell special pages from ordinary ones. */
#define NEAR_PAGES 16

size_t uexec_selfmem_image_length(uintptr_t base)
{
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)base;
	const ElfW(Phdr) *ph;
	uintptr_t end = 0;

	if (!base || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32) ||
	    eh->e_phentsize != sizeof(*ph))
		return 0;
	ph = (const ElfW(Phdr) *)(base + eh->e_phoff);
	for (size_t i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_vaddr + ph[i].p_memsz > end)
			end = ph[i].p_vaddr + ph[i].p_memsz;
	return uexec_page_align(end);
}

size_t uexec_selfmem_image_align(uintptr_t base)
{
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)base;
	const ElfW(Phdr) *ph;
	size_t align = UEXEC_PAGE_SIZE;

	if (!uexec_selfmem_image_length(base))
		return align;
	ph = (const ElfW(Phdr) *)(base + eh->e_phoff);
	for (size_t i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_align > align &&
		    !(ph[i].p_align & (ph[i].p_align - 1)))
			align = ph[i].p_align;
	return align;
}

/* Does madvise(MADV_COLD) succeed on ordinary memory (a page of this
 * stack)?  Then its EINVAL marks a special mapping. */
static int cold_tells(void)
{
	volatile char here = 0;

	return madvise((void *)uexec_page_start((uintptr_t)&here), UEXEC_PAGE_SIZE,
		       MADV_COLD) == 0;
}

/* 1: the page at A is the kernel's (special), 0: ordinary, -1: unmapped. */
static int page_kind(uintptr_t a, int tells)
{
	unsigned char v;

	if (mincore((void *)a, UEXEC_PAGE_SIZE, &v) && errno == ENOMEM)
		return -1;
	if (!tells)
		return 1;
	return madvise((void *)a, UEXEC_PAGE_SIZE, MADV_COLD) && errno == EINVAL;
}

int uexec_selfmem_kernel_run(uintptr_t *lo, uintptr_t *hi)
{
	uintptr_t vdso = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
	size_t len = uexec_selfmem_image_length(vdso);
	int tells = cold_tells();
	int n;

	if (!len)
		return -1;
	*lo = vdso;
	*hi = vdso + len;
	for (n = 0; (tells || n < NEAR_PAGES) && *lo > UEXEC_PAGE_SIZE &&
	     page_kind(*lo - UEXEC_PAGE_SIZE, tells) == 1; n++)
		*lo -= UEXEC_PAGE_SIZE;
	for (n = 0; (tells || n < NEAR_PAGES) && *hi < UEXEC_TASK_SIZE &&
	     page_kind(*hi, tells) == 1; n++)
		*hi += UEXEC_PAGE_SIZE;
	return 0;
}

/*
 * The length of the special mapping that starts at A and ends at or before
 * END: the first length whose pages mremap() moves away (and straight
 * back).  0 when none moves.
 */
static size_t mapping_length(uintptr_t a, uintptr_t end)
{
	size_t max = end - a, got = 0;
	void *scratch = mmap(NULL, max, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			     -1, 0);

	if (scratch == MAP_FAILED)
		return 0;
	for (size_t n = UEXEC_PAGE_SIZE; n <= max && !got; n += UEXEC_PAGE_SIZE) {
		void *r = mremap((void *)a, n, n, MREMAP_MAYMOVE | MREMAP_FIXED, scratch);

		if (r == MAP_FAILED)
			continue;
		if (mremap(r, n, n, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)a) != (void *)a)
			return 0;	/* cannot happen: the range was just vacated */
		got = n;
	}
	munmap(scratch, max);
	return got;
}

/* Cut [A, END) into its special mappings, appending to OUT; false when a
 * part cannot be cut. */
static bool cut(uintptr_t a, uintptr_t end, uintptr_t (*out)[2], size_t max, size_t *n)
{
	while (a < end) {
		size_t len = mapping_length(a, end);

		if (!len || *n >= max)
			return false;
		out[*n][0] = a;
		out[*n][1] = a + len;
		(*n)++;
		a += len;
	}
	return true;
}

size_t uexec_selfmem_kernel_maps(uintptr_t (*out)[2], size_t max)
{
	uintptr_t vdso = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
	uintptr_t lo, hi;
	size_t n = 0;

	if (uexec_selfmem_kernel_run(&lo, &hi) || !cut(lo, vdso, out, max, &n) || n >= max)
		return 0;
	out[n][0] = vdso;
	out[n][1] = vdso + uexec_selfmem_image_length(vdso);
	n++;
	if (!cut(out[n - 1][1], hi, out, max, &n))
		return 0;
	return n;
}

int uexec_selfmem_block_at(uintptr_t a, uintptr_t *hi, uintptr_t *text)
{
	int tells = cold_tells(), kind;

	*text = 0;
	for (*hi = a; *hi < UEXEC_TASK_SIZE && (kind = page_kind(*hi, tells)) >= 0;
	     *hi += UEXEC_PAGE_SIZE)
		if (!kind && !*text)
			*text = *hi;
	return tells && *hi > a && *text && !memcmp((void *)*text, ELFMAG, SELFMAG) ? 0 : -1;
}

/* Whether the kernel has mseal(2): a zero length seals nothing.  Denied
 * (a seccomp filter) counts as present: memory may have been sealed
 * before.  Asked once. */
static bool mseal_present(void)
{
	static int known = -1;

	if (known < 0)
		known = !(syscall(SYS_mseal, 0L, 0L, 0L) && errno == ENOSYS);
	return known;
}

/* Does mremap() answer for itself?  A seccomp filter's EPERM would read
 * as a seal: a zero length is EINVAL from the kernel. */
static bool mremap_answers(void)
{
	return !(mremap(NULL, 0, 0, 0) == MAP_FAILED && errno != EINVAL);
}

bool uexec_selfmem_sealed(uintptr_t lo, uintptr_t hi)
{
	size_t len = hi - lo;

	if (!mseal_present() || hi <= lo)
		return false;
	return mremap((void *)lo, len, len, 0) == MAP_FAILED && errno == EPERM &&
	       mremap_answers();
}

bool uexec_selfmem_run_sealed(const uintptr_t (*run)[2], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (uexec_selfmem_sealed(run[i][0], run[i][1]))
			return true;
	return false;
}

/* The end of the range of SKIP (N ranges) that holds [LO, HI), or 0. */
static uintptr_t skipped(const uintptr_t (*skip)[2], size_t n, uintptr_t lo, uintptr_t hi)
{
	for (size_t i = 0; i < n; i++)
		if (skip[i][0] <= lo && hi <= skip[i][1])
			return skip[i][1];
	return 0;
}

/* Whether [LO, HI), below TASK_SIZE, is sealed: then into *OLO, *OHI. */
static bool sealed_one(uintptr_t lo, uintptr_t hi, uintptr_t *olo, uintptr_t *ohi)
{
	if (lo >= UEXEC_TASK_SIZE || !uexec_selfmem_sealed(lo, hi))
		return false;
	*olo = lo;
	*ohi = hi;
	return true;
}

/* The same from the text of /proc/self/maps (before Linux 6.11). */
static int find_sealed_text(const uintptr_t (*skip)[2], size_t n, uintptr_t *lo,
			    uintptr_t *hi)
{
	struct uexec_maps_reader rd;
	struct uexec_maps_entry e;
	int found = 0;

	if (uexec_maps_open(&rd))
		return -1;
	while (!found && uexec_maps_next(&rd, &e))
		found = !skipped(skip, n, e.lo, e.hi) && sealed_one(e.lo, e.hi, lo, hi);
	uexec_maps_close(&rd);
	return found;
}

int uexec_selfmem_find_sealed(const uintptr_t (*skip)[2], size_t n, uintptr_t *lo,
			      uintptr_t *hi)
{
	uintptr_t a = 0, l, h;
	int fd, r = 0, q = 0;

	if (!mseal_present())
		return 0;
	if (!mremap_answers())
		return -1;	/* the commit refuses that itself */
	fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (!r && a < UEXEC_TASK_SIZE && !(q = uexec_maps_covering_or_next(fd, a, &l, &h))) {
		uintptr_t end = skipped(skip, n, l, h);

		r = !end && sealed_one(l, h, lo, hi);
		a = end ? end : h;	/* a skipped range's other mappings too */
	}
	close(fd);
	if (!r && q == -ENOTTY)
		return find_sealed_text(skip, n, lo, hi);
	return r;
}
