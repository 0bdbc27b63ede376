/* SPDX-License-Identifier: MIT */
/*
 * uexec_arch_call_on_stack(top, fn, arg) (archdep.h): returns fn(arg),
 * run with rsp = top.  top is 16-byte aligned; the call pushes the return
 * address, so fn starts as any function does.  rbp, callee-saved, holds
 * the caller's stack pointer across fn; the CFI names it, so that a
 * debugger unwinds from fn through here to the caller.  No signal mask or
 * other state is touched (unlike swapcontext(), which costs system calls
 * and is missing from some libcs).
 */
	.text
	.globl	uexec_arch_call_on_stack
	.hidden	uexec_arch_call_on_stack
	.type	uexec_arch_call_on_stack, @function
uexec_arch_call_on_stack:
	.cfi_startproc
	endbr64
	push	%rbp
	.cfi_def_cfa_offset 16
	.cfi_offset %rbp, -16
	mov	%rsp, %rbp
	.cfi_def_cfa_register %rbp
	mov	%rdi, %rsp
	mov	%rdx, %rdi
	call	*%rsi
	mov	%rbp, %rsp
	.cfi_def_cfa_register %rsp
	pop	%rbp
	.cfi_def_cfa_offset 8
	ret
	.cfi_endproc
	.size	uexec_arch_call_on_stack, .-uexec_arch_call_on_stack

	.section .note.GNU-stack, "", @progbits
