/* SPDX-License-Identifier: MIT */
/*
 * Register contract at the program's first instruction, as the kernel's
 * start_thread() and ELF_PLAT_INIT leave an x86_64 process after execve:
 *   rsp     = sp, pointing at argc (16-byte aligned; checked by the caller)
 *   rip     = entry
 *   rdx     = 0 (the psABI's atexit function pointer: none)
 *   rax, rbx, rcx, rsi, rdi, rbp, r8-r15 = 0
 *   rflags  = 0x202 (IF only: DF clear, as the ABI requires); with the exit
 *             gadget ZF and PF are also set (0x246), see below
 *   fs base = gs base = 0 (no TLS until the program sets its own; final.c)
 *   x87, SSE, AVX, AVX-512: the initial state (control word 0x37f, MXCSR
 *   0x1f80, every vector and opmask register zero, and in XSAVE's terms
 *   not in use), as after the kernel's fpu reset; PKRU and AMX state are
 *   left as they are (README, differences).
 *
 * The final stage's two entries (see src/final.h).  They live in the
 * section uexec_final_text, which is copied to the blob before it runs:
 * only position-independent code, no data outside the struct.
 *
 * uexec_arch_final_enter(f, stack_top): rsp = stack_top (16-aligned), then
 * uexec_final_main(f), which does not return.
 *
 * uexec_arch_final_jump(f): the register contract above, reached one of
 * two ways.  With an exit gadget (f->gadget: a
 * "syscall; xor ... ; ret" sequence in the vDSO that clears rcx, rdx, rsi,
 * rdi and r11), it stores gadget and entry below the program's sp, sets up
 * munmap(blob, blob_len), and returns into the gadget: the kernel unmaps the
 * blob, the gadget clears the registers the syscall left, and its ret pops
 * the entry with rsp == sp.  Without one it returns straight to the entry
 * and the blob stays mapped.  Either way rax = 0 (munmap's result) and the
 * two words below sp hold those addresses (the kernel leaves zeros there).
 *
 * An i386 program (f->entry_cs, the code segment) is entered by lretq,
 * and its exit is the chain of the 32-bit vDSO (vdso32.c): f->gadget is
 * "int $0x80; pops; ret", f->jump[0] a run of pops ending in "ret" that
 * clears ebx, f->jump[1] and f->jump[2] their pops.  Below sp go, as
 * 4-byte words from the bottom: the zeros for the first run's pops, the
 * second run's address, the zeros for its pops, the entry; below those
 * the lretq frame.  lretq lands on the int $0x80 in 32-bit mode with
 * eax = munmap, ebx = blob, ecx = blob_len; the runs pop zeros into ebx,
 * ecx and the others and return to the entry with esp == sp, eax = 0 and
 * eflags 0x246 (the second run's xors), as with the 64-bit gadget.
 * Without a chain (f->gadget 0) lretq goes to the entry and the blob stays.
 */
#define F_SP		0
#define F_ENTRY		8
#define F_GADGET	16
#define F_BLOB		24
#define F_BLOB_LEN	32
#define F_ENTRY_CS	40
#define F_JUMP		48

/* rbp, r8-r13 and r15 zero (r12 last read before). */
.macro	clear_others
	xor	%ebp, %ebp
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
	xor	%r12d, %r12d
	xor	%r13d, %r13d
	xor	%r15d, %r15d
.endm

/* rcx zero 4-byte words below rdx, which ends at the lowest. */
.macro	zeros32
.Lz\@:	test	%rcx, %rcx
	jz	.Lzdone\@
	sub	$4, %rdx
	movl	$0, (%rdx)
	dec	%rcx
	jmp	.Lz\@
.Lzdone\@:
.endm

	.section uexec_final_text, "ax", @progbits
	.globl	uexec_arch_final_enter
	.hidden	uexec_arch_final_enter
	.type	uexec_arch_final_enter, @function
uexec_arch_final_enter:
	mov	%rsi, %rsp
	xor	%ebp, %ebp
	call	uexec_final_main
	hlt
	.size	uexec_arch_final_enter, .-uexec_arch_final_enter

	.globl	uexec_arch_final_jump
	.hidden	uexec_arch_final_jump
	.type	uexec_arch_final_jump, @function
