/* SPDX-License-Identifier: MIT */
/*
 * The architecture contract: everything generic code may ask of an
 * architecture, and the generic defaults where an architecture has nothing
 * to add (as the kernel's ARCH_DLINFO, ARCH_SETUP_ADDITIONAL_PAGES and
 * arch_check_elf, or musl's per-arch reloc.h with #ifndef defaults).
 *
 * An architecture provides src/arch/<arch>/arch.h (constants, the types
 * below, inline helpers; included here and nowhere else), arch.c (the
 * functions declared here), entry.S (the final jump and its register
 * contract, see final.h), syscall_arch.h (raw system calls for the final
 * stage), and optionally final_arch.c (its part of the final stage).
 * Generic code includes this header, never the arch one, and names no
 * register, instruction or ABI of a particular machine.
 */
#ifndef UEXEC_ARCHDEP_H
#define UEXEC_ARCHDEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "arch.h"

/* ------------------------------------------------------------------ */
/* Pages.  The page size is the arch's (a constant, or a runtime value
 * where the kernel's page size varies). */

static inline uintptr_t uexec_page_start(uintptr_t x)
{
	return x & ~(uintptr_t)(UEXEC_PAGE_SIZE - 1);
}

static inline uintptr_t uexec_page_offset(uintptr_t x)
{
	return x & (uintptr_t)(UEXEC_PAGE_SIZE - 1);
}

static inline uintptr_t uexec_page_align(uintptr_t x)
{
	return (x + UEXEC_PAGE_SIZE - 1) & ~(uintptr_t)(UEXEC_PAGE_SIZE - 1);
}

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000	/* Linux >= 4.17 */
#endif

#ifndef SYS_mseal
#define SYS_mseal 462		/* the same on every architecture (Linux 6.10) */
#endif

/* ------------------------------------------------------------------ */
/* ELF ABIs.  An architecture runs one native ABI and possibly compat ones
 * (i386 on x86_64, AArch32 on arm64), as the kernel's binfmt_elf and
 * compat_binfmt_elf do.  Generic code asks for the ABI of a header and
 * uses its constants. */

struct uexec_abi {
	const char *name;
	unsigned int elf_class, machine;
	unsigned int word;		/* bytes of a pointer on the stack */
	unsigned int stack_end_marker;	/* the kernel's sizeof(void *): the
					 * zero bytes above the strings */
	uintptr_t task_size;		/* end of the user address space */
	uintptr_t et_dyn_base;		/* ELF_ET_DYN_BASE */
	uintptr_t unmapped_base;	/* TASK_UNMAPPED_BASE (legacy layout) */
	uintptr_t stack_top;		/* STACK_TOP; 0: uexec's own (native) */
	uintptr_t stack_rnd_mask;	/* pages of stack top randomisation */
	uintptr_t brk_rnd_range;	/* arch_randomize_brk() */
	const char *mmap_rnd_bits_file;	/* /proc/sys/vm/... */
	int mmap_rnd_bits;		/* its default */
	const char *platform;		/* AT_PLATFORM; NULL: uexec's own */
	unsigned int entry_cs;		/* 0 native; else the code segment */
	int compat;
	/* elf_read_implies_exec(): a program without PT_GNU_STACK gets the
	 * READ_IMPLIES_EXEC personality (every readable mapping executable). */
	int read_implies_exec_default;
};

/* The ABI for an ELF of this class and machine, or NULL. */
const struct uexec_abi *uexec_arch_abi(unsigned int elf_class, unsigned int machine);

/* Can this kernel run ABI's programs in this process?  0, or -errno with
 * the reason. */
int uexec_arch_abi_usable(const struct uexec_abi *abi, char *err, size_t errlen);

/* The wording for an ELF whose class and machine no ABI takes, or NULL. */
const char *uexec_arch_machine_hint(unsigned int machine, unsigned int elf_class);

/* The ELF class whose structs the kernel reads the file starting with BUF
 * (LEN bytes, at least EI_NIDENT) with: it goes by e_machine, not by
 * EI_CLASS (elf_read.h); for another machine's file, EI_CLASS as it is. */
unsigned int uexec_arch_layout_class(const unsigned char *buf, size_t len);

/* What the ABIs are, for messages ("x86_64 or its 32-bit i386"). */
extern const char uexec_arch_abis_text[];

