/* SPDX-License-Identifier: MIT */
/*
 * _start of the "entry" program: record the machine state exactly as the
 * exec left it, before any instruction can change it, then hand it to
 * entry_main() (entry.c) and exit with its status.
 *
 * entry_regs[] layout (8 bytes each), shared with entry.c:
 *   0 rax 1 rbx 2 rcx 3 rdx 4 rsi 5 rdi 6 rbp 7 rsp
 *   8 r8 ... 15 r15, 16 rflags, 17 fs base, 18 fcw, 19 mxcsr
 * entry_xstate[]: 0 XCR0 (0: no XSAVE), 1 XINUSE (XGETBV 1; ~0 where the
 * CPU cannot tell); entry_xsave: XSAVE of components 0-7 (x87 .. AVX-512),
 * standard form, before any vector instruction ran.
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
	/* cpuid and xgetbv leave the vector state alone. */
	movq	$-1, entry_xstate+8(%rip)
	mov	$1, %eax
	cpuid
	bt	$27, %ecx		/* OSXSAVE */
	jnc	2f
	xor	%ecx, %ecx
	xgetbv
	mov	%eax, entry_xstate(%rip)
	mov	%edx, entry_xstate+4(%rip)
	mov	$0xd, %eax
	mov	$1, %ecx
	cpuid
	bt	$2, %eax		/* XGETBV with ecx = 1 */
	jnc	1f
	mov	$1, %ecx
	xgetbv
	mov	%eax, entry_xstate+8(%rip)
	mov	%edx, entry_xstate+12(%rip)
1:	mov	entry_xstate(%rip), %eax
	and	$0xff, %eax
	xor	%edx, %edx
	xsave64	entry_xsave(%rip)
2:
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
	.globl	entry_xstate
	.balign	16
entry_xstate:
	.zero	2 * 8
	.size	entry_xstate, .-entry_xstate
	.globl	entry_xsave
	.balign	64
entry_xsave:
	.zero	4096
	.size	entry_xsave, .-entry_xsave

	.section .note.GNU-stack, "", @progbits
