/* SPDX-License-Identifier: MIT */
/*
 * Where things go: the kernel's address-space layout decisions for a new
 * exec (ASLR on or off, ELF_ET_DYN_BASE, the brk gap and its randomisation,
 * the stack top), reproduced in userspace.  Only the probes in
 * uexec_layout_find_free() touch the address space, and they undo
 * themselves before returning.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
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
#include "selfmem.h"

/* A sysctl's value: optional blanks, an optional '-', decimal digits; DFLT
 * when there are none.  Not strtol(): its locale tables cost a fork's child
 * a page fault on every launch. */
static long parse_decimal(const char *s, long dflt)
{
	bool neg = false;
	long v = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-')
		neg = true, s++;
	if (*s < '0' || *s > '9')
		return dflt;
	for (; *s >= '0' && *s <= '9' && v < LONG_MAX / 10 - 9; s++)
		v = v * 10 + (*s - '0');
	return neg ? -v : v;
}

long uexec_layout_sysctl(const char *path, long dflt)
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
	return parse_decimal(buf, dflt);
}

/* What the personality, randomize_va_space and the legacy sysctl decide:
 * the kernel's PF_RANDOMIZE and mmap_is_legacy(). */
static void decide(struct uexec_layout *lay)
{
	lay->randomize = lay->va_space > 0 && !(lay->personality & ADDR_NO_RANDOMIZE);
	lay->randomize_brk = lay->randomize && lay->va_space > 1;
	lay->legacy = uexec_arch_mmap_is_legacy(lay->personality, lay->legacy_sysctl,
						lay->rlim_stack == (size_t)-1);
}

void uexec_layout_init(struct uexec_layout *lay, size_t rlim_stack)
{
	int pers = personality(0xffffffff);

	memset(lay, 0, sizeof(*lay));
	lay->rlim_stack = rlim_stack;
	lay->va_space = (int)uexec_layout_sysctl("/proc/sys/kernel/randomize_va_space", 2);
	lay->legacy_sysctl = (int)uexec_layout_sysctl("/proc/sys/vm/legacy_va_layout", 0);
	lay->personality = pers == -1 ? 0 : (unsigned long)pers;
	decide(lay);
}

/* The kernel's PER_CLEAR_ON_SETID (include/uapi/linux/personality.h). */
#define CLEAR_ON_SETID (READ_IMPLIES_EXEC | ADDR_NO_RANDOMIZE | ADDR_COMPAT_LAYOUT | \
			MMAP_PAGE_ZERO)

void uexec_layout_setid(struct uexec_layout *lay)
{
	lay->personality &= ~(unsigned long)CLEAR_ON_SETID;
	decide(lay);
}

unsigned long uexec_layout_random(void)
{
	unsigned long r = 0;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (unsigned long)random() << 31 ^ (unsigned long)random();
	return r;
}

/* The kernel's mmap_rnd_bits (or mmap_rnd_compat_bits) for ABI, read now. */
int uexec_abi_mmap_rnd_bits(const struct uexec_abi *abi)
{
	int bits = (int)uexec_layout_sysctl(abi->mmap_rnd_bits_file, abi->mmap_rnd_bits);

	return bits < 1 || bits > 40 ? abi->mmap_rnd_bits : bits;
}

