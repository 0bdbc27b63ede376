/* SPDX-License-Identifier: MIT */
/*
 * _start of the "entry" program on aarch64: record the machine state
 * exactly as the exec left it, before any instruction can change it, then
 * hand it to entry_main() (entry.c) and exit with its status.
 *
 * entry_regs[] layout (8 bytes each), shared with entry_arch.h:
 *   0-30 x0-x30, 31 sp, 32 nzcv, 33 fpcr, 34 fpsr, 35 tpidr_el0,
 *   36-99 v0-v31 (16 bytes each)
 * x0 and x1 go to the 16 bytes below sp first (a store changes no
 * register but its address register, and x0 becomes that one); sp is
 * recorded as it was.
 */
	.text
	.globl	_start
	.type	_start, %function
_start:
	stp	x0, x1, [sp, #-16]!
	adrp	x0, entry_regs
	add	x0, x0, :lo12:entry_regs
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	str	x30, [x0, #240]
	mrs	x1, nzcv		/* no instruction above sets flags */
	str	x1, [x0, #256]
	mrs	x1, fpcr
	str	x1, [x0, #264]
	mrs	x1, fpsr
	str	x1, [x0, #272]
	mrs	x1, tpidr_el0
	str	x1, [x0, #280]
	add	x2, x0, #288
	stp	q0, q1, [x2, #0]
	stp	q2, q3, [x2, #32]
	stp	q4, q5, [x2, #64]
	stp	q6, q7, [x2, #96]
	stp	q8, q9, [x2, #128]
	stp	q10, q11, [x2, #160]
	stp	q12, q13, [x2, #192]
	stp	q14, q15, [x2, #224]
	stp	q16, q17, [x2, #256]
	stp	q18, q19, [x2, #288]
	stp	q20, q21, [x2, #320]
	stp	q22, q23, [x2, #352]
	stp	q24, q25, [x2, #384]
	stp	q26, q27, [x2, #416]
	stp	q28, q29, [x2, #448]
	stp	q30, q31, [x2, #480]
	ldp	x2, x3, [sp], #16	/* the program's x0, x1; sp as it was */
	stp	x2, x3, [x0, #0]
	mov	x1, sp
	str	x1, [x0, #248]

	mov	x0, sp
	mov	x29, xzr
	mov	x30, xzr
	bl	entry_main
	mov	x8, #94			/* __NR_exit_group */
	svc	#0
	brk	#0
	.size	_start, .-_start

	.bss
	.globl	entry_regs
	.balign	16
entry_regs:
	.zero	100 * 8
	.size	entry_regs, .-entry_regs

	.section .note.GNU-stack, "", %progbits
