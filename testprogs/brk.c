/* SPDX-License-Identifier: MIT */
/*
 * brk: where the heap starts and that it grows.  The kernel puts start_brk
 * right after the program's bss (page-aligned); with brk randomisation
 * (randomize_va_space 2, no ADDR_NO_RANDOMIZE) one page further plus up to
 * 1 GiB, and for a static PIE at ELF_ET_DYN_BASE plus up to 1 GiB instead.
 * start_brk is read from /proc/self/stat (libc may have moved brk since).
 * Then sbrk(1 MiB) must give zeroed, writable memory shown as [heap].
 */
#include <elf.h>
#include <sys/auxv.h>
#include <sys/personality.h>
#include <unistd.h>

#include "check.h"
#include "layout_arch.h"

/* The kernel's page size (4, 16 or 64 KiB on arm64). */
#define PAGE getauxval(AT_PAGESZ)
#define GIB (1UL << 30)
/* load_elf_binary() puts a static PIE's brk at ELF_PAGEALIGN(ELF_ET_DYN_BASE)
 * (randomize_page() then adds to that). */
#define ELF_ET_DYN_BASE ((layout_elf_et_dyn_base() + PAGE - 1) & ~(PAGE - 1))

extern char end[];
extern const Elf64_Ehdr __ehdr_start;

/* Field 47 of /proc/self/stat (start_brk); 0 when unreadable. */
static unsigned long read_start_brk(void)
{
	static char buf[4096];
	unsigned long v = 0;
	FILE *f = fopen("/proc/self/stat", "re");
	char *p;
	size_t n;
	int field = 2;

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');		/* the comm may hold spaces */
	while (p && field < 47) {
		p = strchr(p + 1, ' ');
		field++;
	}
	if (p)
		v = strtoul(p + 1, NULL, 10);
	return v;
}

static int brk_randomised(void)
{
	FILE *f = fopen("/proc/sys/kernel/randomize_va_space", "re");
	int va = 2;

	if (f) {
		if (fscanf(f, "%d", &va) != 1)
			va = 2;
		fclose(f);
	}
	return va > 1 && !(personality(0xffffffff) & ADDR_NO_RANDOMIZE);
}

static int has_interp(void)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);

	for (unsigned long i = 0; ph && i < getauxval(AT_PHNUM); i++)
		if (ph[i].p_type == PT_INTERP)
			return 1;
	return 0;
}

/*
 * Without randomisation start_brk is the page after the bss; but since
 * Linux 6.10 a static PIE's is at ELF_ET_DYN_BASE even then.  Either is
 * accepted here and printed, so that the harness sees uexec choose as the
 * kernel does.  Returns start_brk.
 */
static unsigned long check_start_brk(int static_pie)
{
	unsigned long start_brk = read_start_brk();
	uintptr_t after_bss = ((uintptr_t)end + PAGE - 1) & ~(PAGE - 1), lo;

	if (!CHECK(start_brk, "cannot read start_brk from /proc/self/stat"))
		return 0;
	CHECK(start_brk % PAGE == 0, "start_brk is not page-aligned");
	if (!brk_randomised()) {
		if (static_pie && start_brk == ELF_ET_DYN_BASE) {
			printf("start_brk: at ELF_ET_DYN_BASE\n");
			return start_brk;
		}
		CHECK(start_brk == after_bss, "start_brk is not the page after the bss "
		      "(off by %ld pages)", (long)(start_brk - after_bss) / (long)PAGE);
		printf("start_brk: right after the bss\n");
		return start_brk;
	}
	lo = static_pie ? ELF_ET_DYN_BASE : after_bss + PAGE;
	CHECK(start_brk >= lo && start_brk < lo + GIB, "start_brk is not in the "
	      "kernel's randomisation range (%s)", static_pie ? "ELF_ET_DYN_BASE + 1 GiB" :
	      "a page after the bss + 1 GiB");
	printf("start_brk: in the randomisation range\n");
	return start_brk;
}

struct heap_find {
	uintptr_t lo, hi;
};

static int heap_cb(const struct map_line *m, void *arg)
{
	struct heap_find *h = arg;

	return !strcmp(m->path, "[heap]") && m->lo <= h->lo && h->hi <= m->hi;
}

static void check_growth(unsigned long start_brk)
{
	const size_t len = 1UL << 20;
	char *cur = sbrk(0), *p = sbrk((intptr_t)len);
	struct heap_find h;
	size_t bad = 0;

	if (!CHECK(p != (void *)-1, "sbrk(1 MiB) failed"))
		return;
	CHECK(p == cur, "sbrk did not return the old break");
	CHECK((char *)sbrk(0) == p + len, "the break did not move by 1 MiB");
	CHECK((uintptr_t)p >= start_brk, "the heap is below start_brk");
	for (size_t i = 0; i < len; i++)
		bad += p[i] != 0;
	CHECK(bad == 0, "%zu bytes of new heap are not zero", bad);
	memset(p, 0x5a, len);
	CHECK(p[0] == 0x5a && p[len - 1] == 0x5a, "the heap is not writable");
	h.lo = (uintptr_t)p;
	h.hi = (uintptr_t)p + len;
	CHECK(maps_walk(heap_cb, &h) == 1, "the grown heap is not shown as [heap]");
}

int main(void)
{
	int static_pie = __ehdr_start.e_type == ET_DYN && !has_interp();

	check_growth(check_start_brk(static_pie));
	return check_exit();
}
