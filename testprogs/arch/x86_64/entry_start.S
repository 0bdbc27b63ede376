/* SPDX-License-Identifier: MIT */
/*
 * _start of the "entry" program: record the machine state exactly as the
 * exec left it, before any instruction can change it, then hand it to
 * entry_main() (entry.c) and exit with its status.
 *
 * entry_regs[] layout (8 bytes each), shared with entry.c:
 *   0 rax 1 rbx 2 rcx 3 rdx 4 rsi 5 rdi 6 rbp 7 rsp
 *   8 r8 ... 15 r15, 16 rflags, 17 fs base, 18 fcw, 19 mxcsr
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	/* mov to memory changes neither registers nor flags. */
	mov	%rax, entry_regs+0(%rip)
	mov	%rbx, entry_regs+8(%rip)
	mov	%rcx, entry_regs+16(%rip)
	mov	%rdx, entry_regs+24(%rip)
	mov	%rsi, entry_regs+32(%rip)
	mov	%rdi, entry_regs+40(%rip)
	mov	%rbp, entry_regs+48(%rip)
	mov	%rsp, entry_regs+56(%rip)
	mov	%r8, entry_regs+64(%rip)
	mov	%r9, entry_regs+72(%rip)
	mov	%r10, entry_regs+80(%rip)
	mov	%r11, entry_regs+88(%rip)
	mov	%r12, entry_regs+96(%rip)
	mov	%r13, entry_regs+104(%rip)
	mov	%r14, entry_regs+112(%rip)
	mov	%r15, entry_regs+120(%rip)
	fnstcw	entry_regs+144(%rip)
	stmxcsr	entry_regs+152(%rip)
	pushfq				/* rsp is saved: the stack may move */
	pop	%rax
	mov	%rax, entry_regs+128(%rip)
	mov	$158, %eax		/* SYS_arch_prctl */
	mov	$0x1003, %edi		/* ARCH_GET_FS */
	lea	entry_regs+136(%rip), %rsi
	syscall

	mov	entry_regs+56(%rip), %rdi
	and	$-16, %rsp
	cld
	call	entry_main
	mov	%eax, %edi
	mov	$231, %eax		/* SYS_exit_group */
	syscall
	hlt
	.size	_start, .-_start

	.bss
	.globl	entry_regs
	.balign	16
entry_regs:
	.zero	20 * 8
	.size	entry_regs, .-entry_regs

	.section .note.GNU-stack, "", @progbits
