/* SPDX-License-Identifier: MIT */
/*
 * uexec_arch_call_on_stack(top, fn, arg) (archdep.h): returns fn(arg),
 * run with sp = top (16-byte aligned).  x29, callee-saved, holds the
 * caller's frame across fn, and the frame record it points at holds the
 * caller's x29 and x30, so that a debugger unwinds from fn through here.
 * No signal mask or other state is touched (unlike swapcontext(), which
 * costs system calls and is missing from some libcs).  "bti c" first: an
 * indirect call may land here where BTI is enforced.
 */
	.text
	.globl	uexec_arch_call_on_stack
	.hidden	uexec_arch_call_on_stack
	.type	uexec_arch_call_on_stack, %function
uexec_arch_call_on_stack:
	.cfi_startproc
	hint	#34			/* bti c */
	stp	x29, x30, [sp, #-16]!
	.cfi_def_cfa_offset 16
	.cfi_offset x29, -16
	.cfi_offset x30, -8
	mov	x29, sp
	.cfi_def_cfa_register x29
	mov	sp, x0
	mov	x0, x2
	blr	x1
	mov	sp, x29
	.cfi_def_cfa_register sp
	ldp	x29, x30, [sp], #16
	.cfi_def_cfa_offset 0
	.cfi_restore x29
	.cfi_restore x30
	ret
	.cfi_endproc
	.size	uexec_arch_call_on_stack, .-uexec_arch_call_on_stack

	.section .note.GNU-stack, "", %progbits
