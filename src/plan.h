/* SPDX-License-Identifier: MIT */
/*
 * The load plan: the ELF handler's whole decision about the new address
 * space (images, mapping steps, brk, stack image, entry), made before
 * anything is mapped.
 *
 * Ownership and direction: the handler (binfmt_elf.c) fills a plan and
 * sets `ready`; from then on it is read-only.  Applying it is mm.c's job,
 * with its own progress record (struct uexec_mm, mm.h); the final stage's
 * preparation keeps its own state too (struct uexec_handover,
 * final_prepare.h).  Nothing here touches the address space.  A plan owns
 * its images' descriptors, paths and copies of headers, its mapping steps
 * and its stack image: uexec_plan_free() releases all of it.
 */
#ifndef UEXEC_PLAN_H
#define UEXEC_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "archdep.h"

#define UEXEC_MAX_AUXV 64	/* pairs, AT_NULL included */
/* Mapping steps in one plan: the kernel's largest program header table
 * (65536 bytes: 1170 entries) at four steps each, two images, and more. */
#define UEXEC_MAX_MAPS 10240

/* One step of building the new address space, in order. */
enum uexec_map_kind {
	UEXEC_MAP_RESERVE,	/* PROT_NONE reservation of a whole image */
	UEXEC_MAP_FILE,		/* MAP_PRIVATE|MAP_FIXED of the file */
	UEXEC_MAP_ZERO_TAIL,	/* zero [addr, addr+len) inside a file map */
	UEXEC_MAP_ANON,		/* MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED: bss */
	UEXEC_MAP_UNMAP,	/* a hole between segments */
	UEXEC_MAP_STACK,	/* the new stack, MAP_GROWSDOWN */
};

struct uexec_map {
	enum uexec_map_kind kind;
	uintptr_t addr;
	size_t len;
	int prot;
	int fd;			/* UEXEC_MAP_FILE: borrowed from the image */
	off_t off;
	const char *what;	/* "exe", "interp", "stack" */
};

/* One ELF object of the exec: the program or its interpreter. */
struct uexec_elf_image {
	const struct uexec_abi *abi;	/* archdep.h: native or compat */
	char *path;		/* owned; what messages and AT_EXECFN say */
	int fd;			/* owned */
	off_t file_size;
	unsigned int e_type;	/* ET_EXEC or ET_DYN */
	unsigned int e_machine;
	uintptr_t e_entry;	/* as in the header (unbiased) */
	bool entry_ok;		/* e_entry in an executable PT_LOAD */
	size_t phnum;		/* e_phnum (what AT_PHNUM says) */
	void *phdrs;		/* owned copy, GElf_Phdr[phnum] */
	uintptr_t lo, hi;	/* page-aligned extent of the PT_LOADs, unbiased */
	uintptr_t max_align;	/* largest power-of-two p_align of a PT_LOAD */
	uintptr_t load_bias;
	uintptr_t phdr_addr;	/* AT_PHDR, biased (the bias alone when no PT_LOAD holds the table) */
	uintptr_t start_code, end_code, start_data, end_data;
	uintptr_t elf_bss, elf_brk;	/* biased end of file data / of memory */
	int stack_prot;		/* PT_GNU_STACK: PROT_EXEC when executable */
	bool gnu_stack;		/* it has a PT_GNU_STACK */
	bool fixed;		/* ET_EXEC: addresses are absolute */
	bool in_mmap_area;	/* placed by the kernel's mmap(NULL) search */
	char *interp;		/* PT_INTERP string, owned, or NULL */
	/* The PT_GNU_PROPERTY the kernel reads of this image (the last one,
	 * before the first PT_INTERP): its file bytes. */
	bool has_property;
	uint64_t property_off, property_filesz;
};

/* The stack image: built in a buffer, copied to TOP - size by mm.c. */
struct uexec_stack {
	uintptr_t top;		/* page-aligned end of the stack mapping */
	size_t map_size;	/* initial mapping (grows down to rlimit) */
	size_t rlimit;		/* RLIMIT_STACK as in force */
	unsigned char *image;	/* bytes [sp, top), inside image_buf */
	void *image_buf;	/* owned: the buffer it was built in (or NULL:
				 * image itself is owned) */
	size_t size;		/* top - sp */
	uintptr_t sp;		/* where argc is */
	uintptr_t argv, envp, auxv;	/* addresses of the vectors */
	size_t argc, envc;
	uintptr_t arg_start, arg_end, env_start, env_end;
	uintptr_t execfn, platform, random;
	size_t auxc;		/* pairs written, AT_NULL included */
	unsigned int word;	/* bytes of a pointer: 8, or 4 (compat) */
	unsigned long auxv_pairs[UEXEC_MAX_AUXV][2];
};

