/* SPDX-License-Identifier: MIT */
/*
 * The final stage: the code that runs after uexec's own memory is gone.
 *
 * Before the point of no return, final_prepare.c copies the section
 * uexec_final_text (final.c, the arch's final_arch.c and the final entry
 * of entry.S) into a fresh mapping, the "blob", and fills a struct
 * uexec_final in the blob's data pages; after it, commit.c enters it on
 * the blob's own stack.  The final stage then removes uexec (its image, libraries, heap,
 * old stack), moves staged segments to their final addresses, points
 * /proc/self/exe at the program, and jumps to the entry point; where the
 * architecture allows, the jump also unmaps the blob, leaving nothing of
 * uexec in the process.  It uses no libc, no TLS and no memory but the
 * blob's and the program's.  It cannot fail except on a kernel error,
 * which it reports ("uexec: FILE: ...") before exit_group(127).
 */
#ifndef UEXEC_FINAL_H
#define UEXEC_FINAL_H

#include <sys/prctl.h>
#include <stddef.h>
#include <stdint.h>

#include "archdep.h"
#include "syscall_arch.h"

#define UEXEC_FINAL_STACK 16384

/* Every function of the final stage: in the copied section, and immune to
 * whatever CFLAGS the user builds with (sanitizers, stack protector: their
 * checks would read memory that is gone). */
#define UEXEC_FINAL __attribute__((section("uexec_final_text"), used, no_stack_protector, \
				   no_sanitize("address", "undefined", "kernel-address"), \
				   no_instrument_function))

static UEXEC_FINAL inline __attribute__((always_inline)) long
uexec_final_sys(long n, long a, long b, long c, long d, long e)
{
	return uexec_arch_syscall6(n, a, b, c, d, e, 0);
}

struct uexec_final_range {
	uintptr_t addr, len;
	uintptr_t to;		/* moves only */
};

/*
 * Filled before the point of no return (final_prepare.c); the lists are
 * sized then, from one reading of /proc/self/maps, and live in the blob
 * right after this struct, so the final stage cannot run out of room.
 */
struct uexec_final {
	uintptr_t sp;		/* the program's stack pointer (argc) */
	uintptr_t entry;	/* where the program starts */
	uintptr_t gadget;	/* arch exit gadget in the vDSO, or 0 */
	uintptr_t blob, blob_len;	/* this mapping, unmapped by the gadget */
	uintptr_t entry_cs;	/* 0; or how a compat ABI is entered (arch) */
	uintptr_t jump[3];	/* the arch's own words for its jump (entry.S) */
	int stop;		/* SIGSTOP before the jump (--break) */
	int exe_fd;		/* -1, or the program for /proc/self/exe */
	int debug_fd;		/* -1, or where to say what happened */
	int close_fd[4];	/* closed last */
	unsigned int nclose;
	unsigned int nunmap, nmove, nvmove;
	long exe_result;	/* what setting exe_fd finally answered */
	long exe_first;		/* what PR_SET_MM_MAP with exe_fd answered */
	long mm_result;		/* ... and without it, where that failed */
	int set_mm;		/* PR_SET_MM_MAP: brk, arg/env, auxv, exe */
	/* commit_creds(), after PR_SET_MM_MAP (which needs the caller's
	 * capabilities): effective, saved and fs ids; for a secure exec no
	 * parent-death signal and, with changed ids, not dumpable; where the
	 * file's set-id bits apply, changed ids or not, the personality
	 * without PER_CLEAR_ON_SETID (bprm->per_clear). */
	long euid, egid;
	int secure, setid, per_clear;
	/* cap_bprm_creds_from_file(), after the ids (final_caps()): where the
	 * exec changes the capabilities, the new permitted, effective and
	 * inheritable sets (each 2 words, as capset() takes them), cut to
	 * what the process still holds then; ambient cleared, keep-caps off. */
	int set_caps, clear_ambient, clear_keepcaps;
	uint32_t cap_hdr[2], cap_data[6], cap_want[4];
	unsigned long personality;
	/* MMAP_PAGE_ZERO: 1, the read-execute page at 0 mapped once the images
	 * are in place; 2, and sealed; failures ignored, as the kernel ignores
	 * them (plan.h). */
	int page_zero;
	uintptr_t page_size;
	struct prctl_mm_map mm;
	unsigned long auxv[2 * 64];
	char prefix[320];	/* "uexec: FILE: " (errors) */
	char debug_prefix[16];	/* "uexec: exec: " (--debug=exec) */
	char msg_unmap[64], msg_move[64], msg_exe_ok[80], msg_exe_fail[128];
	char msg_mm_fail[160], msg_vmove[64], msg_creds[64], msg_caps[64];
	/* The peak RSS (VmHWM) reset, as the kernel's fresh mm starts: "5"
	 * written to /proc/self/clear_refs (proc(5)) once uexec is gone. */
	int reset_hwm;
	char clear_refs[24], clear_refs_value[2];
	char msg_hwm_ok[64], msg_hwm_fail[96];
	/* Why exe-file failed, by -errno (err 0 ends the table). */
	struct { long err; char msg[224]; } exe_why[4];
	char errno_open[12], errno_close[4], newline[2], nul[1], digits[11];
	struct uexec_final_range *unmap;	/* nunmap, in the blob */
	struct uexec_final_range *move;		/* nmove, in the blob */
	struct uexec_final_range vmove[8];	/* the vDSO and vvar, first */
	/* When a move would overlap itself (mremap refuses that), each goes
	 * through the free range vscratch (vscratch_len bytes, reserved by
	 * final_prepare.c) first: a piece at A waits at A + vscratch_delta. */
	uintptr_t vscratch, vscratch_len;
	intptr_t vscratch_delta;
	/* The thread state the kernel's exec resets that only the thread
	 * itself can (arch_setup_new_exec()): the arch's words, set by
	 * uexec_arch_final_fill(), used by UEXEC_ARCH_EXEC_RESET. */
	uintptr_t reset[2];
	struct uexec_arch_final arch;		/* the arch's part */
	unsigned char stack[UEXEC_FINAL_STACK] __attribute__((aligned(16)));
};

/* The section's bounds (the linker defines them) and its two entries. */
extern const char __start_uexec_final_text[] __attribute__((visibility("hidden")));
extern const char __stop_uexec_final_text[] __attribute__((visibility("hidden")));
/* arch: switch to STACK_TOP and call uexec_final_main(F). */
void uexec_arch_final_enter(struct uexec_final *f, uintptr_t stack_top)
	__attribute__((noreturn));
void uexec_final_main(struct uexec_final *f) __attribute__((noreturn));
/* arch: reset the FPU, clear the registers, jump (see entry.S). */
void uexec_arch_final_jump(struct uexec_final *f) __attribute__((noreturn));

/* arch (final_arch.c): map the additional pages (archdep.h). */
#ifdef UEXEC_ARCH_NO_EXTRA_PAGES
static UEXEC_FINAL inline void uexec_arch_final_pages(struct uexec_final *f)
{
	(void)f;
}
#else
void uexec_arch_final_pages(struct uexec_final *f);
#endif

#endif
