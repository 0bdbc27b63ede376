/* SPDX-License-Identifier: MIT */
/* The ELF handler (binfmt_elf.c): load_elf_binary() makes bprm->plan. */
#ifndef UEXEC_BINFMT_ELF_H
#define UEXEC_BINFMT_ELF_H

#include "uexec/binfmt.h"

extern struct uexec_binfmt uexec_elf_format;

#endif
