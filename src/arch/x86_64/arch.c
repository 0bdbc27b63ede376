/* SPDX-License-Identifier: MIT */
/*
 * x86_64: the exit gadget.  Recent kernels' vDSO system call fallbacks end
 * in "syscall" followed by xor-clearing of the scratch registers and "ret".
 * Entered with rax = SYS_munmap and rsp pointing at the program's entry,
 * such a sequence unmaps the final stage's blob and lands on the entry with
 * the registers clear (see uexec_arch_final_jump in entry.S).  Only
 * sequences that clear every register the syscall or its arguments leave
 * behind (rcx, r11, rdi, rsi) are taken.
 */
#include <cpuid.h>
#include <fcntl.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "archdep.h"
#include "kversion.h"

enum { R_AX, R_CX, R_DX, R_BX, R_SP, R_BP, R_SI, R_DI,
       R_8, R_9, R_10, R_11, R_12, R_13, R_14, R_15 };

/* Decode "xor r32, r32" (same register, optional REX.R|B or REX.W) at P;
 * returns its length and the register, or 0. */
static size_t decode_xor_self(const unsigned char *p, size_t left, int *reg)
{
	size_t i = 0;
	int rex = 0, a, b;

	if (left >= 1 && (p[0] & 0xf0) == 0x40) {
		rex = p[0];
		i = 1;
	}
	if (left < i + 2 || (p[i] != 0x31 && p[i] != 0x33) || (p[i + 1] & 0xc0) != 0xc0)
		return 0;
	a = ((p[i + 1] >> 3) & 7) | ((rex & 4) ? 8 : 0);
	b = (p[i + 1] & 7) | ((rex & 1) ? 8 : 0);
	if (a != b)
		return 0;
	*reg = a;
	return i + 2;
}

uintptr_t uexec_arch_find_exit_gadget(uintptr_t base, size_t len)
{
	const unsigned char *v = (const unsigned char *)base;
	const unsigned need = 1u << R_CX | 1u << R_11 | 1u << R_DI | 1u << R_SI;

	if (len < 3)
		return 0;
	/* Every launch scans the whole vDSO (none has the gadget today):
	 * memchr() for the syscall's first byte, not a loop over each byte. */
	for (const unsigned char *p = v; (p = memchr(p, 0x0f, (size_t)(v + len - 2 - p)));
	     p++) {
		size_t i = (size_t)(p - v), j, n;
		unsigned cleared = 0;
		int reg;

		if (v[i + 1] != 0x05)
			continue;
		for (j = i + 2; j < len && (n = decode_xor_self(v + j, len - j, &reg)); j += n)
			cleared |= 1u << reg;
		if (j < len && v[j] == 0xc3 && (cleared & need) == need &&
		    !(cleared & (1u << R_SP)))
			return base + i;
	}
	return 0;
}

/* x86_64's ELF_HWCAP: CPUID leaf 1, EDX (boot_cpu_data.x86_capability). */
unsigned long uexec_arch_hwcap(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	return d;
}

const char *uexec_arch_machine_hint(unsigned int machine, unsigned int elf_class)
{
	if (machine == EM_X86_64 && elf_class == ELFCLASS32)
		return "x32 (32-bit x86_64) programs are not supported";
	if (elf_class == ELFCLASS32)
		return "a 32-bit ELF of another machine than i386";
	return NULL;
}

const char uexec_arch_abis_text[] = "x86_64 or its 32-bit i386";

static unsigned int u16_at(const unsigned char *buf, size_t off)
{
	uint16_t v;

	memcpy(&v, buf + off, sizeof(v));
	return v;
}

/* include/uapi/linux/elf-em.h's EM_486, which elf_check_arch_ia32() takes
 * as it takes EM_386 (glibc's elf.h no longer names it). */
#define UEXEC_EM_486 6

/* binfmt_elf (64-bit structs) takes e_machine EM_X86_64, compat_binfmt_elf
 * (32-bit structs) EM_386 and EM_486, and x32's EM_X86_64 (which uexec does
 * not run). */
unsigned int uexec_arch_layout_class(const unsigned char *buf, size_t len)
{
	unsigned int machine = len >= 20 ? u16_at(buf, 18) : 0;

	if (machine == EM_386 || machine == UEXEC_EM_486)
		return ELFCLASS32;
	if (machine != EM_X86_64)
		return buf[EI_CLASS];
	/* binfmt_elf reads every EM_X86_64 file as 64-bit; one whose 64-bit
	 * e_phentsize is wrong goes on to compat_binfmt_elf (x32) only if
	 * it calls itself 32-bit. */
	if (buf[EI_CLASS] == ELFCLASS32 &&
	    (len < sizeof(Elf64_Ehdr) ||
	     u16_at(buf, offsetof(Elf64_Ehdr, e_phentsize)) != sizeof(Elf64_Phdr)))
		return ELFCLASS32;
	return ELFCLASS64;
}



