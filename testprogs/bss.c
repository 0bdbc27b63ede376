/* SPDX-License-Identifier: MIT */
/*
 * bss [--align=N]: the data segment's memory beyond its file bytes.
 *  - .data ends mid-page, so the rest of that page is file bytes of the
 *    sections that follow it in the file: the loader must zero them
 *    (padzero).  libc writes its own .bss before main(), so the check
 *    reads this file's first .bss object, which the link puts right after
 *    the .data of libc (only crtbegin's few bytes come between); the
 *    program fails if that layout does not hold.  (entry checks the tail
 *    byte by byte, with no libc);
 *  - a 64 MiB .bss, every byte zero and writable;
 *  - the image is loaded at a multiple of its largest PT_LOAD p_align;
 *    --align=N also requires that p_align to be N (the 2 MiB variant).
 */
#include <elf.h>
#include <sys/auxv.h>

#include "check.h"

#define PAGE 4096UL
#define BIG (64UL << 20)

extern char _edata[], end[];
extern const Elf64_Ehdr __ehdr_start;

/* Non-zero, odd-sized: the segment's file bytes end inside a page. */
char data_bytes[1001] = { 1, 2, 3 };
/* GCC emits these in the reverse order: tail_probe comes first. */
static long small_bss[16];
static char big[BIG];
static char tail_probe[2 * PAGE];

static void check_file_tail(void)
{
	uintptr_t e = (uintptr_t)_edata, probe = (uintptr_t)tail_probe;
	size_t bad = 0;

	CHECK(e % PAGE, "layout: .data ends on a page boundary, the tail check is vacuous");
	CHECK(probe >= e && probe / PAGE == e / PAGE && probe - e < 256,
	      "layout: tail_probe is not at the start of .bss, the tail check is vacuous");
	for (size_t i = 0; i < sizeof(tail_probe); i++)
		bad += ((volatile char *)tail_probe)[i] != 0;
	CHECK(bad == 0, "%zu bytes of the .bss in the last file page are not zero", bad);
}

static void check_big(void)
{
	size_t bad = 0;

	for (size_t i = 0; i < BIG; i++)
		bad += ((volatile char *)big)[i] != 0;
	CHECK(bad == 0, "%zu bytes of the 64 MiB .bss are not zero", bad);
	for (size_t i = 0; i < BIG; i += 512)
		((volatile char *)big)[i] = (char)(i >> 9 | 1);
	bad = 0;
	for (size_t i = 0; i < BIG; i += 512)
		bad += ((volatile char *)big)[i] != (char)(i >> 9 | 1);
	CHECK(bad == 0, "%zu writes to the .bss did not stick", bad);
	for (size_t i = 0; i < sizeof(small_bss) / sizeof(small_bss[0]); i++)
		CHECK(small_bss[i] == 0, "small_bss[%zu] is not zero", i);
	CHECK(data_bytes[0] == 1 && data_bytes[2] == 3 && data_bytes[1000] == 0,
	      ".data does not hold its initial values");
}

/* The load address (of the ELF header: p_vaddr 0 for a PIE) is aligned. */
static void check_alignment(unsigned long want)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	unsigned long n = getauxval(AT_PHNUM), align = 0, first_vaddr = ~0UL;
	uintptr_t base;

	for (unsigned long i = 0; ph && i < n; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_align > align)
			align = ph[i].p_align;
		if (ph[i].p_vaddr < first_vaddr)
			first_vaddr = ph[i].p_vaddr;
	}
	CHECK(align != 0, "no PT_LOAD found through AT_PHDR");
	if (want)
		CHECK(align == want, "largest p_align is %#lx, expected %#lx", align, want);
	base = (uintptr_t)&__ehdr_start - (__ehdr_start.e_type == ET_DYN ? 0 : first_vaddr);
	if (align)
		CHECK(base % align == 0, "load base is not aligned to p_align %#lx", align);
	printf("p_align=%#lx\n", align);
}

int main(int argc, char **argv)
{
	unsigned long want = 0;

	if (argc > 1 && !strncmp(argv[1], "--align=", 8))
		want = strtoul(argv[1] + 8, NULL, 0);
	check_file_tail();
	check_big();
	check_alignment(want);
	return check_exit();
}
