/* SPDX-License-Identifier: MIT */
/*
 * The final stage: the code that runs after uexec's own memory is gone.
 *
 * commit.c copies the section uexec_final_text (final.c and the arch's
 * final entry) into a fresh mapping, the "blob", fills a struct
 * uexec_final in the blob's data pages, and enters it on the blob's own
 * stack.  The final stage then removes uexec (its image, libraries, heap,
 * old stack), moves staged segments to their final addresses, points
 * /proc/self/exe at the program, and jumps to the entry point; where the
 * architecture allows, the jump also unmaps the blob, leaving nothing of
 * uexec in the process.  It uses no libc, no TLS and no memory but the
 * blob's and the program's.  It cannot fail except on a kernel error,
 * which it reports ("uexec: FILE: ...") before exit_group(127).
 */
#ifndef UEXEC_FINAL_H
#define UEXEC_FINAL_H

#include <linux/prctl.h>
#include <stddef.h>
#include <stdint.h>

#define UEXEC_FINAL_MAX_UNMAP 1024
#define UEXEC_FINAL_MAX_MOVE 128
#define UEXEC_FINAL_STACK 16384

struct uexec_final_range {
	uintptr_t addr, len;
	uintptr_t to;		/* moves only */
};

struct uexec_final {
	uintptr_t sp;		/* the program's stack pointer (argc) */
	uintptr_t entry;	/* where the program starts */
	uintptr_t gadget;	/* arch exit gadget in the vDSO, or 0 */
	uintptr_t blob, blob_len;	/* this mapping, unmapped by the gadget */
	uintptr_t entry_cs;	/* 0; or the code segment of a compat ABI */
	int stop;		/* SIGSTOP before the jump (--break) */
	int exe_fd;		/* -1, or the program for /proc/self/exe */
	int debug_fd;		/* -1, or where to say what happened */
	int close_fd[4];	/* closed last */
	unsigned int nclose;
	unsigned int nunmap, nmove, nvmove;
	long exe_result;	/* what PR_SET_MM_MAP with exe_fd answered */
	long mm_result;		/* ... and without it, where that failed */
	int set_mm;		/* PR_SET_MM_MAP: brk, arg/env, auxv, exe */
	struct prctl_mm_map mm;
	unsigned long auxv[2 * 64];
	char prefix[320];	/* "uexec: FILE: " (errors) */
	char debug_prefix[16];	/* "uexec: exec: " (--debug=exec) */
	char msg_unmap[64], msg_move[64], msg_exe_ok[80], msg_exe_fail[128];
	char msg_mm_fail[160], msg_vmove[64];
	char errno_open[12], errno_close[4], newline[2], nul[1], digits[11];
	struct uexec_final_range unmap[UEXEC_FINAL_MAX_UNMAP];
	struct uexec_final_range move[UEXEC_FINAL_MAX_MOVE];
	struct uexec_final_range vmove[8];	/* the vDSO and vvar, first */
	/* A compat program: the 64-bit vDSO and vvar go, the 32-bit vDSO is
	 * mapped at vdso32_block; if it lands elsewhere, the two auxv keys
	 * (on the stack at sysinfo_key[], in auxv[] at sysinfo_idx[]) become
	 * AT_IGNORE. */
	struct uexec_final_range kunmap[8];
	unsigned int nkunmap;
	uintptr_t vdso32_block, vdso32_text;
	uintptr_t sysinfo_key[2];
	unsigned int sysinfo_idx[2], nsysinfo, auxv_word;
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

/* arch.c: find the exit gadget in the vDSO at BASE (LEN bytes). */
uintptr_t uexec_arch_find_exit_gadget(uintptr_t base, size_t len);

#endif