static const struct uexec_abi abis[] = {
	{
		.name = "x86_64", .elf_class = ELFCLASS64, .machine = EM_X86_64,
		.word = 8, .stack_end_marker = 8, .task_size = UEXEC_TASK_SIZE,
		.et_dyn_base = UEXEC_ELF_ET_DYN_BASE, .unmapped_base = UEXEC_TASK_UNMAPPED_BASE,
		.stack_top = 0,
		.stack_rnd_mask = UEXEC_STACK_RND_MASK, .brk_rnd_range = UEXEC_BRK_RND_RANGE,
		.mmap_rnd_bits_file = "/proc/sys/vm/mmap_rnd_bits", .mmap_rnd_bits = 28,
	},
	{
		/* IA32_PAGE_OFFSET, __STACK_RND_MASK(1), SZ_32M,
		 * COMPAT_ELF_ET_DYN_BASE (TASK_UNMAPPED_BASE + 16 MiB: compat
		 * binfmt_elf's ELF_ET_DYN_BASE), __TASK_UNMAPPED_BASE of the
		 * 32-bit TASK_SIZE, COMPAT_ELF_PLATFORM,
		 * __USER32_CS. */
		.name = "i386", .elf_class = ELFCLASS32, .machine = EM_386,
		.word = 4, .stack_end_marker = 8 /* the 64-bit kernel's */, .task_size = 0xffffe000UL,
		.et_dyn_base = 0x56555000UL, .unmapped_base = 0x55555000UL,
		.stack_top = 0xffffe000UL,
		.stack_rnd_mask = 0x7ffUL, .brk_rnd_range = 32UL << 20,
		.mmap_rnd_bits_file = "/proc/sys/vm/mmap_rnd_compat_bits", .mmap_rnd_bits = 8,
		.platform = "i686", .entry_cs = 0x23, .compat = 1,
		/* elf_read_implies_exec(): mmap_is_ia32() and EXSTACK_DEFAULT */
		.read_implies_exec_default = 1,
	},
};

const struct uexec_abi *uexec_arch_abi(unsigned int elf_class, unsigned int machine)
{
	if (machine == UEXEC_EM_486)
		machine = EM_386;
	for (size_t i = 0; i < sizeof(abis) / sizeof(abis[0]); i++)
		if (abis[i].elf_class == elf_class && abis[i].machine == machine)
			return &abis[i];
	return NULL;
}

/* int $0x80 from 64-bit code: the kernel's ia32 system call entry, with
 * ebp (the sixth argument) zero.  The entry returns r8-r15 zeroed; the
 * red zone is stepped over before the push. */
static long int80(long nr, long a, long b, long c, long d, long e)
{
	long ret;

	__asm__ volatile("sub $128, %%rsp\n\tpush %%rbp\n\txor %%ebp, %%ebp\n\t"
			 "int $0x80\n\tpop %%rbp\n\tadd $128, %%rsp"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
			 : "memory", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15");
	return ret;
}

/*
 * A kernel without IA32_EMULATION (or booted with ia32_emulation=0) kills
 * a process that executes int $0x80 with SIGSEGV, so the question is asked
 * in a child.  Answered once.
 */
int uexec_arch_abi_usable(const struct uexec_abi *abi, char *err, size_t errlen)
{
	static int answer = 1;	/* 1 unknown, 0 yes, -1 no */
	int status;
	pid_t pid;

	if (!abi->compat)
		return 0;
	if (answer == 1) {
		pid = fork();
		if (pid == 0)
			_exit(int80(20 /* getpid */, 0, 0, 0, 0, 0) > 0 ? 0 : 1);
		answer = -1;
		if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		    WEXITSTATUS(status) == 0)
			answer = 0;
	}
	if (answer) {
		snprintf(err, errlen, "%s programs need the kernel's 32-bit emulation "
			 "(IA32_EMULATION), which this kernel does not offer", abi->name);
		return -ENOEXEC;
	}
	return 0;
}

/* mmap_base() for a 32-bit task: PAGE_ALIGN(TASK_SIZE - gap), gap being
 * RLIMIT_STACK plus the guard gap and the stack's randomisation (not
 * added when that overflows: an unlimited stack), clamped to [128 MiB,
 * 5/6 of TASK_SIZE]; the random offset not yet taken off. */
