/* SPDX-License-Identifier: MIT */
/*
 * The initial stack image (stack.c): built as the kernel's exec lays it
 * out, and read back by the plan printer, the trace and the tests.
 */
#ifndef UEXEC_STACK_H
#define UEXEC_STACK_H

#include <stddef.h>
#include <stdint.h>

#include "plan.h"

struct uexec_stack_input {
	char *const *argv;
	char *const *envp;
	const char *execfn;
	const char *platform;		/* AT_PLATFORM string or NULL */
	const char *base_platform;	/* AT_BASE_PLATFORM or NULL */
	unsigned char random[16];	/* AT_RANDOM bytes */
	size_t sub_page_offset;		/* arch_align_stack's random part */
	unsigned int word;		/* bytes of a pointer; 0 means 8 */
	/* Bytes of the zero end marker above the strings: the running
	 * kernel's sizeof(void *) (bprm->p starts at vm_end - sizeof(void *)
	 * in bprm_mm_init/__bprm_mm_init), whatever the program's word is;
	 * 0 means 8. */
	unsigned int end_marker;
	/* The auxv to write, in order, AT_NULL excluded; values that point
	 * into the stack (AT_RANDOM, AT_EXECFN, AT_PLATFORM,
	 * AT_BASE_PLATFORM) are filled in by the builder. */
	const unsigned long (*auxv)[2];
	size_t auxc;
};

/* Build ST's image below ST->top from IN (the kernel's copy_strings and
 * create_elf_tables).  Pure: no system call.  0, or -errno with the reason
 * in ERR; ST->image is allocated here and owned by ST. */
int uexec_create_elf_tables(struct uexec_stack *st, const struct uexec_stack_input *in,
			    char *err, size_t errlen);
/* The bytes the strings take (the kernel's copy_strings), the 8-byte end
 * marker excluded. */
size_t uexec_stack_strings_size(char *const *argv, char *const *envp,
				const char *execfn);

/* Release ST's image (it is empty afterwards). */
void uexec_stack_free(struct uexec_stack *st);

/* The word (of the program's size) at ADDR of the image; 0 outside. */
unsigned long uexec_stack_word(const struct uexec_stack *st, uintptr_t addr);
/* The string at ADDR of the image ("" outside). */
const char *uexec_stack_string(const struct uexec_stack *st, uintptr_t addr);

/* One slot of argv, envp or auxv, as the stack holds it. */
struct uexec_stack_slot {
	const char *vector;	/* "argv", "envp" or "auxv" */
	size_t index;
	uintptr_t at;		/* where the slot is (auxv: its key) */
	unsigned long key;	/* auxv only */
	unsigned long value;	/* the pointer, or the auxv value */
	const char *string;	/* the string it points to, or NULL */
};
typedef void uexec_stack_visit_fn(const struct uexec_stack_slot *slot, void *arg);
/* FN for each argv, then envp, then auxv slot of ST, terminators excluded
 * (argv's NULL is at st->argv + st->argc * st->word). */
void uexec_stack_visit(const struct uexec_stack *st, uexec_stack_visit_fn *fn, void *arg);

#endif
