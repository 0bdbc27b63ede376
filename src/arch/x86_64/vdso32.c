/* SPDX-License-Identifier: MIT */
/*
 * x86_64's additional pages (the kernel's ARCH_SETUP_ADDITIONAL_PAGES for
 * an i386 program): the 32-bit vDSO.  It can be mapped into this 64-bit
 * process only once the 64-bit vDSO is gone, which only the final stage
 * may do (final_arch.c); its size and entry are learnt beforehand from a
 * child that does it.  Where that fails the program gets no vDSO
 * (AT_SYSINFO and AT_SYSINFO_EHDR are left out) and uses int $0x80.
 */
#include <elf.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "archdep.h"
#include "debug.h"
#include "final.h"
#include "mapsread.h"
#include "plan.h"
#include "selfmem.h"

/* The compat vDSO's block (vvar pages then the text), where the text
 * starts in it, and its entry (__kernel_vsyscall) from the text's start. */
struct uexec_vdso32 {
	size_t block_size, text_off, entry;
};

/* Where the child asks for the 32-bit vDSO: free in a fresh uexec. */
#define HINT 0x10000000UL

/* In the child: drop the 64-bit vDSO, map the 32-bit one, measure it. */
static void measure_vdso32(int out)
{
	struct uexec_vdso32 v = { 0 };
	struct uexec_maps_reader rd;
	struct uexec_maps_entry e;
	uintptr_t lo = 0, hi = 0, text = 0;

	if (uexec_maps_open(&rd)) {
		/* No /proc: the same from the probes (selfmem.h). */
		if (uexec_selfmem_kernel_run(&lo, &hi) == 0)
			munmap((void *)lo, hi - lo);
		if (syscall(SYS_arch_prctl, UEXEC_ARCH_MAP_VDSO_32, HINT) < 0 ||
		    uexec_selfmem_block_at(HINT, &hi, &text))
			_exit(1);
		lo = HINT;
		goto measured;
	}
	while (uexec_maps_next(&rd, &e) > 0)
		if (uexec_maps_is_kernel(&e))
			munmap((void *)e.lo, e.hi - e.lo);
	uexec_maps_close(&rd);
	if (syscall(SYS_arch_prctl, UEXEC_ARCH_MAP_VDSO_32, HINT) < 0)
		_exit(1);
	if (uexec_maps_open(&rd))
		_exit(1);
	while (uexec_maps_next(&rd, &e) > 0) {
		if (!uexec_maps_is_kernel(&e))
			continue;
		if (!lo || e.lo < lo)
			lo = e.lo;
		if (e.hi > hi)
			hi = e.hi;
		if (!strncmp(e.name, "[vdso]", 6))
			text = e.lo;
	}
	uexec_maps_close(&rd);
measured:
	if (!text || memcmp((void *)text, ELFMAG, SELFMAG))
		_exit(1);
	v.block_size = hi - lo;
	v.text_off = text - lo;
	v.entry = ((const Elf32_Ehdr *)text)->e_entry;
	_exit(write(out, &v, sizeof(v)) == (ssize_t)sizeof(v) ? 0 : 1);
}

/* The 32-bit vDSO's measures, from a child that maps it.  Answered once. */
static int compat_vdso(struct uexec_vdso32 *v)
{
	static struct uexec_vdso32 known;
	static int answer = 1;
	int pfd[2], status;
	pid_t pid;

	if (answer == 1) {
		answer = -1;
		if (pipe2(pfd, O_CLOEXEC))
			return -1;
		pid = fork();
		if (pid == 0) {
			close(pfd[0]);
			measure_vdso32(pfd[1]);
		}
		close(pfd[1]);
		if (pid > 0 && read(pfd[0], &known, sizeof(known)) == (ssize_t)sizeof(known) &&
		    waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		    WEXITSTATUS(status) == 0 && known.block_size)
			answer = 0;
		else if (pid > 0)
			waitpid(pid, &status, 0);
		close(pfd[0]);
	}
	*v = known;
	return answer;
}


size_t uexec_arch_extra_size(const struct uexec_plan *plan)
{
	struct uexec_vdso32 v;

	if (!plan->exe.abi->compat || compat_vdso(&v))
		return 0;
	return uexec_page_align(v.block_size);
}

void uexec_arch_place_extra(struct uexec_plan *plan, uintptr_t at)
{
	struct uexec_arch_plan *a = &plan->arch;
	struct uexec_vdso32 v;

	memset(a, 0, sizeof(*a));
	if (!at || compat_vdso(&v))
		return;
	a->vdso32_size = uexec_page_align(v.block_size);
	a->vdso32_block = at;
	a->vdso32_text = a->vdso32_block + v.text_off;
	a->vdso32_entry = a->vdso32_text + v.entry;
	UEXEC_DEBUG(UEXEC_DBG_MAP, "vdso32 %#lx-%#lx (text %#lx, entry %#lx) mapped by "
		    "the final stage", (unsigned long)a->vdso32_block,
		    (unsigned long)(a->vdso32_block + a->vdso32_size),
		    (unsigned long)a->vdso32_text, (unsigned long)a->vdso32_entry);
}

/* ARCH_DLINFO_IA32: AT_SYSINFO (the entry) before AT_SYSINFO_EHDR. */
size_t uexec_arch_dlinfo(const struct uexec_plan *plan, unsigned long key,
			 unsigned long (*out)[2])
{
	const struct uexec_arch_plan *a = &plan->arch;

	if (key != AT_SYSINFO_EHDR || !plan->exe.abi->compat)
		return (size_t)-1;
	if (!a->vdso32_text)
		return 0;
	out[0][0] = AT_SYSINFO;
	out[0][1] = a->vdso32_entry;
	out[1][0] = AT_SYSINFO_EHDR;
	out[1][1] = a->vdso32_text;
	return 2;
}

bool uexec_arch_extra_overlaps(const struct uexec_plan *plan, uintptr_t a, size_t len)
{
	uintptr_t lo = plan->arch.vdso32_block, hi = lo + plan->arch.vdso32_size;

	return lo && a < hi && lo < a + len && !uexec_plan_in_hole(plan, lo, hi);
}

void uexec_arch_final_fill(const struct uexec_plan *plan, struct uexec_final *f)
{
	const struct uexec_stack *st = &plan->stack;
	struct uexec_arch_final *af = &f->arch;

	memset(af, 0, sizeof(*af));
	af->vdso32_block = plan->arch.vdso32_block;
	af->vdso32_text = plan->arch.vdso32_text;
	af->auxv_word = st->word;
	if (!af->vdso32_block)
		return;
	for (size_t i = 0; i < plan->nkmaps && i < 8; i++) {
		af->kunmap[af->nkunmap][0] = plan->kmaps[i][0];
		af->kunmap[af->nkunmap][1] = plan->kmaps[i][1] - plan->kmaps[i][0];
		af->nkunmap++;
	}
	for (size_t i = 0; i < st->auxc && af->nsysinfo < 2; i++) {
		if (st->auxv_pairs[i][0] != AT_SYSINFO && st->auxv_pairs[i][0] != AT_SYSINFO_EHDR)
			continue;
		af->sysinfo_key[af->nsysinfo] = st->auxv + 2 * i * st->word;
		af->sysinfo_idx[af->nsysinfo] = (unsigned int)i;
		af->nsysinfo++;
	}
}
