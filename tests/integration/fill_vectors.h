/* SPDX-License-Identifier: MIT */
/*
 * launch -F: every vector, opmask and floating-point control register the
 * CPU has set to a value exec must not pass on (all ones; non-default
 * rounding or flush-to-zero), so that a test sees whether the exec reset
 * them.  The per-arch part is tests/integration/arch/ARCH/fill_vectors.c.
 * The caller may go on to call C code: what is set stays within the ABI
 * (no x87 stack entries, MXCSR/FPCR control bits only).
 */
#ifndef FILL_VECTORS_H
#define FILL_VECTORS_H

void launch_fill_vectors(void);

#endif