/* The kernel's own mappings (vDSO, vvar) as uexec found them. */
#define UEXEC_MAX_KMAPS 8

/* The kernel's randomisation of this layout, recorded where it is decided
 * (binfmt_elf.c) for the picture of the address space (layout_view.c):
 * each range is how far that base may move (0: it does not move). */
struct uexec_plan_random {
	uintptr_t mmap_base;	/* top of the area mmap(NULL) fills; 0: unknown */
	bool mmap_random;	/* mmap base, a PIE's base: over 2^mmap_rnd_bits pages
				 * (the sysctl is read by the picture, not the
				 * launch, where nothing else needs it) */
	uintptr_t stack_range;	/* randomize_stack_top(): the stack top */
	uintptr_t sp_range;	/* arch_align_stack(): sp below the strings */
	uintptr_t brk_range;	/* arch_randomize_brk(): the heap start */
	bool bottom_up;		/* the legacy layout: the mmap area grows up */
};

struct uexec_plan {
	bool ready;			/* complete; read-only from here on */
	struct uexec_elf_image exe;
	struct uexec_elf_image interp;
	bool has_interp;
	uintptr_t entry;		/* where the program starts */
	uintptr_t start_brk;		/* the program's heap start */
	uintptr_t brk;
	unsigned long personality;	/* the program's, set at the commit */
	bool read_implies_exec;		/* READ_IMPLIES_EXEC added by this exec:
					 * PROT_READ implies PROT_EXEC */
	/* MMAP_PAGE_ZERO (load_elf_binary()): the SVr4 page at address 0,
	 * read-execute, that the final stage maps (_MAP), and seals as Linux
	 * 6.11 and later seal it (_MAP_SEAL); or the caller's own, which is
	 * that page already and sealed, stays (_KEEP). */
	enum { UEXEC_PAGE_ZERO_NONE, UEXEC_PAGE_ZERO_MAP, UEXEC_PAGE_ZERO_MAP_SEAL,
	       UEXEC_PAGE_ZERO_KEEP } page_zero;
	bool zero_sealed;		/* a sealed page at 0 is there (looked for
					 * where the caller or the program has
					 * MMAP_PAGE_ZERO) */
	bool randomize;
	struct uexec_stack stack;
	struct uexec_map *maps;		/* owned, nmaps steps in order */
	size_t nmaps, maps_cap;
	/* The vDSO and vvar: where they are now, and how far the final stage
	 * moves them so that they sit below the images, as the kernel's
	 * exec maps them (0: they stay). */
	uintptr_t kmaps[UEXEC_MAX_KMAPS][2];
	size_t nkmaps;
	intptr_t vdso_delta;
	struct uexec_plan_random rnd;
	/* What the architecture adds (a compat ABI's own vDSO, say). */
	struct uexec_arch_plan arch;
	/* What the GNU properties of the image whose note the kernel reads
	 * (the interpreter's, or the program's without one) ask for
	 * (archdep.h: arm64's BTI). */
	struct uexec_arch_elf_state elf_state;
};

/* An empty plan (no descriptors, no steps). */
void uexec_plan_init(struct uexec_plan *plan);
/* Release everything the plan owns; it is empty again afterwards. */
void uexec_plan_free(struct uexec_plan *plan);
/* Append a step.  -E2BIG past UEXEC_MAX_MAPS steps, -ENOMEM. */
int uexec_plan_add_map(struct uexec_plan *plan, enum uexec_map_kind kind,
		       uintptr_t addr, size_t len, int prot, int fd, off_t off,
		       const char *what);
const char *uexec_map_kind_name(enum uexec_map_kind k);

/* Does [a, a+len) meet a range the new image will own at the end (a
 * reservation or the stack other than SKIP, the vDSO where it moves, the
 * arch's extras; the vDSO or extras in a hole of a reservation do not
 * count against it)? */
/* Does [lo, hi) lie in a hole between an image's segments (an unmap
 * step: the kernel gives it back, so the vDSO may land there)? */
bool uexec_plan_in_hole(const struct uexec_plan *plan, uintptr_t lo, uintptr_t hi);
bool uexec_plan_overlaps(const struct uexec_plan *plan, uintptr_t a, size_t len,
			 const struct uexec_map *skip);

#endif