/* The same for the layout's ABI, read on first use. */
int uexec_layout_mmap_rnd_bits(struct uexec_layout *lay)
{
	const struct uexec_abi *abi = lay->abi ? lay->abi :
				      uexec_arch_abi(UEXEC_ELF_CLASS, UEXEC_ELF_MACHINE);

	if (!lay->mmap_rnd_bits)
		lay->mmap_rnd_bits = uexec_abi_mmap_rnd_bits(abi);
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
	top = own_stack_top();
	if (top)
		return top;
	/* Below the region uexec's own stack may grow into (RLIMIT_STACK and
	 * the guard gap), in the gap the kernel keeps above mmap_base; where
	 * that is taken, anywhere mmap() finds room. */
	{
		int local;
		struct rlimit rl;
		/* The stack the kernel gave uexec (AT_EXECFN is on it; uexec's
		 * work may run on another, main.c). */
		const char *execfn = (const char *)getauxval(AT_EXECFN);
		uintptr_t own = uexec_page_align(execfn ? (uintptr_t)execfn : (uintptr_t)&local);
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
/* Whether fixed_maps came from /proc/self/maps (not from the probes). */
static bool maps_read;
static bool maps_queried;	/* and answered PROCMAP_QUERY: the kernel's */
/* The /proc/self/maps that answered, kept open for the final stage's
 * questions (uexec_layout_take_maps_fd()); owned here until taken or
 * dropped; -1 when none. */
static int kept_maps_fd = -1;

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

/* uexec's own ELF header (the linker's symbol): a static uexec's image. */
extern const char __ehdr_start[] __attribute__((weak, visibility("hidden")));

/* The first mapping the kernel made in uexec's mmap area: its interpreter
 * (a dynamic uexec), or its own image (a static PIE); 0 for a static
 * uexec at fixed addresses, whose first one is the vDSO. */
static uintptr_t first_mapping(void)
{
	uintptr_t base = (uintptr_t)getauxval(AT_BASE);

	if (!base && __ehdr_start && ((const Elf64_Ehdr *)__ehdr_start)->e_type == ET_DYN)
		base = (uintptr_t)__ehdr_start;
	return base;
}

/* The kernel's own mappings (vDSO, vvar) into fixed_maps: asked of
 * /proc/self/maps around the vDSO where it answers PROCMAP_QUERY, else from
 * its text; without /proc from the probes (selfmem.c).  A maps file that
 * answers is the kernel's own (qemu-user's emulated one does not), and the
 * kernel makes no foreign mapping (archdep.h): then none is looked for. */
static void note_kernel_maps(void)
{
	struct uexec_maps_reader rd;
	struct uexec_maps_entry e;
	uintptr_t k[8][2];
	int n;

	nfixed = 0;
	maps_queried = false;
	if (!uexec_maps_open(&rd) &&
	    (n = uexec_maps_query_kernel(&rd, (uintptr_t)getauxval(AT_SYSINFO_EHDR), k, 8)) >= 0) {
		for (nfixed = 0; nfixed < (size_t)n; nfixed++) {
			fixed_maps[nfixed].lo = k[nfixed][0];
			fixed_maps[nfixed].hi = k[nfixed][1];
		}
		maps_read = maps_queried = true;
		kept_maps_fd = rd.fd;	/* once a process: own_mmap_top() */
		return;
	}
	if (rd.fd < 0) {
		nfixed = uexec_selfmem_kernel_maps(k, 8);
		for (size_t i = 0; i < nfixed; i++) {
			fixed_maps[i].lo = k[i][0];
			fixed_maps[i].hi = k[i][1];
		}
		return;
	}
	while (uexec_maps_next(&rd, &e) > 0) {
		if (uexec_maps_is_kernel(&e) &&
		    nfixed < sizeof(fixed_maps) / sizeof(fixed_maps[0])) {
			fixed_maps[nfixed].lo = e.lo;
			fixed_maps[nfixed].hi = e.hi;
			nfixed++;
		}
	}
	maps_read = true;
	uexec_maps_close(&rd);
}

/*
 * The top of the gap above uexec's own image at BASE (LEN bytes): the
 * kernel placed the image as high below mmap_base as its largest p_align
 * allows (an arm64 image, 64 KiB aligned, may end below it), so mmap_base
 * lies in [end, end + align).  The kernel's next mapping, the vDSO block,
 * went to its top when it fitted there.
 */
static uintptr_t above_aligned_image(uintptr_t base, size_t len)
{
	uintptr_t end = base + len, top = end;
	size_t own_align = uexec_selfmem_image_align(base);

	for (size_t i = 0; i < nfixed; i++)
		if (fixed_maps[i].lo >= end && fixed_maps[i].hi <= end + own_align &&
		    fixed_maps[i].hi > top)
			top = fixed_maps[i].hi;
	return top;
}

/*
 * mmap_base in the default top-down layout: the top of the region where
 * the kernel's first top-down mmap() of an exec lands.  The kernel chose it
 * (randomised) when it started uexec, and uexec's first mapping went just
 * below it (first_mapping(), or the vDSO block), so its end is the
 * mmap_base a new exec would get too.  Also notes the kernel's own mappings
 * for uexec_layout_kernel_maps().  0 when it cannot be known.
 */
static uintptr_t own_mmap_top(void)
{
	static uintptr_t cached;
	static int done;
	uintptr_t base = first_mapping(), len;

	if (done)
		return cached;
	done = 1;
	note_kernel_maps();
	len = base ? uexec_selfmem_image_length(base) : 0;
	if (len)
		return cached = below_stack_gap(above_aligned_image(base, len));
	for (size_t i = 0; !base && i < nfixed; i++)
		if (fixed_maps[i].hi > cached)
			cached = fixed_maps[i].hi;
	return cached;
}

/* The kernel's mmap_base() without randomisation: STACK_TOP less
 * RLIMIT_STACK and the guard gap, at least 128 MiB and at most 5/6 of
 * STACK_TOP (mm/util.c); 0 when uexec's stack top is unknown. */
static uintptr_t plain_mmap_base(void)
{
	uintptr_t st = own_stack_top();
	size_t rl = uexec_layout_rlimit_stack(), gap;

	if (!st)
		return 0;
	gap = rl == (size_t)-1 ? (size_t)-1 : rl + 256 * UEXEC_PAGE_SIZE;
	if (gap < (128UL << 20))
		gap = 128UL << 20;
	if (gap > st / 6 * 5)
		gap = st / 6 * 5;
	return uexec_page_align(st - gap);
}

/*
 * The legacy (bottom-up) mmap area's start for the native ABI:
 * mmap_legacy_base(), TASK_UNMAPPED_BASE plus the mmap randomisation.
 * When the kernel started uexec with the legacy layout too, uexec's own
 * interpreter is the area's first mapping and starts there (the same
 * randomisation as a new exec would get); otherwise a fresh offset.
 */
static uintptr_t legacy_base(struct uexec_layout *lay)
{
	uintptr_t lo = UEXEC_TASK_UNMAPPED_BASE, own = first_mapping();
	uintptr_t span = lay->randomize ?
		((1UL << uexec_layout_mmap_rnd_bits(lay)) - 1) * UEXEC_PAGE_SIZE : 0;

	if (own >= lo && own <= lo + span && !uexec_page_offset(own))
		return own;
	return lo + uexec_layout_mmap_rnd(lay);
}

/* Without randomisation mmap_base is the kernel's formula, where TOP (the
 * end of uexec's own image, aligned down to its largest p_align, or of
 * the kernel's mappings) leaves room for it. */
static uintptr_t unrandomised_top(const struct uexec_layout *lay, uintptr_t top)
{
	size_t align = uexec_selfmem_image_align(first_mapping());
	uintptr_t plain = lay->randomize ? 0 : plain_mmap_base();

	return plain >= top && plain < top + align ? plain : top;
}

/*
 * Where the mmap area of the new exec starts its searches: the top
 * (mmap_base) in the default top-down layout, the bottom in the legacy
 * one; the compat ABI's own bases come from the arch.  0 when it cannot
 * be known (then the caller lets mmap() choose).
 */
uintptr_t uexec_layout_mmap_base(struct uexec_layout *lay)
{
	own_mmap_top();	/* the kernel's maps, whatever the ABI */
	if (lay->abi && lay->abi->compat)
		return uexec_arch_compat_mmap_base(lay->abi, lay->legacy, lay->randomize,
						   uexec_layout_mmap_rnd_bits(lay),
						   uexec_layout_random());
	if (lay->legacy)
		return legacy_base(lay);
	return unrandomised_top(lay, own_mmap_top());
}

/* Add [LO, HI) to T (merged into the last range when T is full). */
void uexec_layout_take(struct uexec_taken *t, uintptr_t lo, uintptr_t hi)
{
	uintptr_t *last = t->n ? t->r[t->n - 1] : NULL;

	if (t->n < UEXEC_LAYOUT_MAX_TAKEN) {
		t->r[t->n][0] = lo;
		t->r[t->n++][1] = hi;
		return;
	}
	if (lo < last[0])
		last[0] = lo;
	if (hi > last[1])
		last[1] = hi;
}

/* Does [a, a+len) meet a range of T?  The end of the one it meets, its
 * start in *LO. */
static uintptr_t meets(const struct uexec_taken *t, uintptr_t a, size_t len, uintptr_t *lo)
{
	for (size_t i = 0; i < t->n; i++)
		if (a < t->r[i][1] && t->r[i][0] < a + len) {
			*lo = t->r[i][0];
			return t->r[i][1];
		}
	return 0;
}

/*
 * vm_unmapped_area() in the new exec: the highest LEN bytes below BASE
 * that meet nothing of T (top-down), or the lowest from BASE up to LIMIT
 * (bottom-up, the legacy layout).  Returns 0 when nothing fits.
 */
static uintptr_t search(const struct uexec_taken *t, size_t len, uintptr_t base,
			uintptr_t limit, int bottom_up)
{
	uintptr_t a = bottom_up ? base : base - len, lo, hi;

	if (!base || len > base || (bottom_up && len > limit))
		return 0;
	for (size_t tries = 0; tries <= t->n; tries++) {
		if (bottom_up ? a > limit - len : a < UEXEC_PAGE_SIZE)
			return 0;
		hi = meets(t, a, len, &lo);
		if (!hi)
			return a;
		if (!bottom_up && lo < len)
			return 0;
		a = bottom_up ? hi : lo - len;
	}
	return 0;
}

/*
 * Does the kernel align a mapping of LEN bytes of the file FD at offset
 * OFF to UEXEC_PMD_SIZE (thp_get_unmapped_area(): the file's filesystem
 * asks for it, a 64-bit task, at least one whole aligned PMD of the file
 * in the range)?  Asked of the kernel with two probe mappings of the file
 * one page apart in length: only that alignment puts both on a PMD
 * boundary.  Nothing stays mapped.
 */
int uexec_layout_file_thp(struct uexec_layout *lay, int fd, size_t len, off_t off)
{
	const size_t probe[2] = { UEXEC_PMD_SIZE + UEXEC_PAGE_SIZE,
				  UEXEC_PMD_SIZE + 2 * UEXEC_PAGE_SIZE };
	uintptr_t off_align = (uintptr_t)(off + UEXEC_PMD_SIZE - 1) & ~(UEXEC_PMD_SIZE - 1);
	int aligned = 0;

	if ((lay->abi && lay->abi->compat) || (uintptr_t)off + len <= off_align ||
	    (uintptr_t)off + len - off_align < UEXEC_PMD_SIZE)
		return 0;
	for (int i = 0; i < 2; i++) {
		void *p = mmap(NULL, probe[i], PROT_NONE, MAP_PRIVATE, fd, 0);

		if (p == MAP_FAILED)
			return 0;
		munmap(p, probe[i]);
		aligned += !((uintptr_t)p & (UEXEC_PMD_SIZE - 1));
	}
	return aligned == 2;
}

/*
 * The kernel's first mmap(NULL, LEN) of an image (a static PIE, the
 * interpreter) or of the vDSO in the new exec, whose ranges so far are T:
 * get_unmapped_area() in the layout's direction from its mmap base, with
 * thp_get_unmapped_area()'s padding and PMD alignment when THP (a file at
 * offset 0 that uexec_layout_file_thp() said yes to).  Returns 0 when it
 * cannot be known.
 */
uintptr_t uexec_layout_map_area(struct uexec_layout *lay, const struct uexec_taken *t,
				size_t len, int thp)
{
	uintptr_t base = uexec_layout_mmap_base(lay), a, sub;
	uintptr_t limit = lay->abi ? lay->abi->task_size : UEXEC_TASK_SIZE;

	if (thp && (a = search(t, len + UEXEC_PMD_SIZE, base, limit, lay->legacy))) {
		sub = -a & (UEXEC_PMD_SIZE - 1);
		return !lay->legacy && !sub ? a + UEXEC_PMD_SIZE : a + sub;
	}
	return search(t, len, base, limit, lay->legacy);
}

/*
 * Are the kernel's own mappings (uexec_layout_kernel_maps()) all that is
 * not uexec's below TASK_SIZE?  Yes when /proc/self/maps told them, since
 * no such mapping appears after a process starts, so everything else may
 * go (final_prepare.c).  No without /proc (the probes of selfmem.c may
 * miss one) and, on an arch with foreign mappings, where the maps did not
 * answer PROCMAP_QUERY: an emulator (qemu-user) may also keep pages it does
 * not list (its vDSO).
 */
bool uexec_layout_kernel_maps_complete(void)
{
	own_mmap_top();
	return maps_read && (maps_queried || !uexec_arch_has_foreign_mappings());
}

int uexec_layout_take_maps_fd(void)
{
	int fd = kept_maps_fd;

	kept_maps_fd = -1;
	return fd;
}

void uexec_layout_drop_maps_fd(void)
{
	if (kept_maps_fd >= 0)
		close(kept_maps_fd);
	kept_maps_fd = -1;
}

/* The kernel's own mappings (vDSO and vvar), in address order; valid after
 * uexec_layout_mmap_base(). */
size_t uexec_layout_kernel_maps(uintptr_t (*out)[2], size_t max)
{
	size_t n = 0;

	own_mmap_top();
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
