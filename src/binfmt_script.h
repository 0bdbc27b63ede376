/* SPDX-License-Identifier: MIT */
/* "#!" scripts (binfmt_script.c, the kernel's fs/binfmt_script.c). */
#ifndef UEXEC_BINFMT_SCRIPT_H
#define UEXEC_BINFMT_SCRIPT_H

#include "uexec/binfmt.h"

/* The handler; formats.c puts it on the list before the ELF handler. */
extern struct uexec_binfmt uexec_script_format;

#endif
