/* SPDX-License-Identifier: MIT */
/*
 * layout.c (brk placement, free-range probes) and mm.c (a plan's mapping
 * steps and their undo), checked against /proc/self/maps.
 *
 * The mm tests work in a region the test first finds free: it maps a
 * large PROT_NONE probe and unmaps it again, so nothing of the process
 * lies there.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#include "archdep.h"
#include "binprm.h"
#include "debug.h"
#include "exec.h"
#include "execve.h"
#include "stack.h"
#include "mm.h"
#include "auxv.h"
#include "layout.h"
#include "mapsread.h"
#include "unit.h"

#define PG UEXEC_PAGE_SIZE
#define MIB (1UL << 20)
#define GIB (1UL << 30)
#define PAGE_ALIGN(x) (((uintptr_t)(x) + PG - 1) & ~(PG - 1))

/* ------------------------------------------------------------------ */
/* /proc/self/maps */

struct vma {
	uintptr_t start, end;
	char perms[5];
	bool growsdown;		/* "gd" in smaps' VmFlags */
};

/* The mapping that contains ADDR: true and *V, or false. */
static bool find_vma(uintptr_t addr, struct vma *v)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char line[512];
	bool in = false, found = false;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long s, e;
		char perms[5];

		if (sscanf(line, "%lx-%lx %4s ", &s, &e, perms) == 3 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			if (found)
				break;
			in = addr >= s && addr < e;
			if (in) {
				found = true;
				v->start = s;
				v->end = e;
				memcpy(v->perms, perms, sizeof(perms));
				v->growsdown = false;
			}
		} else if (in && strncmp(line, "VmFlags:", 8) == 0) {
			v->growsdown = strstr(line, " gd") != NULL;
		}
	}
	fclose(f);
	return found;
}

/* Nothing at all is mapped in [addr, addr+len). */
static void ck_unmapped(uintptr_t addr, size_t len)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long s, e;

		if (sscanf(line, "%lx-%lx ", &s, &e) == 2)
			ck_assert_msg(e <= addr || s >= addr + len, "%#lx-%#lx is "
				      "still mapped: %s", (unsigned long)addr,
				      (unsigned long)(addr + len), line);
	}
	fclose(f);
}

/* [addr, addr+len) is exactly one mapping with PERMS. */
static void ck_vma(uintptr_t addr, size_t len, const char *perms)
{
	struct vma v;

	ck_assert_msg(find_vma(addr, &v), "nothing mapped at %#lx", (unsigned long)addr);
	ck_assert_msg(v.start == addr && v.end == addr + len, "mapping %#lx-%#lx, "
		      "expected %#lx-%#lx", (unsigned long)v.start, (unsigned long)v.end,
		      (unsigned long)addr, (unsigned long)(addr + len));
	ck_assert_str_eq(v.perms, perms);
}

