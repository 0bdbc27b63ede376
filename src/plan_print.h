/* SPDX-License-Identifier: MIT */
/* Printing a load plan for --dry-run (plan_print.c). */
#ifndef UEXEC_PLAN_PRINT_H
#define UEXEC_PLAN_PRINT_H

#include <stdio.h>

#include "binprm.h"

/* The plan of BPRM as text, or as JSON with UEXEC_F_JSON (doc/plan-schema.md),
 * or the picture of its address space with UEXEC_F_LAYOUT (_SVG: as SVG). */
void uexec_plan_print(const struct uexec_binprm *bprm, FILE *out);
/* --json failures: one JSON document on OUT for the error ERR/MSG. */
void uexec_plan_print_json_error(FILE *out, const char *msg, int err, int status);

#endif
