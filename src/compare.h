/* SPDX-License-Identifier: MIT */
/*
 * The debugging tools: the handler chain record, the register state at
 * entry, the --break report.  (uexec --compare and --wait-gdb have their
 * own header: src/compare/compare.h.)
 */
#ifndef UEXEC_COMPARE_H
#define UEXEC_COMPARE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "uexec/uexec.h"

/* One answer of one handler (search_binary_handler), in order. */
#define UEXEC_CHAIN_MAX 256
struct uexec_handler_step {
	char handler[32];
	char file[256];
	int depth;		/* rewrites before this one */
	int ret;		/* 0, -ENOEXEC or -errno */
	int rewrote;		/* 0 answered by rewriting the exec (#!, misc) */
};
const struct uexec_handler_step *uexec_trace_chain(size_t *n);

/* A register as the program finds it at its first instruction. */
struct uexec_reg {
	const char *name;
	unsigned long value;
};
#define UEXEC_MAX_REGS 32
/* The registers entry.S hands over (its contract), for ENTRY and SP;
 * returns how many were written to OUT (at most MAX). */
size_t uexec_entry_registers(uintptr_t entry, uintptr_t sp, struct uexec_reg *out,
			     size_t max);

/* --break: where the announcement goes instead of stderr (closed after
 * it); used by --compare and --wait-gdb. */
void uexec_set_break_report_fd(int fd);

/* --json failures: one JSON document on OUT for the error ERR/MSG. */
void uexec_plan_print_json_error(FILE *out, const char *msg, int err, int status);

#endif
