/* SPDX-License-Identifier: MIT */
/*
 * Where things go: the kernel's address-space layout decisions for a new
 * exec (ASLR on or off, ELF_ET_DYN_BASE, the brk gap and its randomisation,
 * the stack top), reproduced in userspace.  Only the probes in
 * uexec_layout_find_free() touch the address space, and they undo
 * themselves before returning.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <unistd.h>

#include "archdep.h"
#include "layout.h"
#include "mapsread.h"

static long read_proc_long(const char *path, long dflt)
{
	char buf[32];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return dflt;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return dflt;
	buf[n] = 0;
	return strtol(buf, NULL, 10);
}

void uexec_layout_init(struct uexec_layout *lay)
{
	int pers = personality(0xffffffff);

	memset(lay, 0, sizeof(*lay));
	lay->va_space = (int)read_proc_long("/proc/sys/kernel/randomize_va_space", 2);
	lay->randomize = lay->va_space > 0 && !(pers != -1 && (pers & ADDR_NO_RANDOMIZE));
	lay->randomize_brk = lay->randomize && lay->va_space > 1;
	lay->personality = pers == -1 ? 0 : (unsigned long)pers;
	lay->mmap_rnd_bits = 0;
}

unsigned long uexec_layout_random(void)
{
	unsigned long r = 0;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (unsigned long)random() << 31 ^ (unsigned long)random();
	return r;
}

/* The kernel's mmap_rnd_bits (or mmap_rnd_compat_bits) for this ABI. */
int uexec_layout_mmap_rnd_bits(struct uexec_layout *lay)
{
	const struct uexec_abi *abi = lay->abi ? lay->abi :
				      uexec_arch_abi(UEXEC_ELF_CLASS, UEXEC_ELF_MACHINE);
	const char *file = abi->mmap_rnd_bits_file;
	int dflt = abi->mmap_rnd_bits;

	if (!lay->mmap_rnd_bits)
		lay->mmap_rnd_bits = (int)read_proc_long(file, dflt);
	if (lay->mmap_rnd_bits < 1 || lay->mmap_rnd_bits > 40)
		lay->mmap_rnd_bits = dflt;
	return lay->mmap_rnd_bits;
}

/* arch_mmap_rnd(): the random page offset added to ELF_ET_DYN_BASE. */
uintptr_t uexec_layout_mmap_rnd(struct uexec_layout *lay)
{
	if (!lay->randomize)
		return 0;
	return (uexec_layout_random() & ((1UL << uexec_layout_mmap_rnd_bits(lay)) - 1)) *
	       UEXEC_PAGE_SIZE;
}

/* The kernel's brk placement for an image whose memory ends at ELF_BRK. */
uintptr_t uexec_layout_brk(struct uexec_layout *lay, uintptr_t elf_brk,
			   int static_pie)
{
	uintptr_t brk = elf_brk;
	int moved = 0;

	if (static_pie) {
		brk = lay->abi ? lay->abi->et_dyn_base : UEXEC_ELF_ET_DYN_BASE;
		moved = 1;
	}
	brk = uexec_page_align(brk);
	if (lay->randomize_brk) {
		uintptr_t range = lay->abi ? lay->abi->brk_rnd_range : UEXEC_BRK_RND_RANGE;

		if (!moved)
			brk += UEXEC_PAGE_SIZE;
		brk += (uexec_layout_random() % (range / UEXEC_PAGE_SIZE)) * UEXEC_PAGE_SIZE;
	}
	return brk;
}

/*
 * Is [addr, addr+len) free?  Probed with MAP_FIXED_NOREPLACE and undone at
 * once.  Returns 1 free, 0 in use, -errno on another failure.
 */
int uexec_layout_range_free(uintptr_t addr, size_t len)
{
	void *p = mmap((void *)addr, len, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
		       -1, 0);

	if (p == MAP_FAILED)
		return errno == EEXIST ? 0 : -errno;
	munmap(p, len);
	if ((uintptr_t)p != addr)	/* a kernel without NOREPLACE */
		return 0;
	return 1;
}

/*
 * The stack top: the kernel's randomize_stack_top(STACK_TOP).  That is
 * where the kernel put uexec's own stack when it started uexec, with the
 * same randomisation a new exec would get, so the new stack's top is the
 * old one's (the kernel's exec leaves 8 zero bytes and the AT_EXECFN
 * string at the very top).  mm.c stages the new stack and the final stage
 * moves it there once the old one is gone.  Falls back to a free range,
 * where uexec's own stack cannot be found or /proc is not mounted.
 * Returns 0 on failure.
 */
/* The top of uexec's own stack (8 bytes after the AT_EXECFN string), or 0. */
static uintptr_t own_stack_top(void)
{
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	uintptr_t top;

	if (!execfn)
		return 0;
	top = (uintptr_t)execfn + strlen(execfn) + 1 + sizeof(void *);
	return !uexec_page_offset(top) && top <= UEXEC_TASK_SIZE ? top : 0;
}

uintptr_t uexec_layout_stack_top(struct uexec_layout *lay, size_t reserve)
{
	uintptr_t top;
	void *p;

	(void)lay;
	/* Moving the stack into uexec's place needs /proc/self/maps (the
	 * final stage must know what to remove first). */
	top = own_stack_top();
	if (top && access("/proc/self/maps", R_OK) == 0)
		return top;
	/* Below the region uexec's own stack may grow into (RLIMIT_STACK and
	 * the guard gap), in the gap the kernel keeps above mmap_base; where
	 * that is taken, anywhere mmap() finds room. */
	{
		int local;
		struct rlimit rl;
		uintptr_t own = uexec_page_align((uintptr_t)&local);
		size_t grow = 8UL << 20, guard = 256 * UEXEC_PAGE_SIZE;

		if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
		    rl.rlim_cur > grow)
			grow = rl.rlim_cur < (1UL << 30) ? rl.rlim_cur : (1UL << 30);
		if (own > grow + 2 * guard + reserve) {
			top = uexec_page_start(own - grow - guard);
			if (uexec_layout_range_free(top - reserve - guard, reserve + guard) == 1)
				return top;
		}
	}
	p = mmap(NULL, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	if (p == MAP_FAILED)
		return 0;
	munmap(p, reserve);
	return (uintptr_t)p + reserve;
}

