/* SPDX-License-Identifier: MIT */
/*
 * Register contract at the program's first instruction, as the arm64
 * kernel's start_thread() (arch/arm64/include/asm/processor.h: pt_regs
 * zeroed, pc and sp set, pstate = PSR_MODE_EL0t) and ELF_PLAT_INIT (x0 = 0,
 * the AAPCS64 rtld_fini pointer: none) leave a process after execve:
 *   sp        = the program's sp, pointing at argc (16-byte aligned)
 *   pc        = entry
 *   x0-x30    = 0 (x29 frame pointer and x30 link register included)
 *   pstate    = 0 (EL0t; N, Z, C, V clear)
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
 * an rt_sigreturn: a frame on the blob's own stack (entry_frame.h) with
 * every general register zero, sp = f->sp, pc = f->entry, pstate 0, one
 * fpsimd_context record with all vector registers, fpsr and fpcr zero, the
 * signal mask and alternate stack as they are now (read into the frame by
 * rt_sigprocmask and sigaltstack, so the sigreturn changes neither).  The
 * kernel's restore_sigframe() loads them all and also drops any SVE state
 * (TIF_SVE cleared), as exec does.  The program's stack is not touched.
 * f->gadget is unused (0): the blob stays mapped.
 */
#include <asm/unistd.h>
#include "entry_frame.h"

#define F_SP		0
#define F_ENTRY		8

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
	mov	x9, #UEXEC_FRAME_SIZE
	sub	sp, sp, x9
	mov	x20, sp
	/* The frame: all zero, then the few fields that are not. */
	mov	x10, x20
	add	x11, x20, x9
1:	stp	xzr, xzr, [x10], #16
	cmp	x10, x11
	b.lo	1b
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
	mov	w9, #(UEXEC_FRAME_FPSIMD_MAGIC & 0xffff)
	movk	w9, #(UEXEC_FRAME_FPSIMD_MAGIC >> 16), lsl #16
	str	w9, [x20, #UEXEC_FRAME_RESERVED]
	mov	w9, #UEXEC_FRAME_FPSIMD_SIZE
	str	w9, [x20, #(UEXEC_FRAME_RESERVED + 4)]
	/* The record after it is the terminator (magic 0, size 0): zero. */
	mov	sp, x20
	mov	x8, #__NR_rt_sigreturn
	svc	#0
	brk	#0			/* not reached: a bad frame is SIGSEGV */
	.size	uexec_arch_final_jump, .-uexec_arch_final_jump

	.section .note.GNU-stack, "", %progbits
