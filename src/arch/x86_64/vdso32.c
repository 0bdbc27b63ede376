/* SPDX-License-Identifier: MIT */
/*
 * x86_64's additional pages (the kernel's ARCH_SETUP_ADDITIONAL_PAGES for
 * an i386 program): the 32-bit vDSO.  It can be mapped into this 64-bit
 * process only once the 64-bit vDSO is gone, which only the final stage
 * may do (final_arch.c); its size and entry are learnt beforehand from a
 * child that does it.  Where that fails the program gets no vDSO
 * (AT_SYSINFO and AT_SYSINFO_EHDR are left out) and uses int $0x80.
 */
#include <asm/prctl.h>
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
 * starts in it, its entry (__kernel_vsyscall) and its exit chain (see
 * find_exit_chain) from the text's start (0: none). */
struct uexec_vdso32 {
	size_t block_size, text_off, entry;
	size_t exit_off[2];
	unsigned int exit_pops[2];
};

/*
 * The exit chain: how the blob unmaps itself under an i386 program, as the
 * 64-bit exit gadget does for a native one (arch.c, entry.S).  The compat
 * munmap takes the blob's address in ebx, which the program must find
 * zero; two sequences of the 32-bit vDSO, entered in 32-bit mode:
 *   [0] "int $0x80" followed by a run of pops and self-xors and "ret"
 *       (__kernel_vsyscall's int $0x80 path);
 *   [1] a run of pops and self-xors ending in "ret" that clears ebx,
 *       together with [0] also ecx (the length), and never pops esp.
 * The pops take the zeros uexec stores below the program's stack pointer.
 */
enum { X_CX = 1, X_BX = 3, X_SP = 4 };

/* At P: pops ("pop r32", 0x58+r) and self-xors ("xor r32, r32") up to a
 * "ret", decoded in 32-bit mode (0x40-0x4f are not prefixes there).  The
 * pops into *POPS, the registers set to zero into *CLEARED; 0 when P is
 * not such a run. */
static int decode_run32(const unsigned char *p, size_t left, unsigned int *pops,
			unsigned int *cleared)
{
	*pops = 0;
	*cleared = 0;
	for (size_t i = 0; i < left; ) {
		if (p[i] == 0xc3)
			return !(*cleared & (1u << X_SP));
		if (p[i] >= 0x58 && p[i] <= 0x5f) {
			*cleared |= 1u << (p[i] - 0x58);
			++*pops;
			i++;
		} else if (i + 1 < left && (p[i] == 0x31 || p[i] == 0x33) &&
			   (p[i + 1] & 0xc0) == 0xc0 &&
			   ((p[i + 1] >> 3) & 7) == (p[i + 1] & 7)) {
			*cleared |= 1u << (p[i + 1] & 7);
			i += 2;
		} else {
			return 0;
		}
	}
	return 0;
}

/* The exit chain in TEXT (LEN bytes) into V; left 0 when there is none. */
static void find_exit_chain(const unsigned char *text, size_t len, struct uexec_vdso32 *v)
{
	unsigned int pops[2], cleared[2];
	size_t i, j;

	for (i = 0; i + 2 < len; i++)
		if (text[i] == 0xcd && text[i + 1] == 0x80 &&
		    decode_run32(text + i + 2, len - i - 2, &pops[0], &cleared[0]))
			break;
	if (i + 2 >= len)
		return;
	for (j = 0; j < len; j++)
		if (decode_run32(text + j, len - j, &pops[1], &cleared[1]) &&
		    (cleared[1] & (1u << X_BX)) &&
		    ((cleared[0] | cleared[1]) & (1u << X_CX)))
			break;
	/* Its words and the lretq frame (entry.S) within UEXEC_ARCH_BELOW_SP. */
	if (j >= len || 4 * (pops[0] + pops[1] + 2) + 24 > UEXEC_ARCH_BELOW_SP)
		return;
	v->exit_off[0] = i;
	v->exit_pops[0] = pops[0];
	v->exit_off[1] = j;
	v->exit_pops[1] = pops[1];
}

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
	find_exit_chain((const unsigned char *)text, hi - text, &v);
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
	for (int i = 0; i < 2 && v.exit_off[1]; i++) {
		a->vdso32_exit[i] = a->vdso32_text + v.exit_off[i];
		a->vdso32_exit_pops[i] = v.exit_pops[i];
	}
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

	/* A CPUID made to fault (ARCH_SET_CPUID 0) works again after exec. */
	f->reset[0] = syscall(SYS_arch_prctl, ARCH_GET_CPUID, 0) == 0;
	memset(af, 0, sizeof(*af));
	af->vdso32_block = plan->arch.vdso32_block;
	af->vdso32_text = plan->arch.vdso32_text;
	af->auxv_word = st->word;
	if (!af->vdso32_block)
		return;
	/* The exit chain runs munmap(blob) in 32-bit mode: the blob must lie
	 * below the program's TASK_SIZE (map_blob places it there). */
	if (plan->exe.abi->compat && plan->arch.vdso32_exit[0] && f->blob &&
	    f->blob + f->blob_len <= plan->exe.abi->task_size) {
		f->gadget = plan->arch.vdso32_exit[0];
		f->jump[0] = plan->arch.vdso32_exit[1];
		f->jump[1] = plan->arch.vdso32_exit_pops[0];
		f->jump[2] = plan->arch.vdso32_exit_pops[1];
	}
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
