/* SPDX-License-Identifier: MIT */
/*
 * arm64's GNU properties (archdep.h): the kernel's arch_parse_elf_property()
 * (arch/arm64/include/asm/elf.h) and arch_elf_adjust_prot()
 * (arch/arm64/kernel/process.c).  GNU_PROPERTY_AARCH64_FEATURE_1_AND with
 * the BTI bit, on a CPU and kernel with BTI (HWCAP2_BTI: the kernel's
 * system_supports_bti()), puts PROT_BTI on the executable segments of the
 * image whose note was read -- the program's when it has no interpreter,
 * the interpreter's otherwise (the interpreter guards the rest itself).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>

#include "archdep.h"

#define FEATURE_1_AND	0xc0000000U	/* GNU_PROPERTY_AARCH64_FEATURE_1_AND */
#define FEATURE_1_BTI	(1U << 0)	/* GNU_PROPERTY_AARCH64_FEATURE_1_BTI */
#define HWCAP2_BTI_BIT	(1UL << 17)	/* HWCAP2_BTI, asm/hwcap.h */
#define PROT_BTI_BIT	0x10		/* PROT_BTI, asm/mman.h */

int uexec_arch_parse_elf_property(const struct uexec_abi *abi, uint32_t type,
				  const void *data, size_t len,
				  struct uexec_arch_elf_state *st, char *err, size_t errlen)
{
	uint32_t features;

	if (abi->compat || type != FEATURE_1_AND)
		return 0;	/* none known for AArch32; others are ignored */
	if (len != sizeof(features)) {
		snprintf(err, errlen, "GNU property note: "
			 "GNU_PROPERTY_AARCH64_FEATURE_1_AND has %zu bytes, not 4", len);
		return -ENOEXEC;
	}
	memcpy(&features, data, sizeof(features));
	if ((features & FEATURE_1_BTI) && (getauxval(AT_HWCAP2) & HWCAP2_BTI_BIT))
		st->flags |= UEXEC_ARCH_ELF_BTI;
	return 0;
}

int uexec_arch_elf_adjust_prot(int prot, const struct uexec_arch_elf_state *st,
			       bool has_interp, bool is_interp)
{
	if (is_interp != has_interp || !(st->flags & UEXEC_ARCH_ELF_BTI))
		return prot;
	return prot & PROT_EXEC ? prot | PROT_BTI_BIT : prot;
}

const char *uexec_arch_elf_state_string(const struct uexec_arch_elf_state *st)
{
	return st->flags & UEXEC_ARCH_ELF_BTI ? "bti" : "";
}