/*
 * An image placed by the kernel's mmap() (static PIE, interpreter): SIZE
 * bytes aligned to ALIGN.  Returns the address or 0; nothing stays mapped.
 */
uintptr_t uexec_layout_find_free(size_t size, uintptr_t align)
{
	uintptr_t a;
	size_t span;
	void *p;

	if (align < UEXEC_PAGE_SIZE)
		align = UEXEC_PAGE_SIZE;
	span = size + align - UEXEC_PAGE_SIZE;
	if (span < size)
		return 0;
	p = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	if (p == MAP_FAILED)
		return 0;
	munmap(p, span);
	a = ((uintptr_t)p + align - 1) & ~(align - 1);
	return a;
}

/* The kernel's own mappings (vDSO, vvar): they stay where they are. */
static struct { uintptr_t lo, hi; } fixed_maps[8];
static size_t nfixed;

/*
 * The kernel's mmap_base() keeps RLIMIT_STACK and the stack guard gap free
 * below the stack top (and at least 128 MiB below STACK_TOP), so an
 * interpreter that ends above that line was not placed by the kernel's
 * top-down layout: qemu-user, say, maps the program's interpreter just
 * above the stack it allocated.  Such a base is lowered to the kernel's
 * line; the kernel's own layout never meets the condition.
 */
static uintptr_t below_stack_gap(uintptr_t base)
{
	uintptr_t st = own_stack_top();
	size_t rl = uexec_layout_rlimit_stack(), gap;

	if (!st || !base)
		return base;
	gap = rl == (size_t)-1 || rl > (1UL << 30) ? 1UL << 30 : rl;
	if (base + gap <= st)
		return base;
	gap += 256 * UEXEC_PAGE_SIZE;	/* stack_guard_gap's default */
	if (gap < (128UL << 20))
		gap = 128UL << 20;
	return st > gap ? uexec_page_start(st - gap) : base;
}

/*
 * mmap_base: the top of the region where the kernel's first top-down
 * mmap() of an exec lands.  The kernel chose it (randomised) when it
 * started uexec, and uexec's own interpreter was that first mapping, so
 * its end is the mmap_base a new exec would get too.  Returns 0 when uexec
 * has no interpreter (a static uexec) or /proc is not mounted.
 */
uintptr_t uexec_layout_mmap_base(void)
{
	static uintptr_t cached;
	uintptr_t base = (uintptr_t)getauxval(AT_BASE), top = 0;
	struct uexec_maps_reader rd;
	struct uexec_maps_entry e;
	char name[256] = "";

	if (cached || !base)
		return cached;
	if (uexec_maps_open(&rd))
		return 0;
	nfixed = 0;
	while (uexec_maps_next(&rd, &e) > 0) {
		if (uexec_maps_is_kernel(&e) &&
		    nfixed < sizeof(fixed_maps) / sizeof(fixed_maps[0])) {
			fixed_maps[nfixed].lo = e.lo;
			fixed_maps[nfixed].hi = e.hi;
			nfixed++;
		}
		if (e.lo == base && e.name[0] == '/')
			snprintf(name, sizeof(name), "%s", e.name);
		else if (!name[0] || strcmp(e.name, name))
			continue;
		if (e.hi > top)
			top = e.hi;
	}
	uexec_maps_close(&rd);
	cached = below_stack_gap(top);
	return cached;
}

/*
 * The kernel's top-down placement of SIZE bytes aligned to ALIGN in a
 * fresh exec: just below BELOW (0: mmap_base).  Everything of uexec's
 * counts as free (the final stage removes it), and so do the vDSO and vvar:
 * the kernel maps them after the images, and so the final stage moves them
 * below (binfmt_elf.c, place_vdso).  Returns 0 without an mmap_base.
 */
uintptr_t uexec_layout_top_down(size_t size, uintptr_t align, uintptr_t below)
{
	uintptr_t top = below ? below : uexec_layout_mmap_base();

	if (align < UEXEC_PAGE_SIZE)
		align = UEXEC_PAGE_SIZE;
	if (!top || top < size + align)
		return 0;
	return (top - size) & ~(align - 1);
}

/* The kernel's own mappings (vDSO and vvar), in address order; valid after
 * uexec_layout_mmap_base(). */
size_t uexec_layout_kernel_maps(uintptr_t (*out)[2], size_t max)
{
	size_t n = 0;

	uexec_layout_mmap_base();
	for (size_t i = 0; i < nfixed && n < max; i++, n++) {
		size_t j = n;

		while (j > 0 && out[j - 1][0] > fixed_maps[i].lo) {
			out[j][0] = out[j - 1][0];
			out[j][1] = out[j - 1][1];
			j--;
		}
		out[j][0] = fixed_maps[i].lo;
		out[j][1] = fixed_maps[i].hi;
	}
	return n;
}

size_t uexec_layout_rlimit_stack(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_STACK, &rl))
		return 8UL << 20;
	return rl.rlim_cur == RLIM_INFINITY ? (size_t)-1 : (size_t)rl.rlim_cur;
}
