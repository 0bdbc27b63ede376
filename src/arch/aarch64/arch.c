/* SPDX-License-Identifier: MIT */
/*
 * aarch64: the ABI table, the machine hint, ELF_HWCAP and the entry
 * register contract (archdep.h).  No compat ABI, no extra pages.  The
 * final jump is an rt_sigreturn (entry.S), which sets every register
 * itself; where the vDSO has a way out (uexec_arch_find_exit_gadget) the
 * blob unmaps itself through it, else it stays mapped (qemu-user).
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <ucontext.h>
/* The signal frame's records: musl's <signal.h> declares them (and its
 * FPSIMD_MAGIC), glibc's leaves them to the kernel's header, which would
 * declare them a second time under musl. */
#ifndef FPSIMD_MAGIC
#include <asm/sigcontext.h>
#endif
#include <asm/unistd.h>

#include <sys/personality.h>
#include <sys/prctl.h>

#include "archdep.h"
#include "final.h"
#include "fresh.h"
#include "layout.h"
#include "mapsread.h"
#include "plan.h"
#include "selfmem.h"
#include "entry_frame.h"

/* entry.S writes the rt_sigreturn frame by these offsets: the layout of
 * the kernel's struct rt_sigframe (arch/arm64/kernel/signal.c: siginfo,
 * then ucontext) as glibc and the uapi headers describe it. */
_Static_assert(sizeof(siginfo_t) == UEXEC_FRAME_UC, "siginfo");
_Static_assert(UEXEC_FRAME_UC + offsetof(ucontext_t, uc_stack) == UEXEC_FRAME_STACK &&
	       UEXEC_FRAME_UC + offsetof(ucontext_t, uc_sigmask) == UEXEC_FRAME_SIGMASK &&
	       UEXEC_FRAME_UC + offsetof(ucontext_t, uc_mcontext.regs) == UEXEC_FRAME_REGS &&
	       UEXEC_FRAME_UC + offsetof(ucontext_t, uc_mcontext.sp) == UEXEC_FRAME_SP &&
	       UEXEC_FRAME_UC + offsetof(ucontext_t, uc_mcontext.pc) == UEXEC_FRAME_PC &&
	       UEXEC_FRAME_UC + offsetof(ucontext_t, uc_mcontext.pstate) == UEXEC_FRAME_PSTATE &&
	       UEXEC_FRAME_UC + offsetof(ucontext_t, uc_mcontext.__reserved) ==
	       UEXEC_FRAME_RESERVED, "ucontext");
_Static_assert(sizeof(struct fpsimd_context) == UEXEC_FRAME_FPSIMD_SIZE &&
	       FPSIMD_MAGIC == UEXEC_FRAME_FPSIMD_MAGIC, "fpsimd_context");
_Static_assert(UEXEC_FRAME_SIZE == ((UEXEC_FRAME_RESERVED + sizeof(struct fpsimd_context) +
					sizeof(struct _aarch64_ctx) + 15) & ~15UL), "frame size");
_Static_assert(UEXEC_FRAME_FULL >= sizeof(siginfo_t) + sizeof(ucontext_t) &&
	       UEXEC_FRAME_FULL % 16 == 0 && UEXEC_FRAME_FULL >= UEXEC_FRAME_SIZE,
	       "frame place");

/*
 * The pstate the program starts with: EL0t with NZCV, DAIF and BTYPE
 * clear, and PSTATE.SSBS as exec sets it (spectre_v4_enable_task_mitigation,
 * arch/arm64/kernel/proton-pack.c): set unless the task's stores must not
 * bypass, that is the mitigation forced on or PR_SPEC_DISABLE, which
 * survives exec (PR_SPEC_DISABLE_NOEXEC does not).  Where the CPU has SSBS
 * uexec's own live bit says it; elsewhere (the bit is then RES0, and only
 * ptrace sees it) the prctl answer does.  entry.S puts it in the frame.
 */
