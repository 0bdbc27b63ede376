/* SPDX-License-Identifier: MIT */
/*
 * The rt_sigreturn frame the final jump builds (entry.S): byte offsets in
 * the kernel's struct rt_sigframe (arch/arm64/kernel/signal.c: a siginfo,
 * then a ucontext whose uc_mcontext is struct sigcontext with its records
 * in __reserved[], arch/arm64/include/uapi/asm/sigcontext.h).  Shared by
 * entry.S (assembly: numbers only) and arch.c, which asserts them against
 * the C headers.
 */
#ifndef UEXEC_ENTRY_FRAME_H
#define UEXEC_ENTRY_FRAME_H

#define UEXEC_FRAME_UC		128	/* struct ucontext */
#define UEXEC_FRAME_STACK	144	/* uc_stack (stack_t) */
#define UEXEC_FRAME_SIGMASK	168	/* uc_sigmask */
#define UEXEC_FRAME_REGS	312	/* uc_mcontext.regs[0] */
#define UEXEC_FRAME_SP		560	/* uc_mcontext.sp */
#define UEXEC_FRAME_PC		568	/* uc_mcontext.pc */
#define UEXEC_FRAME_PSTATE	576	/* uc_mcontext.pstate */
#define UEXEC_FRAME_RESERVED	592	/* uc_mcontext.__reserved[]: records */
#define UEXEC_FRAME_FPSIMD_MAGIC 0x46508001	/* FPSIMD_MAGIC */
#define UEXEC_FRAME_FPSIMD_SIZE	528	/* sizeof(struct fpsimd_context) */
/* What the final jump writes: the frame up to its last record, the
 * terminator after the fpsimd_context (the kernel reads no further),
 * 16-byte multiple. */
#define UEXEC_FRAME_SIZE	1136
/* The whole struct rt_sigframe, which the kernel's access_ok() wants below
 * the top of the address space (arch.c places the frame). */
#define UEXEC_FRAME_FULL	4688

#endif
