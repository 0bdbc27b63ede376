/* SPDX-License-Identifier: MIT */
/*
 * What uexec knows of its own address space without /proc (selfmem.c): in
 * a chroot or a container without /proc, the layout and the final stage
 * still need the kernel's own mappings (the vDSO and the vvar pages next to
 * it), which an exec keeps, and the end of uexec's interpreter (the mmap
 * base the kernel chose).  Everything else below TASK_SIZE is uexec's or
 * the new image's: the final stage removes all that is not the new image's
 * (final_prepare.c), as the kernel's exec starts a fresh mm.
 */
#ifndef UEXEC_SELFMEM_H
#define UEXEC_SELFMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Extent of the ELF image whose header is mapped at BASE (the vDSO, an
 * interpreter): the end of its last PT_LOAD, page-aligned, minus BASE (the
 * lowest PT_LOAD's p_vaddr is 0 for both).  0 when BASE is not an ELF
 * header of this ABI. */
size_t uexec_selfmem_image_length(uintptr_t base);
/* The largest power-of-two p_align of its PT_LOADs, at least a page. */
size_t uexec_selfmem_image_align(uintptr_t base);

/*
 * The kernel's own mappings as one run of pages: the vDSO (AT_SYSINFO_EHDR)
 * and the special pages next to it (vvar), found by madvise(MADV_COLD),
 * which the kernel refuses (EINVAL) on VM_PFNMAP mappings and allows on
 * ordinary memory.  Where the probe cannot tell (it fails on ordinary
 * memory too), every mapped page next to the vDSO, up to 16 each side,
 * counts.  0 and *LO, *HI set; -1 without a vDSO.
 */
int uexec_selfmem_kernel_run(uintptr_t *lo, uintptr_t *hi);

/*
 * The same run as the kernel's separate mappings, in address order, as
 * /proc/self/maps would list them ([vvar], [vvar_vclock], [vdso]): each
 * boundary is found by moving the pages away and straight back with
 * mremap(), which moves exactly one whole special mapping or refuses
 * (special mappings cannot be split).  The vDSO is not used in between.
 * Returns how many (at most MAX); 0 when the run cannot be cut so (a
 * sealed mapping, say): the final stage must then not move them.
 */
size_t uexec_selfmem_kernel_maps(uintptr_t (*out)[2], size_t max);

/*
 * The kernel's block of special pages and vDSO text that starts at A (just
 * mapped there, as ARCH_MAP_VDSO_32 maps it): *HI its end (the first page
 * not mapped), *TEXT its first page of ordinary memory (the vDSO's ELF
 * header).  Special pages are never read (some fault with SIGBUS).  0, or
 * -1 when A starts no such block.
 */
int uexec_selfmem_block_at(uintptr_t a, uintptr_t *hi, uintptr_t *text);

/*
 * Sealed memory (mseal(2), Linux 6.10), which can be neither unmapped nor
 * moved: a mapping is sealed when mremap() to its own size, which changes
 * nothing, is refused with EPERM.  Every answer is false (0) on a kernel
 * without mseal.
 *
 * uexec_selfmem_sealed: whether [LO, HI), one whole mapping, is sealed.
 * uexec_selfmem_run_sealed: whether any of the N mappings in RUN is.
 * uexec_selfmem_find_sealed: the first sealed mapping below TASK_SIZE
 * into *LO, *HI, those inside one of the N ranges of SKIP not looked at,
 * asked of /proc/self/maps (one PROCMAP_QUERY a mapping, else its text):
 * 1, 0 when none is, -1 when it cannot be told (no /proc, or a seccomp
 * filter answers mremap() itself).
 */
bool uexec_selfmem_sealed(uintptr_t lo, uintptr_t hi);
bool uexec_selfmem_run_sealed(const uintptr_t (*run)[2], size_t n);
int uexec_selfmem_find_sealed(const uintptr_t (*skip)[2], size_t n, uintptr_t *lo,
			      uintptr_t *hi);

#endif
