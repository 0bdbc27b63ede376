/* SPDX-License-Identifier: MIT */
/*
 * _start and the branch probe of the "bti" program (bti.c), and the GNU
 * property note that asks the kernel for BTI: every object of the program
 * carries it (bti.c through -mbranch-protection=bti), or the linker drops
 * it from the program's PT_GNU_PROPERTY.
 */
	.text
	.globl	_start
	.type	_start, %function
_start:
	mov	x0, sp
	bl	bti_main
	mov	x8, #94			/* __NR_exit_group */
	svc	#0
	brk	#0
	.size	_start, .-_start

/*
 * int bti_bad_branch(void): 0, after an indirect branch ("br x16") to an
 * instruction that is no landing pad.  On a guarded page (PROT_BTI) that
 * branch raises a Branch Target exception, which the kernel delivers as
 * SIGILL, and nothing returns.
 */
	.globl	bti_bad_branch
	.type	bti_bad_branch, %function
bti_bad_branch:
	hint	#34			/* bti c: bl-called, a landing pad */
	adr	x16, 1f
	br	x16
1:	mov	x0, #0
	ret
	.size	bti_bad_branch, .-bti_bad_branch

	.section .note.gnu.property, "a"
	.p2align 3
	.word	4			/* n_namesz */
	.word	16			/* n_descsz */
	.word	5			/* NT_GNU_PROPERTY_TYPE_0 */
	.asciz	"GNU"
	.word	0xc0000000		/* GNU_PROPERTY_AARCH64_FEATURE_1_AND */
	.word	4
	.word	1			/* GNU_PROPERTY_AARCH64_FEATURE_1_BTI */
	.word	0

	.section .note.GNU-stack, "", %progbits