#define PSTATE_SSBS (1UL << 12)
static unsigned long exec_pstate(void)
{
	int spec = prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, 0, 0, 0);
	unsigned long live;

	if (spec > 0 && (spec & PR_SPEC_DISABLE_NOEXEC))
		return PSTATE_SSBS;
	if (getauxval(AT_HWCAP) & HWCAP_SSBS) {
		__asm__ volatile("mrs %0, s3_3_c4_c2_6" : "=r"(live));	/* SSBS */
		return live & PSTATE_SSBS;
	}
	return spec > 0 && (spec & (PR_SPEC_DISABLE | PR_SPEC_FORCE_DISABLE)) ? 0 : PSTATE_SSBS;
}

/* A64 encodings the exit looks for in the vDSO. */
#define A64_SVC0	0xd4000001u	/* svc #0 */
#define A64_AUTIASP	0xd50323bfu	/* autiasp (a hint: a no-op without PAC) */
#define A64_RET		0xd65f03c0u	/* ret */
#define A64_MOVZ_X8	0xd2800008u	/* movz x8, #imm16 (imm16 << 5) */

/* The first run of the N words W in the LEN bytes at BASE, or 0. */
static uintptr_t find_words(uintptr_t base, size_t len, const uint32_t *w, size_t n)
{
	const uint32_t *v = (const uint32_t *)base;

	for (size_t i = 0; i + n <= len / 4; i++)
		if (!memcmp(v + i, w, n * sizeof(*w)))
			return base + 4 * i;
	return 0;
}

/* The vDSO's signal return, __kernel_rt_sigreturn: "mov x8, #139; svc #0". */
static uintptr_t sigreturn_trampoline(uintptr_t base, size_t len)
{
	static const uint32_t tramp[] = { A64_MOVZ_X8 | __NR_rt_sigreturn << 5, A64_SVC0 };

	return base ? find_words(base, len, tramp, 2) : 0;
}

/*
 * The exit (entry.S): "svc #0; [autiasp;] ret", the end of a system call
 * fallback of the vDSO, reached by "ret x16" (a return, so that a BTI-
 * guarded vDSO takes it), which unmaps the blob and returns to the vDSO's
 * rt_sigreturn trampoline.  Only where the vDSO has both.
 */
uintptr_t uexec_arch_find_exit_gadget(uintptr_t base, size_t len)
{
	static const uint32_t pac[] = { A64_SVC0, A64_AUTIASP, A64_RET };
	static const uint32_t plain[] = { A64_SVC0, A64_RET };
	uintptr_t g;

	if (!sigreturn_trampoline(base, len))
		return 0;
	g = find_words(base, len, pac, 3);
	return g ? g : find_words(base, len, plain, 2);
}

/* The frame's place with a gadget: just below the program's sp, but with
 * a whole struct rt_sigframe below the stack's top (rt_sigreturn's
 * access_ok()), 16-byte aligned.  uexec_arch_final_fill() uses it only
 * where the stack mapping holds it. */
static uintptr_t frame_place(const struct uexec_plan *plan)
{
	uintptr_t frame = plan->stack.sp - UEXEC_FRAME_SIZE;

	if (frame + UEXEC_FRAME_FULL > plan->stack.top)
		frame = plan->stack.top - UEXEC_FRAME_FULL;
	return frame & ~(uintptr_t)15;
}

/*
 * The SVE vector length exec gives (fpsimd_flush_thread_vl()): the
 * caller's where it asked to keep it (PR_SVE_VL_INHERIT), else the
 * system's default (/proc/sys/abi/sve_default_vector_length; the kernel
 * clamps it to what the CPU has, as PR_SVE_SET_VL does).  A length set for
 * the next exec only (PR_SVE_SET_VL_ONEXEC) cannot be read back, so the
 * default replaces it too.  0: leave it (no SVE, no default to read, or
 * it is already so).  Called after the final stage's reading of the maps:
 * it allocates nothing.
 */
