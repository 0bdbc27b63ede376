/* SPDX-License-Identifier: MIT */
/*
 * x86_64's part of the final stage (see final.h for the rules of this
 * section: no libc, no literals, no calls out): an i386 program's 32-bit
 * vDSO, mapped once the 64-bit vDSO and vvar are gone.
 */
#include <elf.h>
#include <sys/syscall.h>

#include "archdep.h"
#include "final.h"
#include "syscall_arch.h"

/* The entries AT_SYSINFO and AT_SYSINFO_EHDR become AT_IGNORE, on the
 * stack (a word of auxv_word bytes) and in the copy for the kernel. */
static UEXEC_FINAL void ignore_sysinfo(struct uexec_final *f)
{
	struct uexec_arch_final *af = &f->arch;

	for (unsigned int i = 0; i < af->nsysinfo; i++) {
		if (af->auxv_word == 4) {
			*(volatile unsigned int *)af->sysinfo_key[i] = AT_IGNORE;
			((unsigned int *)f->auxv)[2 * af->sysinfo_idx[i]] = AT_IGNORE;
		} else {
			*(volatile unsigned long *)af->sysinfo_key[i] = AT_IGNORE;
			f->auxv[2 * af->sysinfo_idx[i]] = AT_IGNORE;
		}
	}
}

/* ARCH_MAP_VDSO_32 maps nothing while a vDSO is mapped: the 64-bit one
 * goes first.  Its address is a hint: checked with mincore().  Where it
 * is not there, neither is the exit chain in it: the blob stays. */
UEXEC_FINAL void uexec_arch_final_pages(struct uexec_final *f)
{
	struct uexec_arch_final *af = &f->arch;
	unsigned char vec;

	if (!af->vdso32_block)
		return;
	for (unsigned int i = 0; i < af->nkunmap; i++)
		uexec_final_sys(SYS_munmap, (long)af->kunmap[i][0], (long)af->kunmap[i][1], 0, 0, 0);
	if (uexec_final_sys(SYS_arch_prctl, UEXEC_ARCH_MAP_VDSO_32, (long)af->vdso32_block,
			    0, 0, 0) < 0 ||
	    uexec_final_sys(SYS_mincore, (long)af->vdso32_text, 1, (long)&vec, 0, 0) < 0) {
		ignore_sysinfo(f);
		f->gadget = 0;
	}
}