/* mmap_is_legacy() of the running kernel for an exec with PERSONALITY,
 * the vm.legacy_va_layout SYSCTL value and an unlimited RLIMIT_STACK or
 * not: does the new mmap area grow bottom-up? */
int uexec_arch_mmap_is_legacy(unsigned long personality, int sysctl, int unlimited_stack);

/* Where a compat program's mmap area starts its searches in a fresh exec:
 * its mmap_compat_base (the top) or, LEGACY, its mmap_compat_legacy_base
 * (the bottom), or 0.  RND is a random number the arch may use for a
 * randomised base. */
uintptr_t uexec_arch_compat_mmap_base(const struct uexec_abi *abi, int legacy,
				      int randomize, int rnd_bits, unsigned long rnd);

/* ELF_HWCAP as the kernel computes it (AT_HWCAP when /proc is missing). */
unsigned long uexec_arch_hwcap(void);

/* ------------------------------------------------------------------ */
/* Additional pages (the kernel's ARCH_SETUP_ADDITIONAL_PAGES): a compat
 * ABI's own vDSO.  The arch's state lives in the plan (struct
 * uexec_arch_plan) and in the final stage (struct uexec_arch_final), both
 * defined by arch.h; an architecture without extras defines
 * UEXEC_ARCH_NO_EXTRA_PAGES and gets empty ones. */

struct uexec_plan;
struct uexec_final;

#ifdef UEXEC_ARCH_NO_EXTRA_PAGES
struct uexec_arch_plan { char none; };
struct uexec_arch_final { char none; };
static inline size_t uexec_arch_extra_size(const struct uexec_plan *plan)
{
	(void)plan;
	return 0;
}
static inline void uexec_arch_place_extra(struct uexec_plan *plan, uintptr_t at)
{
	(void)plan; (void)at;
}
static inline size_t uexec_arch_dlinfo(const struct uexec_plan *plan, unsigned long key,
				       unsigned long (*out)[2])
{
	(void)plan; (void)key; (void)out;
	return (size_t)-1;
}
static inline bool uexec_arch_extra_overlaps(const struct uexec_plan *plan, uintptr_t a,
					     size_t len)
{
	(void)plan; (void)a; (void)len;
	return false;
}
#ifdef UEXEC_ARCH_FINAL_FILL
void uexec_arch_final_fill(const struct uexec_plan *plan, struct uexec_final *f);
#else
static inline void uexec_arch_final_fill(const struct uexec_plan *plan,
					 struct uexec_final *f)
{
	(void)plan; (void)f;
}
#endif
#else
/* The size of a compat program's extra pages (one block, placed by one
 * mmap search as the kernel's map_vdso() does), or 0: none. */
size_t uexec_arch_extra_size(const struct uexec_plan *plan);
/* Plan the extra pages of a compat program at AT (found by the kernel's
 * search for uexec_arch_extra_size() bytes; 0: none can be placed).  They
 * replace the native vDSO, which the final stage unmaps. */
void uexec_arch_place_extra(struct uexec_plan *plan, uintptr_t at);
/* The auxv entries the arch puts for KEY of the template (ARCH_DLINFO):
 * writes up to two pairs to OUT and returns how many, or (size_t)-1 for
 * "as generic code does". */
size_t uexec_arch_dlinfo(const struct uexec_plan *plan, unsigned long key,
			 unsigned long (*out)[2]);
/* Does [a, a+len) meet the extra pages' final place? */
bool uexec_arch_extra_overlaps(const struct uexec_plan *plan, uintptr_t a, size_t len);
/* Before the point of no return: what the final stage's arch part needs,
 * and for a compat program its own way out (f->gadget and f->jump, for a
 * blob at f->blob that the ABI can address; left 0 where there is none). */
void uexec_arch_final_fill(const struct uexec_plan *plan, struct uexec_final *f);
#endif

/* ------------------------------------------------------------------ */
/* GNU properties (the kernel's CONFIG_ARCH_USE_GNU_PROPERTY hooks,
 * arch_parse_elf_property() and arch_elf_adjust_prot()): an architecture
 * whose kernel reads the NT_GNU_PROPERTY_TYPE_0 note of PT_GNU_PROPERTY
 * (arm64: BTI) defines UEXEC_ARCH_GNU_PROPERTY, its struct
 * uexec_arch_elf_state and the three functions below; elsewhere the kernel
 * ignores the segment, and so does uexec (the defaults). */
