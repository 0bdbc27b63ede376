/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 architecture layer.  Generic code includes "arch.h" (this
 * folder is on the include path) and uses only what is defined here.
 */
#ifndef UEXEC_ARCH_H
#define UEXEC_ARCH_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define UEXEC_ARCH_NAME		"x86_64"
#define UEXEC_ELF_CLASS		ELFCLASS64
#define UEXEC_ELF_DATA		ELFDATA2LSB
#define UEXEC_ELF_MACHINE	EM_X86_64
#define UEXEC_PAGE_SIZE		4096UL	/* ELF_EXEC_PAGESIZE */
#define UEXEC_ELF_MIN_ALIGN	4096UL

/* The 47-bit user address space (DEFAULT_MAP_WINDOW) and the kernel's
 * bases derived from it. */
#define UEXEC_TASK_SIZE		0x7ffffffff000UL
#define UEXEC_ELF_ET_DYN_BASE	(UEXEC_TASK_SIZE / 3 * 2)
#define UEXEC_STACK_RND_MASK	0x3fffffUL	/* pages: 16 GiB */
#define UEXEC_BRK_RND_RANGE	(1UL << 30)	/* arch_randomize_brk */
#define UEXEC_STACK_ALIGN	16UL
#define UEXEC_STACK_SUBPAGE_RND	8192UL		/* arch_align_stack */

/* rseq(2): the signature glibc registers with on this architecture. */
#define UEXEC_RSEQ_SIG		0x53053053U

/* The auxv entries this architecture's kernel puts first (ARCH_DLINFO),
 * for the fallback used when /proc/self/auxv cannot be read. */
#define UEXEC_ARCH_DLINFO_KEYS	AT_SYSINFO_EHDR, AT_MINSIGSTKSZ

/*
 * The ELF ABIs this architecture runs, as the kernel's binfmt_elf and
 * compat_binfmt_elf do: x86_64 itself, and i386 in compatibility mode
 * (IA32_EMULATION).  x32 is not supported.  Generic code asks for the ABI
 * of a header and uses its constants; the native one matches the
 * UEXEC_* macros above.
 */
struct uexec_abi {
	const char *name;
	unsigned int elf_class, machine;
	unsigned int word;		/* bytes of a pointer on the stack */
	uintptr_t task_size;		/* end of the user address space */
	uintptr_t et_dyn_base;		/* ELF_ET_DYN_BASE */
	uintptr_t stack_top;		/* STACK_TOP; 0: uexec's own (native) */
	uintptr_t stack_rnd_mask;	/* pages of stack top randomisation */
	uintptr_t brk_rnd_range;	/* arch_randomize_brk() */
	const char *mmap_rnd_bits_file;	/* /proc/sys/vm/... */
	int mmap_rnd_bits;		/* its default */
	const char *platform;		/* AT_PLATFORM; NULL: uexec's own */
	unsigned int entry_cs;		/* 0 native; else the code segment */
	int compat;
};

/* The ABI for an ELF of this class and machine, or NULL. */
const struct uexec_abi *uexec_arch_abi(unsigned int elf_class, unsigned int machine);

/* Can this kernel run ABI's programs in this process?  0, or -errno with
 * the reason (the compat ABI needs IA32_EMULATION; probed in a child). */
int uexec_arch_abi_usable(const struct uexec_abi *abi, char *err, size_t errlen);

/* Where the kernel's top-down mmap() of SIZE bytes lands for a compat
 * program (below its mmap base), or 0. */
uintptr_t uexec_arch_compat_top_down(size_t size, int randomize, int rnd_bits);

/* The compat vDSO (ARCH_MAP_VDSO_32): the size of its block (vvar pages
 * then the text), where the text starts in it, and its entry
 * (__kernel_vsyscall, AT_SYSINFO) from the text's start. */
struct uexec_vdso32 {
	size_t block_size, text_off, entry;
};
#define UEXEC_ARCH_MAP_VDSO_32 0x2002	/* arch_prctl() */
int uexec_arch_compat_vdso(struct uexec_vdso32 *v);	/* 0 or -1 */

/* The wording for an ELF whose class and machine no ABI takes. */
static inline const char *uexec_arch_machine_hint(unsigned int machine,
						  unsigned int class)
{
	if (machine == EM_X86_64 && class == ELFCLASS32)
		return "x32 (32-bit x86_64) programs are not supported";
	if (class == ELFCLASS32)
		return "a 32-bit ELF of another machine than i386";
	return 0;
}

/* ELF_HWCAP as the kernel computes it (AT_HWCAP when /proc is missing:
 * glibc's getauxval(AT_HWCAP) is its own value on x86). */
unsigned long uexec_arch_hwcap(void);

/* ---- --compare: register snapshot ------------------------------------
 * Implemented in compare_regs.c (built into the CLI only); the generic
 * side is src/compare/cmp.h, which has defaults for an architecture that
 * does not define UEXEC_ARCH_PTRACE_REGS (--compare then says it is not
 * implemented).  A snapshot is what PTRACE_GETREGSET gives for
 * NT_PRSTATUS and NT_PRFPREG; generic code keeps it by value and reads it
 * only through the functions below, so it names no register. */
#define UEXEC_ARCH_PTRACE_REGS	1
struct uexec_arch_regs {
	_Alignas(16) unsigned char opaque[1024];
};
struct uexec_cmp;
struct uexec_cmp_known;
/* PID's registers (a ptrace-stopped tracee of this process): 0, or -1
 * with errno. */
int uexec_arch_read_regs(pid_t pid, struct uexec_arch_regs *r);
/* The program counter and the stack pointer of a snapshot. */
uintptr_t uexec_arch_regs_pc(const struct uexec_arch_regs *r);
uintptr_t uexec_arch_regs_sp(const struct uexec_arch_regs *r);
/* The bytes of a stack word of the mode the snapshot runs in: 8, or 4
 * for an i386 program (code segment 0x23). */
unsigned int uexec_arch_regs_word(const struct uexec_arch_regs *r);
/* The items "regs.*" and "fpu.*" of kernel side K and uexec side U, put
 * through the item API of src/compare/cmp.h. */
void uexec_arch_compare_regs(struct uexec_cmp *c, const struct uexec_arch_regs *k,
			     const struct uexec_arch_regs *u);
/* This architecture's known differences among those items (*N rows). */
const struct uexec_cmp_known *uexec_arch_compare_known(size_t *n);
/* ---- end of --compare: register snapshot ----------------------------- */

static inline void *uexec_arch_thread_pointer(void)
{
	return __builtin_thread_pointer();
}

#endif
