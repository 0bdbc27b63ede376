/* SPDX-License-Identifier: MIT */
/*
 * tiny: the smallest valid program (no libc, static, non-PIE): write
 * "tiny ran" and exit 0.  tests/bad-elf/gen-bad-elf mutates copies of it;
 * that line on standard output proves a mutant was run.
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	mov	$1, %eax		/* SYS_write */
	mov	$1, %edi
	lea	msg(%rip), %rsi
	mov	$msg_len, %edx
	syscall
	mov	$231, %eax		/* SYS_exit_group */
	xor	%edi, %edi
	syscall
	hlt
	.size	_start, .-_start
msg:
	.ascii	"tiny ran\n"
	.set	msg_len, .-msg

	.section .note.GNU-stack, "", @progbits
