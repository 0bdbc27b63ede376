/* SPDX-License-Identifier: MIT */
/*
 * The musl CLI's allocator (configure --with-cli-libc=musl; linked into
 * src/uexec only, where it replaces musl's malloc, as musl allows in a
 * static link).  musl's own malloc takes a fresh mapping, and its page
 * faults, for each size it serves, in the mmap area the program's own
 * mappings are placed in; the launch path makes some hundred small
 * allocations (a third of them for the binfmt.d rules), and that was 16
 * page faults and about a tenth of the launch (bench/launch.sh).  This one
 * takes them from the heap after uexec's image, as glibc's does:
 *
 *   - a request up to SMALL_MAX bytes is rounded up to a power-of-two class
 *     (16 bytes to SMALL_MAX) and served from that class's free list, or
 *     else cut from the break, which grows HEAP_STEP at a time;
 *   - a larger one, or any when the break cannot grow, is a mapping of its
 *     own, unmapped by free();
 *   - each block has a 16-byte header before it: its class, or the length
 *     and start of its mapping (a length is never below CLASSES); every
 *     pointer returned is 16-byte aligned.
 *
 * Freed small blocks go back to their class's list and are never returned
 * to the kernel: the CLI's process ends in an exec or an exit.  Single-
 * threaded, as the CLI is (nothing here is safe in a signal handler or
 * from a second thread).  Failure is NULL with errno ENOMEM.  Compiled with
 * -fno-builtin: the compiler would turn calloc's malloc and memset into a
 * call of calloc.
 */
#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ALIGN 16UL
#define MIN_SHIFT 4		/* the smallest class: 16 bytes */
#define CLASSES 14		/* 16 bytes .. 128 KiB */
#define SMALL_MAX (ALIGN << (CLASSES - 1))
#define HEAP_STEP (256UL << 10)

struct header {
	size_t tag;		/* the class; else the length of the block's mapping */
	void *base;		/* a mapped block's: its mapping's start */
};
#define MAPPED(h) ((h)->tag >= CLASSES)

static struct {
	uintptr_t cur, end;	/* the unused part of the heap */
	void *free[CLASSES];	/* each class's freed blocks, linked through them */
	int no_brk;		/* the break would not grow: mappings only */
} heap;

static struct header *header_of(void *p)
{
	return (struct header *)p - 1;
}

static size_t class_of(size_t n)
{
	size_t cls = 0;

	while ((ALIGN << cls) < n)
		cls++;
	return cls;
}

static int heap_grow(size_t need)
{
	size_t step = need > HEAP_STEP ? need : HEAP_STEP;
	uintptr_t want;

	if (heap.no_brk)
		return -1;
	if (!heap.end) {
		heap.cur = heap.end = (uintptr_t)syscall(SYS_brk, 0);
		heap.cur = heap.end = (heap.end + ALIGN - 1) & ~(ALIGN - 1);
	}
	want = heap.end + step;
	if (want < heap.end || (uintptr_t)syscall(SYS_brk, want) != want) {
		heap.no_brk = 1;
		return -1;
	}
	heap.end = want;	/* the break grows in place: cur..end stays whole */
	return 0;
}

static void *mapped_alloc(size_t n, size_t align)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t len = sizeof(struct header) + n + (align > ALIGN ? align : 0);
	uintptr_t base, p;
	struct header *h;

	if (len < n)
		goto nomem;
	len = (len + page - 1) & ~(page - 1);
	base = (uintptr_t)mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if ((void *)base == MAP_FAILED)
		goto nomem;
	p = base + sizeof(struct header);
	if (align > ALIGN)
		p = (p + align - 1) & ~(align - 1);
	h = header_of((void *)p);
	h->tag = len;
	h->base = (void *)base;
	return (void *)p;
nomem:
	errno = ENOMEM;
	return NULL;
}

static void *small_alloc(size_t cls)
{
	size_t size = sizeof(struct header) + (ALIGN << cls);
	struct header *h;
	void *p = heap.free[cls];

	if (p) {
		heap.free[cls] = *(void **)p;
		return p;
	}
	if (heap.end - heap.cur < size && heap_grow(size))
		return NULL;
	h = (struct header *)heap.cur;
	heap.cur += size;
	h->tag = cls;
	return h + 1;
}

void *malloc(size_t n)
{
	void *p;

	if (n <= SMALL_MAX) {
		p = small_alloc(class_of(n ? n : 1));
		if (p)
			return p;
	}
	return mapped_alloc(n, ALIGN);
}

void free(void *p)
{
	struct header *h;

	if (!p)
		return;
	h = header_of(p);
	if (MAPPED(h)) {
		munmap(h->base, h->tag);
		return;
	}
	*(void **)p = heap.free[h->tag];
	heap.free[h->tag] = p;
}

static size_t capacity(void *p)
{
	struct header *h = header_of(p);

	if (!MAPPED(h))
		return ALIGN << h->tag;
	return h->tag - (size_t)((char *)p - (char *)h->base);
}

void *calloc(size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(count * size);
	/* A fresh mapping is zero already. */
	if (p && !MAPPED(header_of(p)))
		memset(p, 0, count * size);
	return p;
}

void *realloc(void *old, size_t n)
{
	size_t have;
	void *p;

	if (!old)
		return malloc(n);
	have = capacity(old);
	if (n <= have && (MAPPED(header_of(old)) || n > have / 2 || have == ALIGN))
		return old;
	p = malloc(n);
	if (!p)
		return NULL;
	memcpy(p, old, n < have ? n : have);
	free(old);
	return p;
}

void *aligned_alloc(size_t align, size_t n)
{
	if (!align || (align & (align - 1))) {
		errno = EINVAL;
		return NULL;
	}
	return align <= ALIGN ? malloc(n) : mapped_alloc(n, align);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	p = aligned_alloc(align, n);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

void *memalign(size_t align, size_t n)
{
	return aligned_alloc(align, n);
}

size_t malloc_usable_size(void *p)
{
	return p ? capacity(p) : 0;
}
