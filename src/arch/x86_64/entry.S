/* SPDX-License-Identifier: MIT */
/*
 * uexec_arch_enter(sp, entry, stop): the last instructions uexec runs.
 *
 * Register contract at the program's first instruction, as the kernel's
 * start_thread() and ELF_PLAT_INIT leave an x86_64 process after execve:
 *   rsp     = sp, pointing at argc (16-byte aligned; checked by the caller)
 *   rip     = entry
 *   rdx     = 0 (the psABI's atexit function pointer: none)
 *   rax, rbx, rcx, rsi, rdi, rbp, r8-r15 = 0
 *   rflags  = 0x202 (IF only: DF clear, as the ABI requires)
 *   fs base = 0 (no TLS until the program sets its own)
 *   x87/SSE/AVX: the initial state (control word 0x37f, MXCSR 0x1f80,
 *   all vector registers zero), as after the kernel's fpu reset.
 *
 * Inputs: rdi = sp, rsi = entry, edx = stop.  It uses no memory of uexec's
 * after it starts except its own code, and it never returns.  A failure
 * of the one system call it makes (arch_prctl) cannot happen with a zero
 * argument; it is ignored.
 */
	.text
	.globl	uexec_arch_enter
	.type	uexec_arch_enter, @function
	.hidden	uexec_arch_enter
uexec_arch_enter:
	.cfi_startproc
	.cfi_undefined rip
	mov	%rdi, %r12		/* sp */
	mov	%rsi, %r13		/* entry */
	mov	%edx, %r14d		/* stop */

	/* fs base = 0: from here on no TLS (and no libc) is used. */
	mov	$158, %eax		/* SYS_arch_prctl */
	mov	$0x1002, %edi		/* ARCH_SET_FS */
	xor	%esi, %esi
	syscall

	test	%r14d, %r14d
	jz	1f
	mov	$39, %eax		/* SYS_getpid */
	syscall
	mov	%eax, %edi
	mov	$19, %esi		/* SIGSTOP */
	mov	$62, %eax		/* SYS_kill */
	syscall
1:
	/* FPU/SSE/AVX initial state. */
	fninit
	sub	$16, %rsp
	movl	$0x1f80, (%rsp)
	ldmxcsr	(%rsp)
	add	$16, %rsp
	mov	$1, %eax
	cpuid
	bt	$28, %ecx		/* AVX */
	jnc	2f
	bt	$27, %ecx		/* OSXSAVE */
	jnc	2f
	vzeroall
	jmp	3f
2:	pxor	%xmm0, %xmm0
	pxor	%xmm1, %xmm1
	pxor	%xmm2, %xmm2
	pxor	%xmm3, %xmm3
	pxor	%xmm4, %xmm4
	pxor	%xmm5, %xmm5
	pxor	%xmm6, %xmm6
	pxor	%xmm7, %xmm7
	pxor	%xmm8, %xmm8
	pxor	%xmm9, %xmm9
	pxor	%xmm10, %xmm10
	pxor	%xmm11, %xmm11
	pxor	%xmm12, %xmm12
	pxor	%xmm13, %xmm13
	pxor	%xmm14, %xmm14
	pxor	%xmm15, %xmm15
3:
	mov	%r12, %rsp
	push	%r13			/* entry, popped by the ret below */
	push	$0x202
	popfq
	xor	%eax, %eax
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%ebp, %ebp
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
	xor	%r12d, %r12d
	xor	%r13d, %r13d
	xor	%r14d, %r14d
	xor	%r15d, %r15d
	ret				/* to entry, with rsp = sp */
	.cfi_endproc
	.size	uexec_arch_enter, .-uexec_arch_enter

	.section .note.GNU-stack, "", @progbits
