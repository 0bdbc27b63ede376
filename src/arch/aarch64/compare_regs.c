/* SPDX-License-Identifier: MIT */
/*
 * aarch64: --compare's register snapshot is not implemented yet
 * (UEXEC_ARCH_PTRACE_REGS is not defined in arch.h): src/compare/cmp.h's
 * defaults make --compare say so and exit 2.  PTRACE_GETREGSET with
 * NT_PRSTATUS (struct user_pt_regs) and NT_PRFPREG is the way to add it.
 */
