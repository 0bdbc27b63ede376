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

#include "arch.h"
#include "layout.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

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

/* arch_mmap_rnd(): the random page offset added to ELF_ET_DYN_BASE. */
uintptr_t uexec_layout_mmap_rnd(struct uexec_layout *lay)
{
	if (!lay->randomize)
		return 0;
	if (!lay->mmap_rnd_bits)
		lay->mmap_rnd_bits = (int)read_proc_long("/proc/sys/vm/mmap_rnd_bits", 28);
	if (lay->mmap_rnd_bits < 1 || lay->mmap_rnd_bits > 40)
		lay->mmap_rnd_bits = 28;
	return (uexec_layout_random() & ((1UL << lay->mmap_rnd_bits) - 1)) *
	       UEXEC_PAGE_SIZE;
}

/* The kernel's brk placement for an image whose memory ends at ELF_BRK. */
uintptr_t uexec_layout_brk(struct uexec_layout *lay, uintptr_t elf_brk,
			   int static_pie)
{
	uintptr_t brk = elf_brk;
	int moved = 0;

	if (static_pie) {
		brk = UEXEC_ELF_ET_DYN_BASE;
		moved = 1;
	}
	brk = (brk + UEXEC_PAGE_SIZE - 1) & ~(UEXEC_PAGE_SIZE - 1);
	if (lay->randomize_brk) {
		if (!moved)
			brk += UEXEC_PAGE_SIZE;
		brk += (uexec_layout_random() % (UEXEC_BRK_RND_RANGE / UEXEC_PAGE_SIZE)) *
		       UEXEC_PAGE_SIZE;
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
 * The stack: the kernel puts its top at STACK_TOP less a random number of
 * pages, which is where uexec's own stack already is.  The new stack goes
 * below the region the caller's stack may grow into, keeping the kernel's
 * randomisation of its position; where that region is taken, anywhere the
 * kernel's mmap() finds room.  Returns the page-aligned top or 0.
 */
uintptr_t uexec_layout_stack_top(struct uexec_layout *lay, size_t reserve)
{
	uintptr_t own_top, top;
	size_t guard = 256 * UEXEC_PAGE_SIZE;	/* stack_guard_gap */
	struct rlimit rl;
	size_t own_max = 8UL << 20;
	void *p;

	own_top = (uintptr_t)getauxval(AT_EXECFN);
	if (!own_top) {
		int local;

		own_top = (uintptr_t)&local;
	}
	own_top = (own_top + UEXEC_PAGE_SIZE - 1) & ~(UEXEC_PAGE_SIZE - 1);
	if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur > own_max)
		own_max = rl.rlim_cur;
	if (own_max > (1UL << 30))
		own_max = 1UL << 30;
	if (own_top > own_max + guard + reserve + guard + (64UL << 20)) {
		top = own_top - own_max - guard - guard;
		if (lay->randomize)
			top -= (uexec_layout_random() % 16384) * UEXEC_PAGE_SIZE;
		if (uexec_layout_range_free(top - reserve - guard, reserve + guard) == 1)
			return top;
	}
	p = mmap(NULL, reserve + guard, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return 0;
	munmap(p, reserve + guard);
	return (uintptr_t)p + reserve + guard;
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
