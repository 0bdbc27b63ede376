/* SPDX-License-Identifier: MIT */
/*
 * tiny on aarch64: the smallest valid program (no libc, static, non-PIE):
 * write "tiny ran" and exit 0.
 */
	.text
	.globl	_start
	.type	_start, %function
_start:
	mov	x0, #1
	adr	x1, msg
	mov	x2, #msg_len
	mov	x8, #64			/* __NR_write */
	svc	#0
	mov	x0, #0
	mov	x8, #94			/* __NR_exit_group */
	svc	#0
	brk	#0
	.size	_start, .-_start
msg:
	.ascii	"tiny ran\n"
	.set	msg_len, .-msg

	.section .note.GNU-stack, "", %progbits