/* LEN free bytes, with a free page on each side. */
static uintptr_t free_region(size_t len)
{
	void *p = mmap(NULL, len + 2 * PG, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	ck_assert(p != MAP_FAILED);
	ck_assert_int_eq(munmap(p, len + 2 * PG), 0);
	return (uintptr_t)p + PG;
}

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/*
 * Does mmap() honour MAP_FIXED_NOREPLACE here?  Linux >= 4.17 does;
 * valgrind (3.19) treats it as a hint and maps elsewhere, so the tests of
 * clashes cannot work under it and say so instead.
 */
static bool noreplace_honoured(void)
{
	void *a = mmap(NULL, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *b;
	bool ok;

	ck_assert(a != MAP_FAILED);
	b = mmap(a, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		 -1, 0);
	ok = b == MAP_FAILED && errno == EEXIST;
	if (b != MAP_FAILED)
		munmap(b, PG);
	munmap(a, PG);
	if (!ok)
		printf("# MAP_FIXED_NOREPLACE is not honoured (valgrind?): "
		       "clash test not run\n");
	return ok;
}

/* ------------------------------------------------------------------ */
/* uexec_layout_brk */

static void no_random(struct uexec_layout *lay)
{
	memset(lay, 0, sizeof(*lay));
}

START_TEST(brk_exec)
{
	struct uexec_layout lay;

	/* The end of the bss rounded up to the machine's page (0x4c6000 with
	 * 4 KiB pages). */
	no_random(&lay);
	if (UEXEC_PAGE_SIZE == 4096)
		ck_assert_uint_eq(PAGE_ALIGN(0x4c5123), 0x4c6000);
	ck_assert_uint_eq(uexec_layout_brk(&lay, 0x4c5123, 0), PAGE_ALIGN(0x4c5123));
	ck_assert_uint_eq(uexec_layout_brk(&lay, 0x4c5001, 0), PAGE_ALIGN(0x4c5001));
	ck_assert_uint_eq(uexec_layout_brk(&lay, PAGE_ALIGN(0x4c5123), 0), PAGE_ALIGN(0x4c5123));
	/* A dynamically linked PIE's brk follows its bss too. */
	ck_assert_uint_eq(uexec_layout_brk(&lay, 0x555555559010, 0), PAGE_ALIGN(0x555555559010));
}
END_TEST

START_TEST(brk_static_pie)
{
	struct uexec_layout lay;
	uintptr_t want = PAGE_ALIGN(UEXEC_ELF_ET_DYN_BASE);

	no_random(&lay);
	if (UEXEC_ELF_MACHINE == EM_X86_64)
		ck_assert_uint_eq(want, 0x555555555000UL);	/* 47 bits */
	ck_assert_uint_eq(uexec_layout_brk(&lay, 0x7f0000012345, 1), want);
	ck_assert_uint_eq(uexec_layout_brk(&lay, 0x3000, 1), want);
}
END_TEST

START_TEST(brk_randomized)
{
	const uintptr_t elf_brk = 0x4c5123, base = PAGE_ALIGN(elf_brk);
	struct uexec_layout lay;
	uintptr_t first = 0;
	bool differ = false;

	no_random(&lay);
	lay.randomize = lay.randomize_brk = 1;
	lay.va_space = 2;
	for (int i = 0; i < 200; i++) {
		uintptr_t b = uexec_layout_brk(&lay, elf_brk, 0);

		ck_assert_uint_eq(b % PG, 0);
		/* A page of gap after the bss, then 0..1 GiB of pages. */
		ck_assert_uint_gt(b, base);
		ck_assert_uint_ge(b, base + PG);
		ck_assert_uint_lt(b, base + PG + GIB);
		if (i == 0)
			first = b;
		else if (b != first)
			differ = true;
	}
	ck_assert_msg(differ, "200 randomised brks were all %#lx", (unsigned long)first);
}
END_TEST

START_TEST(brk_randomized_static_pie)
{
	const uintptr_t base = PAGE_ALIGN(UEXEC_ELF_ET_DYN_BASE);
	struct uexec_layout lay;

	no_random(&lay);
	lay.randomize = lay.randomize_brk = 1;
	lay.va_space = 2;
	for (int i = 0; i < 200; i++) {
		uintptr_t b = uexec_layout_brk(&lay, 0x7f0000012345, 1);

		/* Moved to ELF_ET_DYN_BASE: no extra gap page there. */
		ck_assert_uint_eq(b % PG, 0);
		ck_assert_uint_ge(b, base);
		ck_assert_uint_lt(b, base + GIB);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* uexec_layout_range_free, uexec_layout_find_free */

START_TEST(range_free_probe)
{
	uintptr_t a = free_region(3 * PG);
	void *p;

	ck_assert_int_eq(uexec_layout_range_free(a, 3 * PG), 1);
	ck_unmapped(a, 3 * PG);		/* the probe left nothing behind */

	p = mmap((void *)(a + PG), 2 * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	ck_assert(p == (void *)(a + PG));
	memset(p, 0x5a, 2 * PG);
	ck_assert_int_eq(uexec_layout_range_free(a + PG, 2 * PG), 0);
	ck_assert_int_eq(uexec_layout_range_free(a + 2 * PG, PG), 0);
	ck_assert_int_eq(uexec_layout_range_free(a, 2 * PG), 0);	/* partly */
	ck_assert_int_eq(uexec_layout_range_free(a, PG), 1);
	/* The probes did not touch what is mapped. */
	ck_vma(a + PG, 2 * PG, "rw-p");
	ck_assert_uint_eq(((unsigned char *)p)[PG + 7], 0x5a);
	ck_unmapped(a, PG);

	ck_assert_int_eq(munmap(p, 2 * PG), 0);
	ck_assert_int_eq(uexec_layout_range_free(a + PG, 2 * PG), 1);
	ck_assert_int_eq(uexec_layout_range_free(a, 3 * PG), 1);
	ck_unmapped(a, 3 * PG);
}
END_TEST

START_TEST(find_free_aligned)
{
	const size_t size = 3 * MIB + 5 * PG;
	const uintptr_t align = 2 * MIB;

	for (int i = 0; i < 8; i++) {
		uintptr_t a = uexec_layout_find_free(size, align);

		ck_assert_uint_ne(a, 0);
		ck_assert_uint_eq(a % align, 0);
		ck_assert_uint_lt(a + size, UEXEC_TASK_SIZE);
		ck_unmapped(a, size);
		ck_assert_int_eq(uexec_layout_range_free(a, size), 1);
	}
	/* No alignment asked: page alignment. */
	{
		uintptr_t a = uexec_layout_find_free(5 * PG, 0);

		ck_assert_uint_ne(a, 0);
		ck_assert_uint_eq(a % PG, 0);
		ck_unmapped(a, 5 * PG);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* Plans */

/* mm.c's record of the plan being applied (one plan at a time). */
static struct uexec_mm mm;

static struct uexec_plan *plan_new(void)
{
	struct uexec_plan *plan = calloc(1, sizeof(*plan));

	ck_assert_ptr_nonnull(plan);
	uexec_plan_init(plan);
	memset(&mm, 0, sizeof(mm));
	return plan;
}

static void plan_done(struct uexec_plan *plan)
{
	uexec_mm_free(&mm);
	uexec_plan_free(plan);
	free(plan);
}

START_TEST(plan_add_map_limit)
{
	struct uexec_plan *plan = plan_new();

	for (size_t i = 0; i < UEXEC_MAX_MAPS; i++)
		ck_assert_int_eq(uexec_plan_add_map(plan, UEXEC_MAP_ANON, 0x10000 + i * PG,
						    PG, PROT_READ, -1, 0, "exe"), 0);
	ck_assert_uint_eq(plan->nmaps, UEXEC_MAX_MAPS);
	ck_assert_int_lt(uexec_plan_add_map(plan, UEXEC_MAP_ANON, 0x900000, PG,
					    PROT_READ, -1, 0, "exe"), 0);
	ck_assert_uint_eq(plan->nmaps, UEXEC_MAX_MAPS);
	/* The steps are recorded as given, in order. */
	ck_assert_int_eq(plan->maps[0].kind, UEXEC_MAP_ANON);
	ck_assert_uint_eq(plan->maps[0].addr, 0x10000);
	ck_assert_uint_eq(plan->maps[UEXEC_MAX_MAPS - 1].addr,
			  0x10000 + (UEXEC_MAX_MAPS - 1) * PG);
	ck_assert_uint_eq(plan->maps[UEXEC_MAX_MAPS - 1].len, PG);
	ck_assert_int_eq(plan->maps[UEXEC_MAX_MAPS - 1].prot, PROT_READ);
	ck_assert_pstr_eq(plan->maps[UEXEC_MAX_MAPS - 1].what, "exe");
	plan_done(plan);
}
END_TEST

/* RESERVE 16 pages at BASE, ANON rw pages 4..7 in it, STACK 16 rw pages at
 * BASE + 8 MiB with a 64-byte image at its top. */
static void simple_plan(struct uexec_plan *plan, uintptr_t base)
{
	uintptr_t stack = base + 8 * MIB;

	ck_assert_int_eq(uexec_plan_add_map(plan, UEXEC_MAP_RESERVE, base, 16 * PG,
					    PROT_NONE, -1, 0, "exe"), 0);
	ck_assert_int_eq(uexec_plan_add_map(plan, UEXEC_MAP_ANON, base + 4 * PG, 4 * PG,
					    PROT_READ | PROT_WRITE, -1, 0, "exe"), 0);
	ck_assert_int_eq(uexec_plan_add_map(plan, UEXEC_MAP_STACK, stack, 16 * PG,
					    PROT_READ | PROT_WRITE, -1, 0, "stack"), 0);
	plan->stack.top = stack + 16 * PG;
	plan->stack.size = 64;
	plan->stack.sp = plan->stack.top - 64;
	plan->stack.image = malloc(64);
	ck_assert_ptr_nonnull(plan->stack.image);
	for (int i = 0; i < 64; i++)
		plan->stack.image[i] = (unsigned char)(0xc0 + i);
}

START_TEST(plan_map_unmap)
{
	uintptr_t base = free_region(8 * MIB + 16 * PG);
	uintptr_t stack = base + 8 * MIB;
	struct uexec_plan *plan = plan_new();
	char err[256] = "";
	struct vma v;
	int ret;

	simple_plan(plan, base);
	ret = uexec_mm_map(plan, &mm, err, sizeof(err));
	ck_assert_msg(ret == 0, "uexec_plan_map: %d (%s)", ret, err);
	ck_assert_uint_eq(mm.nmapped, 3);

	ck_vma(base, 4 * PG, "---p");
	ck_vma(base + 4 * PG, 4 * PG, "rw-p");
	ck_vma(base + 8 * PG, 8 * PG, "---p");
	ck_vma(stack, 16 * PG, "rw-p");
	ck_assert(find_vma(stack, &v));
	ck_assert_msg(v.growsdown, "the stack is not MAP_GROWSDOWN");
	/* The bss is zeroed and writable; the stack image is in place. */
	for (size_t i = 0; i < 4 * PG; i += 512)
		ck_assert_uint_eq(((unsigned char *)base)[4 * PG + i], 0);
	((unsigned char *)base)[4 * PG + 1] = 1;
	ck_assert_mem_eq((void *)plan->stack.sp, plan->stack.image, 64);

	uexec_mm_unmap(plan, &mm);
	ck_assert_uint_eq(mm.nmapped, 0);
	ck_unmapped(base, 16 * PG);
	ck_unmapped(stack, 16 * PG);
	ck_assert_int_eq(uexec_layout_range_free(base, 16 * PG), 1);
	ck_assert_int_eq(uexec_layout_range_free(stack, 16 * PG), 1);
	plan_done(plan);
}
END_TEST

START_TEST(plan_map_hole)
{
	uintptr_t base = free_region(16 * PG);
	struct uexec_plan *plan = plan_new();
	char err[256] = "";

	/* An ET_DYN image's hole between two segments. */
	ck_assert_int_eq(uexec_plan_add_map(plan, UEXEC_MAP_RESERVE, base, 16 * PG,
					    PROT_NONE, -1, 0, "exe"), 0);
	ck_assert_int_eq(uexec_plan_add_map(plan, UEXEC_MAP_ANON, base, 4 * PG,
					    PROT_READ, -1, 0, "exe"), 0);
	ck_assert_int_eq(uexec_plan_add_map(plan, UEXEC_MAP_UNMAP, base + 4 * PG, 8 * PG,
					    PROT_NONE, -1, 0, "exe"), 0);
	ck_assert_int_eq(uexec_plan_add_map(plan, UEXEC_MAP_ANON, base + 12 * PG, 4 * PG,
					    PROT_READ | PROT_WRITE, -1, 0, "exe"), 0);
	ck_assert_int_eq(uexec_mm_map(plan, &mm, err, sizeof(err)), 0);
	ck_vma(base, 4 * PG, "r--p");
	ck_unmapped(base + 4 * PG, 8 * PG);
	ck_vma(base + 12 * PG, 4 * PG, "rw-p");
	uexec_mm_unmap(plan, &mm);
	ck_unmapped(base, 16 * PG);
	plan_done(plan);
}
END_TEST

/* The caller's own memory: LEN rw bytes at ADDR, all BYTE. */
static void *map_mine(uintptr_t addr, size_t len, unsigned char byte)
{
	void *p = mmap((void *)addr, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	ck_assert(p == (void *)addr);
	memset(p, byte, len);
	return p;
}

/* ... is as it was, and goes away. */
static void ck_mine_intact_unmap(void *p, size_t len, unsigned char byte)
{
	ck_vma((uintptr_t)p, len, "rw-p");
	for (size_t i = 0; i < len; i += 256)
		ck_assert_uint_eq(((unsigned char *)p)[i], byte);
	ck_assert_int_eq(munmap(p, len), 0);
}

/*
 * A reservation (with a bss in it) over two pages of the caller's memory:
 * the kernel's exec would have that range free, so uexec builds the image
 * at a staging address instead (moved into place after the point of no
 * return).  The caller's memory is not touched, and the undo removes the
 * staged copy.
 */
START_TEST(plan_map_stage_reserve)
{
	uintptr_t base = free_region(32 * MIB);
	uintptr_t mine = base + 16 * MIB, want = mine - 2 * PG;
	struct uexec_plan *plan;
	char err[256] = "";
	uintptr_t stage;
	void *p;
	int ret;

	if (!noreplace_honoured())
		return;
	plan = plan_new();
	p = map_mine(mine, 4 * PG, 0x3c);
	ck_assert_int_eq(uexec_plan_add_map(plan, UEXEC_MAP_RESERVE, want, 8 * PG,
					    PROT_NONE, -1, 0, "interp"), 0);
	ck_assert_int_eq(uexec_plan_add_map(plan, UEXEC_MAP_ANON, want, 4 * PG,
					    PROT_READ | PROT_WRITE, -1, 0, "interp"), 0);
	ret = uexec_mm_map(plan, &mm, err, sizeof(err));
	ck_assert_msg(ret == 0, "uexec_plan_map: %d (%s)", ret, err);
	ck_assert_uint_eq(mm.nmapped, 2);

	stage = mm.stage[0];
	ck_assert_uint_ne(stage, 0);
	ck_assert_uint_eq(stage % PG, 0);
	ck_assert_msg(stage + 8 * PG <= want || stage >= want + 8 * PG,
		      "staged at %#lx, inside the final range", (unsigned long)stage);
	ck_vma(stage, 4 * PG, "rw-p");
	ck_vma(stage + 4 * PG, 4 * PG, "---p");
	ck_unmapped(want, 2 * PG);
	ck_unmapped(mine + 4 * PG, 2 * PG);
	ck_vma(mine, 4 * PG, "rw-p");
	ck_assert_uint_eq(((unsigned char *)mine)[0], 0x3c);	/* not the bss */

	uexec_mm_unmap(plan, &mm);
	ck_assert_uint_eq(mm.nmapped, 0);
	ck_unmapped(stage, 8 * PG);
	ck_unmapped(want, 2 * PG);
	ck_mine_intact_unmap(p, 4 * PG, 0x3c);
	plan_done(plan);
}
END_TEST

/* The same for the stack: staged, with its image at the staged sp. */
START_TEST(plan_map_stage_stack)
{
	uintptr_t base = free_region(32 * MIB);
	uintptr_t mine = base + 16 * MIB, want = mine - 12 * PG;
	struct uexec_plan *plan;
	char err[256] = "";
	uintptr_t stage;
	struct vma v;
	void *p;
	int ret;

	if (!noreplace_honoured())
		return;
	plan = plan_new();
	p = map_mine(mine, 4 * PG, 0x77);
	ck_assert_int_eq(uexec_plan_add_map(plan, UEXEC_MAP_STACK, want, 16 * PG,
					    PROT_READ | PROT_WRITE, -1, 0, "stack"), 0);
	plan->stack.top = want + 16 * PG;
	plan->stack.size = 64;
	plan->stack.sp = plan->stack.top - 64;
	plan->stack.image = malloc(64);
	ck_assert_ptr_nonnull(plan->stack.image);
	memset(plan->stack.image, 0xd5, 64);
	ret = uexec_mm_map(plan, &mm, err, sizeof(err));
	ck_assert_msg(ret == 0, "uexec_plan_map: %d (%s)", ret, err);

	stage = mm.stage[0];
	ck_assert_uint_ne(stage, 0);
	ck_vma(stage, 16 * PG, "rw-p");
	ck_assert(find_vma(stage, &v));
	ck_assert_msg(v.growsdown, "the staged stack is not MAP_GROWSDOWN");
	ck_assert_mem_eq((void *)(stage + 16 * PG - 64), plan->stack.image, 64);
	ck_unmapped(want, 12 * PG);
	ck_vma(mine, 4 * PG, "rw-p");
	ck_assert_uint_eq(((unsigned char *)mine)[4 * PG - 1], 0x77);

	uexec_mm_unmap(plan, &mm);
	ck_unmapped(stage, 16 * PG);
	ck_unmapped(want, 12 * PG);
	ck_mine_intact_unmap(p, 4 * PG, 0x77);
	plan_done(plan);
}
END_TEST

/* Map a plan whose last step cannot be: -EEXIST with "overlaps", and the
 * undo leaves nothing of the plan mapped in [base, base+len). */
static void ck_refused_clean(struct uexec_plan *plan, uintptr_t base, size_t len)
{
	char err[256] = "";

	ck_assert_int_eq(uexec_mm_map(plan, &mm, err, sizeof(err)), -EEXIST);
	ck_assert_msg(strstr(err, "overlaps") != NULL, "reason: \"%s\"", err);
	ck_assert_uint_eq(mm.nmapped, plan->nmaps - 1);
	uexec_mm_unmap(plan, &mm);
	ck_assert_uint_eq(mm.nmapped, 0);
	ck_unmapped(base, len);
	ck_assert_int_eq(uexec_layout_range_free(base, len), 1);
}

/* Two parts of the new image on the same addresses. */
START_TEST(plan_map_self_overlap)
{
	uintptr_t base = free_region(32 * PG);
	struct uexec_plan *plan;

	if (!noreplace_honoured())
		return;
	plan = plan_new();
	ck_assert_int_eq(uexec_plan_add_map(plan, UEXEC_MAP_RESERVE, base, 16 * PG,
					    PROT_NONE, -1, 0, "exe"), 0);
	ck_assert_int_eq(uexec_plan_add_map(plan, UEXEC_MAP_ANON, base, 4 * PG,
					    PROT_READ | PROT_WRITE, -1, 0, "exe"), 0);
	ck_assert_int_eq(uexec_plan_add_map(plan, UEXEC_MAP_RESERVE, base + 8 * PG,
					    16 * PG, PROT_NONE, -1, 0, "interp"), 0);
	ck_refused_clean(plan, base, 32 * PG);
	plan_done(plan);
}
END_TEST

/* The vDSO stays after an exec: a segment on it cannot be. */
START_TEST(plan_map_vdso_overlap)
{
	uintptr_t vdso = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
	uintptr_t base = free_region(16 * PG);
	struct uexec_plan *plan;

	if (!vdso || !noreplace_honoured())
		return;
	plan = plan_new();
	ck_assert_int_eq(uexec_plan_add_map(plan, UEXEC_MAP_RESERVE, base, 16 * PG,
					    PROT_NONE, -1, 0, "exe"), 0);
	ck_assert_int_eq(uexec_plan_add_map(plan, UEXEC_MAP_RESERVE, vdso - 2 * PG,
					    4 * PG, PROT_NONE, -1, 0, "interp"), 0);
	ck_refused_clean(plan, base, 16 * PG);
	plan_done(plan);
}
END_TEST

/* The kernel's mappings from /proc/self/maps' text, in address order. */
static size_t text_kernel_maps(uintptr_t (*out)[2], size_t max)
{
	struct uexec_maps_reader rd;
	struct uexec_maps_entry e;
	size_t n = 0;

	if (uexec_maps_open(&rd))
		return 0;
	while (uexec_maps_next(&rd, &e) > 0)
		if (uexec_maps_is_kernel(&e) && n < max) {
			out[n][0] = e.lo;
			out[n++][1] = e.hi;
		}
	uexec_maps_close(&rd);
	return n;
}

/* PROCMAP_QUERY's answer (where the kernel has it) is the text's [vdso]
 * and [vvar...] lines, and so is what the final stage keeps of them; the
 * kernel's mappings are all that is not uexec's where the maps answered
 * the query (the kernel's own file) or the arch has no foreign mappings. */
START_TEST(kernel_maps_query_is_text)
{
	uintptr_t text[8][2], asked[8][2], kept[8][2];
	size_t nt = text_kernel_maps(text, 8), nk;
	struct uexec_maps_reader rd;
	int nq;

	ck_assert_int_eq(uexec_maps_open(&rd), 0);
	nq = uexec_maps_query_kernel(&rd, (uintptr_t)getauxval(AT_SYSINFO_EHDR), asked, 8);
	uexec_maps_close(&rd);
	if (nq >= 0) {
		ck_assert_uint_eq((size_t)nq, nt);
		ck_assert_mem_eq(asked, text, nt * sizeof(text[0]));
	}
	nk = uexec_layout_kernel_maps(kept, 8);
	ck_assert(uexec_layout_kernel_maps_complete() ==
		  (nq >= 0 || !uexec_arch_has_foreign_mappings()));
	ck_assert_uint_eq(nk, nt);
	ck_assert_mem_eq(kept, text, nt * sizeof(text[0]));
}
END_TEST

/* A sysctl file's value as uexec_layout_sysctl() reads it: the number the
 * kernel prints, the default for what is not a number. */
static long sysctl_of(const char *text, long dflt)
{
	char path[] = "/tmp/uexec-unit-sysctl-XXXXXX";
	int fd = mkstemp(path);
	long v;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	v = uexec_layout_sysctl(path, dflt);
	unlink(path);
	return v;
}

START_TEST(sysctl_values)
{
	ck_assert_int_eq(sysctl_of("2\n", -7), 2);
	ck_assert_int_eq(sysctl_of("28\n", -7), 28);
	ck_assert_int_eq(sysctl_of("0\n", -7), 0);
	ck_assert_int_eq(sysctl_of("-1\n", -7), -1);
	ck_assert_int_eq(sysctl_of("\t 65530\n", -7), 65530);
	ck_assert_int_eq(sysctl_of("", -7), -7);
	ck_assert_int_eq(sysctl_of("\n", -7), -7);
	ck_assert_int_eq(sysctl_of("x1\n", -7), -7);
	ck_assert_int_eq(sysctl_of("-\n", -7), -7);
	ck_assert_int_eq(uexec_layout_sysctl("/nonexistent/uexec-unit", 5), 5);
}
END_TEST

Suite *layout_mm_suite(bool known_bugs)
{
	Suite *s = suite_create("layout_mm");
	TCase *tc;

	tc = tcase_create("brk");
	tcase_add_test(tc, brk_exec);
	tcase_add_test(tc, brk_static_pie);
	tcase_add_test(tc, brk_randomized);
	tcase_add_test(tc, brk_randomized_static_pie);
	suite_add_tcase(s, tc);

	tc = tcase_create("probes");
	tcase_add_test(tc, range_free_probe);
	tcase_add_test(tc, find_free_aligned);
	tcase_add_test(tc, kernel_maps_query_is_text);
	tcase_add_test(tc, sysctl_values);
	suite_add_tcase(s, tc);

	tc = tcase_create("plan");
	tcase_add_test(tc, plan_add_map_limit);
	tcase_add_test(tc, plan_map_unmap);
	tcase_add_test(tc, plan_map_hole);
	tcase_add_test(tc, plan_map_stage_reserve);
	tcase_add_test(tc, plan_map_stage_stack);
	tcase_add_test(tc, plan_map_self_overlap);
	tcase_add_test(tc, plan_map_vdso_overlap);
	suite_add_tcase(s, tc);

	(void)known_bugs;
	return s;
}
