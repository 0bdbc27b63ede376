/* SPDX-License-Identifier: MIT */
/*
 * Register contract at the program's first instruction, as the arm64
 * kernel's start_thread() (arch/arm64/include/asm/processor.h: pt_regs
 * zeroed, pc and sp set, pstate = PSR_MODE_EL0t) and ELF_PLAT_INIT (x0 = 0,
 * the AAPCS64 rtld_fini pointer: none) leave a process after execve:
 *   sp        = the program's sp, pointing at argc (16-byte aligned)
 *   pc        = entry
 *   x0-x30    = 0 (x29 frame pointer and x30 link register included)
 *   pstate    = EL0t, N, Z, C, V clear; SSBS as exec sets it (f->jump[0],
 *               arch.c: exec_pstate)
 *   v0-v31 = 0, fpcr = 0, fpsr = 0 (fpsimd_flush_thread()); no SVE state
 *   tpidr_el0 = 0 (final.c, UEXEC_ARCH_RESET_TLS)
 *
 * The final stage's two entries (see src/final.h).  They live in the
 * section uexec_final_text, which is copied to the blob before it runs:
 * only position-independent code, no data outside the struct.
 *
 * uexec_arch_final_enter(f, stack_top): sp = stack_top (16-aligned), then
 * uexec_final_main(f), which does not return.
 *
 * uexec_arch_final_jump(f): the contract above, set by the kernel itself.
 * An indirect branch would leave the target in a register, so the jump is
 * an rt_sigreturn: a frame (entry_frame.h: up to its terminator) with
 * every general register zero, sp = f->sp, pc = f->entry, pstate
 * f->jump[0], one fpsimd_context record with all vector registers, fpsr
 * and fpcr zero, the signal mask and alternate stack as they are now (read
 * into the frame by rt_sigprocmask and sigaltstack, so the sigreturn
 * changes neither).  The kernel's restore_sigframe() loads them all and
 * also drops any SVE state (TIF_SVE cleared), as exec does.
 *
 * With an exit gadget (f->gadget: "svc #0; [autiasp;] ret" in the vDSO,
 * arch.c) the frame is built below the program's sp, at f->jump[2]
 * (in the stack mapping, where the kernel leaves zeros; arch.c gives up
 * the gadget where the mapping has no room for it), and the blob unmaps
 * itself: x0, x1 = f->blob, f->blob_len, x8 = munmap, x30 = the vDSO's
 * rt_sigreturn trampoline (f->jump[1]), signed with sp as autiasp will
 * check it where the gadget has it, then "ret x16" into the gadget (a
 * return: no BTI landing pad needed).  The gadget's svc unmaps the blob,
 * its ret goes to the trampoline, whose rt_sigreturn loads the frame.
 * Without one the frame is on the blob's own stack and the blob stays;
 * the program's stack is not touched.
 */
#include <asm/unistd.h>
#include "entry_frame.h"

#define F_SP		0
#define F_ENTRY		8
#define F_GADGET	16
#define F_BLOB		24
#define F_BLOB_LEN	32
#define F_PSTATE	48	/* jump[0] */
#define F_TRAMP		56	/* jump[1] */
#define F_FRAME		64	/* jump[2] */
#define AUTIASP		0xd50323bf

	.section uexec_final_text, "ax", %progbits
	.globl	uexec_arch_final_enter
	.hidden	uexec_arch_final_enter
	.type	uexec_arch_final_enter, %function
uexec_arch_final_enter:
	mov	sp, x1
	mov	x29, xzr
	mov	x30, xzr
	bl	uexec_final_main
	brk	#0
	.size	uexec_arch_final_enter, .-uexec_arch_final_enter

	.globl	uexec_arch_final_jump
	.hidden	uexec_arch_final_jump
	.type	uexec_arch_final_jump, %function
uexec_arch_final_jump:
	mov	x19, x0
	ldr	x21, [x19, #F_GADGET]
	mov	x20, sp
	sub	x20, x20, #UEXEC_FRAME_SIZE
	cbz	x21, 1f
	ldr	x20, [x19, #F_FRAME]
1:
	/* The frame: all zero, then the few fields that are not. */
	mov	x10, x20
	add	x11, x20, #UEXEC_FRAME_SIZE
2:	stp	xzr, xzr, [x10], #16
	cmp	x10, x11
	b.lo	2b
	mov	x0, #0			/* SIG_BLOCK with no set: read only */
	mov	x1, #0
	add	x2, x20, #UEXEC_FRAME_SIGMASK
	mov	x3, #8			/* sizeof the kernel's sigset_t */
	mov	x8, #__NR_rt_sigprocmask
	svc	#0
	mov	x0, #0
	add	x1, x20, #UEXEC_FRAME_STACK
	mov	x8, #__NR_sigaltstack
	svc	#0
	ldr	x9, [x19, #F_SP]
	str	x9, [x20, #UEXEC_FRAME_SP]
	ldr	x9, [x19, #F_ENTRY]
	str	x9, [x20, #UEXEC_FRAME_PC]
	ldr	x9, [x19, #F_PSTATE]
	str	x9, [x20, #UEXEC_FRAME_PSTATE]
	mov	w9, #(UEXEC_FRAME_FPSIMD_MAGIC & 0xffff)
	movk	w9, #(UEXEC_FRAME_FPSIMD_MAGIC >> 16), lsl #16
	str	w9, [x20, #UEXEC_FRAME_RESERVED]
	mov	w9, #UEXEC_FRAME_FPSIMD_SIZE
	str	w9, [x20, #(UEXEC_FRAME_RESERVED + 4)]
	/* The record after it is the terminator (magic 0, size 0): zero. */
	mov	sp, x20
	cbz	x21, 4f
	ldr	x0, [x19, #F_BLOB]
	ldr	x1, [x19, #F_BLOB_LEN]
	ldr	x30, [x19, #F_TRAMP]
	mov	x16, x21
	ldr	w9, [x16, #4]
	mov	w10, #(AUTIASP & 0xffff)
	movk	w10, #(AUTIASP >> 16), lsl #16
	cmp	w9, w10
	b.ne	3f
	hint	#25			/* paciasp: sign x30 with sp */
3:	mov	x8, #__NR_munmap
	ret	x16
4:	mov	x8, #__NR_rt_sigreturn
	svc	#0
	brk	#0			/* not reached: a bad frame is SIGSEGV */
	.size	uexec_arch_final_jump, .-uexec_arch_final_jump

	.section .note.GNU-stack, "", %progbits