static uintptr_t compat_top(int randomize)
{
	const uintptr_t task = 0xffffe000UL;
	uintptr_t gap = 8UL << 20, pad;
	struct rlimit rl;

	if (getrlimit(RLIMIT_STACK, &rl) == 0)
		gap = rl.rlim_cur;
	pad = 256 * UEXEC_PAGE_SIZE + (randomize ? (0x7ffUL << 12) : 0);
	if (gap + pad > gap)
		gap += pad;
	if (gap < (128UL << 20))
		gap = 128UL << 20;
	if (gap > task / 6 * 5)
		gap = task / 6 * 5;
	return uexec_page_align(task - gap);
}

/*
 * The compat mmap area's base: mmap_compat_base (its top, below which the
 * default layout searches) or mmap_compat_legacy_base (its bottom, from
 * which the legacy layout searches: TASK_UNMAPPED_BASE of the 32-bit
 * TASK_SIZE), both with up to 2^mmap_rnd_compat_bits pages of random
 * offset.  The kernel chose that offset when it started uexec and keeps
 * both bases in uexec's mm; a compat mmap2(NULL) through int $0x80 lands
 * at the one of uexec's own layout.  When that is not the layout wanted,
 * or something of uexec's own (a sanitizer's shadow, say) sits below
 * 4 GiB, the base is computed with the fresh offset RND.
 */
static uintptr_t compat_mmap_base(const struct uexec_abi *abi, int legacy, int randomize,
				  int rnd_bits, unsigned long rnd)
{
	uintptr_t span = randomize ? ((1UL << rnd_bits) - 1) * UEXEC_PAGE_SIZE : 0;
	uintptr_t lo = legacy ? abi->unmapped_base : compat_top(randomize) - span;
	uintptr_t off = randomize ? (rnd & ((1UL << rnd_bits) - 1)) * UEXEC_PAGE_SIZE : 0;
	uintptr_t probe;
	long r;

	r = int80(192 /* mmap2 */, 0, UEXEC_PAGE_SIZE, PROT_NONE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1);
	if (!(r < 0 && r > -4096)) {
		probe = (uintptr_t)(unsigned long)r;
		munmap((void *)probe, UEXEC_PAGE_SIZE);
		if (!legacy)
			probe += UEXEC_PAGE_SIZE;
		if (probe >= lo && probe <= lo + span)
			return probe;
	}
	return legacy ? lo + off : lo + span - off;
}

uintptr_t uexec_arch_compat_mmap_base(const struct uexec_abi *abi, int legacy,
				      int randomize, int rnd_bits, unsigned long rnd)
{
	static uintptr_t base[2];

	if (!abi->compat)
		return 0;
	legacy = !!legacy;
	if (!base[legacy])
		base[legacy] = compat_mmap_base(abi, legacy, randomize, rnd_bits, rnd);
	return base[legacy];
}

/*
 * x86's mmap_is_legacy(): the ADDR_COMPAT_LAYOUT personality (setarch -L)
 * or vm.legacy_va_layout, for native and compat programs alike (the mm's
 * MMF_TOPDOWN is decided once per exec).  Old x86 kernels also took an
 * unlimited RLIMIT_STACK for a request of the legacy layout: the 4.11
 * arch/x86/mm/mmap.c still has the check, the current one (6.x) has not;
 * uexec counts it on kernels before 4.13.
 */
int uexec_arch_mmap_is_legacy(unsigned long personality, int sysctl, int unlimited_stack)
{
	int version;

	if (personality & ADDR_COMPAT_LAYOUT)
		return 1;
	if (sysctl)
		return 1;
	version = unlimited_stack ? uexec_kernel_version() : 0;
	return version && version < UEXEC_KVERSION(4, 13);
}

/*
 * The register state uexec_arch_final_jump (entry.S) hands over, for the
 * trace and the plan: its contract, not a reading.  rflags is 0x202, or
 * 0x246 where the vDSO exit gadget's xors ran last (see entry.S).
 */
size_t uexec_arch_entry_registers(uintptr_t entry, uintptr_t sp, struct uexec_reg *out,
			     size_t max)
{
	static const char *const zero[] = {
		"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10",
		"r11", "r12", "r13", "r14", "r15", "fs_base",
	};
	size_t n = 0;

	if (max < 3 + sizeof(zero) / sizeof(zero[0]) + 2)
		return 0;
	out[n++] = (struct uexec_reg){ "rip", entry };
	out[n++] = (struct uexec_reg){ "rsp", sp };
	out[n++] = (struct uexec_reg){ "rflags", 0x202 };
	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		out[n++] = (struct uexec_reg){ zero[i], 0 };
	out[n++] = (struct uexec_reg){ "fcw", 0x37f };
	out[n++] = (struct uexec_reg){ "mxcsr", 0x1f80 };
	return n;
}
