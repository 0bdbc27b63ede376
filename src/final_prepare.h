/* SPDX-License-Identifier: MIT */
/*
 * The final stage's preparation (final_prepare.c), before the point of no
 * return: the blob with the final stage's code and its struct uexec_final,
 * filled with everything it will do (what to unmap, what to move, the
 * kernel's view of the new process).
 */
#ifndef UEXEC_FINAL_PREPARE_H
#define UEXEC_FINAL_PREPARE_H

#include <stddef.h>
#include <stdint.h>

#include "binprm.h"
#include "final.h"
#include "mm.h"

/* Owned by final_prepare.c: the blob, released by uexec_final_release(). */
struct uexec_handover {
	uintptr_t blob;
	size_t blob_len;
	struct uexec_final *final;	/* in the blob */
};

/*
 * Map the blob and fill it for BPRM's plan, applied as MM says.  All of
 * the final stage's lists are sized here, from one reading of
 * /proc/self/maps taken after every other mapping of the exec exists; no
 * memory is mapped between this and the jump.  0, or -errno with the
 * reason in ERR and nothing left mapped.
 */
int uexec_final_prepare(const struct uexec_binprm *bprm, const struct uexec_mm *mm,
			struct uexec_handover *ho, char *err, size_t errlen);
void uexec_final_release(struct uexec_handover *ho);
/* The final stage's entry, in the blob (after the point of no return). */
__attribute__((noreturn)) void uexec_final_enter(const struct uexec_handover *ho);

#endif