#ifdef UEXEC_ARCH_GNU_PROPERTY
/* One property of the note (TYPE, LEN bytes at DATA) into ST, for a
 * program of ABI.  0, or -ENOEXEC with the reason (what the kernel
 * refuses). */
int uexec_arch_parse_elf_property(const struct uexec_abi *abi, uint32_t type,
				  const void *data, size_t len,
				  struct uexec_arch_elf_state *st, char *err, size_t errlen);
/* PROT for a PT_LOAD of the program (IS_INTERP false) or of its
 * interpreter, given ST of the image whose note was read (the
 * interpreter's when there is one, HAS_INTERP). */
int uexec_arch_elf_adjust_prot(int prot, const struct uexec_arch_elf_state *st,
			       bool has_interp, bool is_interp);
/* What ST asks for, for traces and --plan ("" when nothing). */
const char *uexec_arch_elf_state_string(const struct uexec_arch_elf_state *st);
static inline bool uexec_arch_uses_gnu_property(void)
{
	return true;
}
#else
struct uexec_arch_elf_state { char none; };
static inline bool uexec_arch_uses_gnu_property(void)
{
	return false;
}

static inline int uexec_arch_parse_elf_property(const struct uexec_abi *abi, uint32_t type,
						const void *data, size_t len,
						struct uexec_arch_elf_state *st,
						char *err, size_t errlen)
{
	(void)abi; (void)type; (void)data; (void)len; (void)st; (void)err; (void)errlen;
	return 0;
}

static inline int uexec_arch_elf_adjust_prot(int prot, const struct uexec_arch_elf_state *st,
					     bool has_interp, bool is_interp)
{
	(void)st; (void)has_interp; (void)is_interp;
	return prot;
}

static inline const char *uexec_arch_elf_state_string(const struct uexec_arch_elf_state *st)
{
	(void)st;
	return "";
}
#endif

/* ------------------------------------------------------------------ */
/* A mapping of uexec's process that is neither uexec's own nor one of the
 * kernel's named ones ([vdso], [vvar]), which the final stage must keep:
 * an emulator's own page (qemu-user's signal trampoline on aarch64).  An
 * architecture with such pages defines UEXEC_ARCH_FOREIGN_MAPPINGS.  A
 * /proc/self/maps that answers PROCMAP_QUERY is the kernel's, which makes
 * none: there layout.c looks for none (qemu-user's emulated maps do not
 * answer). */
struct uexec_maps_entry;
#ifdef UEXEC_ARCH_FOREIGN_MAPPINGS
bool uexec_arch_foreign_mapping(const struct uexec_maps_entry *e);
static inline bool uexec_arch_has_foreign_mappings(void)
{
	return true;
}
#else
static inline bool uexec_arch_has_foreign_mappings(void)
{
	return false;
}

static inline bool uexec_arch_foreign_mapping(const struct uexec_maps_entry *e)
{
	(void)e;
	return false;
}
#endif

/* ------------------------------------------------------------------ */
/* uexec's own stack (ownstack.c; onstack.S). */

/* Returns FN(ARG), run with the stack pointer at TOP (16-byte aligned, the
 * highest address of a stack the caller owns); the caller's stack is back
 * on return.  Nothing else changes: no signal mask, no unwinding state. */
int uexec_arch_call_on_stack(void *top, int (*fn)(void *), void *arg);

/* ------------------------------------------------------------------ */
/* The final stage's exit (see final.h, entry.S). */

/* The "syscall; clear registers; return" sequence in the vDSO at BASE
 * (LEN bytes) that lets the final stage unmap itself on the way out, or 0. */
uintptr_t uexec_arch_find_exit_gadget(uintptr_t base, size_t len);

/* A register as the program finds it at its first instruction. */
struct uexec_reg {
	const char *name;
	unsigned long value;
};
/* Room for uexec_arch_entry_registers(); an arch with more defines its own. */
#ifndef UEXEC_MAX_REGS
#define UEXEC_MAX_REGS 32
#endif
/* The registers the final jump hands over (its contract, not a reading),
 * for ENTRY and SP; returns how many were written to OUT (at most MAX). */
size_t uexec_arch_entry_registers(uintptr_t entry, uintptr_t sp, struct uexec_reg *out,
				  size_t max);

#endif