static uintptr_t exec_sve_vl(void)
{
	int cur = prctl(PR_SVE_GET_VL, 0, 0, 0, 0);
	long vl;

	if (cur < 0 || (cur & PR_SVE_VL_INHERIT))
		return 0;
	vl = uexec_layout_sysctl("/proc/sys/abi/sve_default_vector_length", 0);
	return vl > 0 && vl != (cur & PR_SVE_VL_LEN_MASK) ? (uintptr_t)vl : 0;
}

/* Before the point of no return: the pstate (f->jump[0]) and, with a
 * gadget, the trampoline's final place (f->jump[1], the vDSO moved by
 * plan->vdso_delta as the gadget was) and the frame's (f->jump[2]). */
void uexec_arch_final_fill(const struct uexec_plan *plan, struct uexec_final *f)
{
	uintptr_t vdso = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
	uintptr_t t = f->gadget ? sigreturn_trampoline(vdso, uexec_selfmem_image_length(vdso)) : 0;

	f->jump[0] = exec_pstate();
	f->reset[0] = exec_sve_vl();
	f->jump[1] = t ? t + (uintptr_t)plan->vdso_delta : 0;
	f->jump[2] = frame_place(plan);
	/* Where the program's image fills its stack mapping to within a
	 * frame of the bottom (an RLIMIT_STACK the image almost meets), the
	 * frame stays on the blob's own stack and the blob stays mapped:
	 * the program gets the kernel's stack, not a page more. */
	if (!t || f->jump[2] < plan->stack.top - plan->stack.map_size)
		f->gadget = 0;
}

/* ELF_HWCAP is the kernel's cpu feature mask (elf_hwcap); the running
 * kernel's auxv template also carries AT_HWCAP2 (and AT_HWCAP3/4 on newer
 * kernels), which generic code copies as they are. */
unsigned long uexec_arch_hwcap(void)
{
	return getauxval(AT_HWCAP);
}

const char *uexec_arch_machine_hint(unsigned int machine, unsigned int elf_class)
{
	if (machine == EM_ARM && elf_class == ELFCLASS32)
		return "AArch32 programs are not supported";
	if (machine == EM_AARCH64 && elf_class == ELFCLASS32)
		return "ILP32 (32-bit aarch64) programs are not supported";
	if (elf_class == ELFCLASS32)
		return "a 32-bit ELF of another machine";
	return NULL;
}

const char uexec_arch_abis_text[] = "aarch64";

/*
 * The kernel's default mmap window (arch.h): the smallest power of two, at
 * least 2^36, at or above the top of uexec's own stack (AT_EXECFN lies in
 * its top page; a local variable where that is missing).  The stack top is
 * STACK_TOP less at most 1 GiB, which keeps it above half the window.
 * Under qemu-user it is the window qemu's own stack placement implies (an
 * x86_64 host gives 47 bits at most).
 */
uintptr_t uexec_arch_task_size(void)
{
	static uintptr_t size;
	uintptr_t top = (uintptr_t)getauxval(AT_EXECFN);
	int local;

	if (size)
		return size;
	if (!top)
		top = (uintptr_t)&local;
	size = 1UL << 36;
	while (size < top && size < (1UL << 52))
		size <<= 1;
	return size;
}

/* The native ABI; the runtime values (page size, address space) are
 * filled at first use. */
static struct uexec_abi abis[] = {
	{
		.name = "aarch64", .elf_class = ELFCLASS64, .machine = EM_AARCH64,
		.word = 8, .stack_top = 0, .brk_rnd_range = UEXEC_BRK_RND_RANGE,
		.mmap_rnd_bits_file = "/proc/sys/vm/mmap_rnd_bits",
	},
};