uexec_arch_final_jump:
	mov	%rdi, %r12
	mov	$1, %eax
	cpuid
	bt	$27, %ecx		/* OSXSAVE: the kernel enabled XSAVE */
	jnc	1f
	/* XRSTOR from a header whose XSTATE_BV is 0 puts every component it
	 * is asked for into its initial state, as the kernel's fpu reset
	 * does: x87, SSE (MXCSR from the image: 0x1f80), AVX, and AVX-512's
	 * opmask and upper ZMM registers, whatever uexec's (or a library
	 * caller's) code left there.  The image is the 512-byte legacy area
	 * and the 64-byte header, 64-aligned on the final stage's stack. */
	sub	$640, %rsp
	and	$-64, %rsp
	mov	%rsp, %rdi
	xor	%eax, %eax
	mov	$72, %ecx
	rep stosq
	movl	$0x1f80, 24(%rsp)
	xor	%ecx, %ecx
	xgetbv				/* XCR0: the components enabled */
	and	$0xff, %eax		/* x87 .. Hi16_ZMM; not PKRU, not AMX */
	xor	%edx, %edx
	xrstor64 (%rsp)
	jmp	2f
	/* No XSAVE: no AVX either; x87 and SSE by hand. */
1:	fninit
	sub	$16, %rsp
	movl	$0x1f80, (%rsp)
	ldmxcsr	(%rsp)
	add	$16, %rsp
	pxor	%xmm0, %xmm0
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
2:	push	$0x202
	popfq
	mov	F_SP(%r12), %r13
	cmpq	$0, F_ENTRY_CS(%r12)
	jne	3f
	mov	F_ENTRY(%r12), %rax
	mov	%rax, -8(%r13)
	mov	F_GADGET(%r12), %rax
	test	%rax, %rax
	jz	7f
	mov	%rax, -16(%r13)
	xor	%r14d, %r14d
	mov	F_BLOB(%r12), %rdi
	mov	F_BLOB_LEN(%r12), %rsi
	lea	-16(%r13), %rsp
	mov	$11, %eax		/* SYS_munmap */
	jmp	4f
3:	cmpq	$0, F_GADGET(%r12)
	jne	10f
	mov	F_ENTRY_CS(%r12), %rax
	/* A compat (i386) program: rflags, entry and code segment below sp;
	 * popfq after the xors, then lretq switches to 32-bit mode. */
	mov	%rax, -8(%r13)
	mov	F_ENTRY(%r12), %rax
	mov	%rax, -16(%r13)
	movq	$0x202, -24(%r13)
	/* start_thread_ia32(): ds = es = __USER_DS (0 would fault in 32-bit
	 * mode); ss already is. */
	mov	$0x2b, %eax
	mov	%eax, %ds
	mov	%eax, %es
	lea	-24(%r13), %rsp
	xor	%eax, %eax
	xor	%edi, %edi
	xor	%esi, %esi
	mov	$2, %r14d		/* popfq, then lretq */
	jmp	5f
7:	movq	$0x202, -16(%r13)	/* rflags, restored after the xors */
	lea	-16(%r13), %rsp
	xor	%eax, %eax
	xor	%edi, %edi
	xor	%esi, %esi
	mov	$1, %r14d		/* no gadget: popfq before ret */
	jmp	5f
4:	xor	%r14d, %r14d
5:	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	clear_others
	test	%r14d, %r14d
	jz	6f
	cmp	$2, %r14d
	je	8f
	xor	%r14d, %r14d
	popfq
6:	ret
8:	xor	%r14d, %r14d
	popfq
	lretq

	/* A compat program's exit chain (see above); rdx: the next word. */
10:	lea	-4(%r13), %rdx
	mov	F_ENTRY(%r12), %eax
	movl	%eax, (%rdx)
	mov	F_JUMP+16(%r12), %rcx
	zeros32
	sub	$4, %rdx
	mov	F_JUMP(%r12), %eax
	movl	%eax, (%rdx)
	mov	F_JUMP+8(%r12), %rcx
	zeros32
	mov	F_ENTRY_CS(%r12), %rax
	mov	%rax, -8(%rdx)
	mov	F_GADGET(%r12), %rax
	mov	%rax, -16(%rdx)
	movq	$0x202, -24(%rdx)
	mov	$0x2b, %eax		/* ds = es = __USER_DS, as above */
	mov	%eax, %ds
	mov	%eax, %es
	lea	-24(%rdx), %rsp
	mov	F_BLOB(%r12), %rbx
	mov	F_BLOB_LEN(%r12), %rcx
	mov	$91, %eax		/* munmap in the i386 table */
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%r14d, %r14d
	clear_others
	popfq
	lretq
	.size	uexec_arch_final_jump, .-uexec_arch_final_jump

	.section .note.GNU-stack, "", @progbits