const struct uexec_abi *uexec_arch_abi(unsigned int elf_class, unsigned int machine)
{
	if (!abis[0].task_size) {
		abis[0].task_size = UEXEC_TASK_SIZE;
		abis[0].et_dyn_base = UEXEC_ELF_ET_DYN_BASE;
		abis[0].stack_rnd_mask = UEXEC_STACK_RND_MASK;
		abis[0].mmap_rnd_bits = UEXEC_MMAP_RND_BITS;
	}
	for (size_t i = 0; i < sizeof(abis) / sizeof(abis[0]); i++)
		if (abis[i].elf_class == elf_class && abis[i].machine == machine)
			return &abis[i];
	return NULL;
}

int uexec_arch_abi_usable(const struct uexec_abi *abi, char *err, size_t errlen)
{
	(void)abi;
	(void)err;
	(void)errlen;
	return 0;
}

/* No compat ABI on this layer (AArch32 is refused). */
uintptr_t uexec_arch_compat_mmap_base(const struct uexec_abi *abi, int legacy,
				      int randomize, int rnd_bits, unsigned long rnd)
{
	(void)abi; (void)legacy; (void)randomize; (void)rnd_bits; (void)rnd;
	return 0;
}

/* arm64 uses the generic mmap_is_legacy() (mm/util.c): ADDR_COMPAT_LAYOUT,
 * an unlimited RLIMIT_STACK (the stack does not grow up), or the sysctl. */
int uexec_arch_mmap_is_legacy(unsigned long personality, int sysctl, int unlimited_stack)
{
	if (personality & ADDR_COMPAT_LAYOUT)
		return 1;
	if (unlimited_stack)
		return 1;
	return sysctl != 0;
}

/* The kernel reads an EM_AARCH64 file with its 64-bit structs; another
 * machine's by what EI_CLASS says (it is refused later, worded by it). */
unsigned int uexec_arch_layout_class(const unsigned char *buf, size_t len)
{
	unsigned int machine = len >= 20 ? (unsigned int)buf[18] | (unsigned int)buf[19] << 8 : 0;

	return machine == EM_AARCH64 ? ELFCLASS64 : buf[EI_CLASS];
}

/*
 * The register state uexec_arch_final_jump (entry.S) hands over, for the
 * trace and the plan: its contract, not a reading.  As start_thread()
 * (arch/arm64/include/asm/processor.h) and ELF_PLAT_INIT (x0 = 0) leave
 * it: x0-x30 zero, pc = entry, sp, pstate = EL0t with NZCV clear and SSBS
 * as exec sets it, tpidr_el0 zero, FP/SIMD zero with fpcr = fpsr = 0.
 */
size_t uexec_arch_entry_registers(uintptr_t entry, uintptr_t sp, struct uexec_reg *out,
				  size_t max)
{
	static const char *const zero[] = {
		"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
		"x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20",
		"x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30",
		"tpidr_el0", "fpcr", "fpsr",
	};
	size_t n = 0;

	if (max < 3 + sizeof(zero) / sizeof(zero[0]))
		return 0;
	out[n++] = (struct uexec_reg){ "pc", entry };
	out[n++] = (struct uexec_reg){ "sp", sp };
	out[n++] = (struct uexec_reg){ "pstate", exec_pstate() };
	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		out[n++] = (struct uexec_reg){ zero[i], 0 };
	return n;
}

/*
 * An arm64 kernel gives a process no anonymous executable page: its signal
 * return is in the vDSO.  qemu-user (7.2) has no vDSO for the guest and
 * returns from a signal handler through a page of its own, one anonymous
 * r-x page that it maps at start-up and whose address it keeps.  In a
 * process the kernel (or qemu) has just started (fresh.h: the static CLI,
 * whose only executable page of its own is the final stage's blob, kept
 * anyway) such a page is that trampoline, and the program needs it where it is.  On a
 * kernel the rule never applies; the library, whose caller may have pages
 * of its own, never applies it.
 */
bool uexec_arch_foreign_mapping(const struct uexec_maps_entry *e)
{
	return uexec_fresh_process() && !e->name[0] && !e->off &&
	       e->hi - e->lo == UEXEC_PAGE_SIZE && !strcmp(e->perms, "r-xp");
}
