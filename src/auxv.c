/* SPDX-License-Identifier: MIT */
/*
 * The auxv template: the entries, in the order, that this kernel gives a
 * program of this architecture.  uexec was itself started by this kernel,
 * so its own auxv (/proc/self/auxv, or in a fresh process the same words on
 * its initial stack: fresh.h) is exactly that; uexec_auxv_build()
 * replaces the values that belong to the new program.  A process that is not
 * fresh asks the kernel for mm->saved_auxv with PR_GET_AUXV (Linux 6.4: one
 * system call, where the /proc file is an open, two reads and a close);
 * before that, /proc/self/auxv shows the same words.  Where neither answers
 * (no /proc), the kernel's documented order is rebuilt from getauxval().
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "archdep.h"
#include "auxv.h"
#include "fresh.h"

#ifndef PR_GET_AUXV
#define PR_GET_AUXV 0x41555856
#endif
#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif
#ifndef AT_RSEQ_FEATURE_SIZE
#define AT_RSEQ_FEATURE_SIZE 27
#define AT_RSEQ_ALIGN 28
#endif
#ifndef AT_HWCAP3
#define AT_HWCAP3 29
#define AT_HWCAP4 30
#endif

static int from_getauxval(unsigned long (*out)[2], size_t max, size_t *n)
{
	static const unsigned long keys[] = {
		UEXEC_ARCH_DLINFO_KEYS,
		AT_HWCAP, AT_PAGESZ, AT_CLKTCK, AT_PHDR, AT_PHENT, AT_PHNUM,
		AT_BASE, AT_FLAGS, AT_ENTRY, AT_UID, AT_EUID, AT_GID, AT_EGID,
		AT_SECURE, AT_RANDOM, AT_HWCAP2, AT_HWCAP3, AT_HWCAP4, AT_EXECFN,
		AT_PLATFORM, AT_BASE_PLATFORM, AT_RSEQ_FEATURE_SIZE, AT_RSEQ_ALIGN,
	};
	static const unsigned long always[] = {
		AT_PHDR, AT_PHENT, AT_PHNUM, AT_BASE, AT_FLAGS, AT_ENTRY, AT_UID,
		AT_EUID, AT_GID, AT_EGID, AT_SECURE, AT_RANDOM, AT_EXECFN,
	};

	*n = 0;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && *n < max; i++) {
		unsigned long v;
		int present = 0;

		errno = 0;
		v = getauxval(keys[i]);
		if (errno != ENOENT)
			present = 1;
		for (size_t j = 0; j < sizeof(always) / sizeof(always[0]); j++)
			if (always[j] == keys[i])
				present = 1;
		if (!present)
			continue;
		if (keys[i] == AT_HWCAP)
			v = uexec_arch_hwcap();
		out[*n][0] = keys[i];
		out[*n][1] = v;
		(*n)++;
	}
	return 0;
}

/* The pairs of WORDS (GOT bytes of them, or up to AT_NULL when GOT is
 * (size_t)-1) before AT_NULL into OUT. */
static void copy_pairs(const unsigned long *words, size_t got, unsigned long (*out)[2],
		       size_t max, size_t *n)
{
	for (size_t i = 0; (i + 1) * 2 * sizeof(long) <= got && *n < max; i++) {
		if (words[2 * i] == AT_NULL)
			break;
		out[*n][0] = words[2 * i];
		out[*n][1] = words[2 * i + 1];
		(*n)++;
	}
}

/* Are the N pairs of V the auxv this process's libc was given?  Under an
 * emulator (qemu-user, valgrind) the kernel's saved_auxv is the emulator's
 * own, while its /proc/self/auxv and getauxval() show the guest's. */
static bool is_own_auxv(const unsigned long (*v)[2], size_t n)
{
	static const unsigned long keys[] = { AT_PHDR, AT_ENTRY, AT_RANDOM };
	size_t seen = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (v[i][0] == keys[k]) {
				if (v[i][1] != getauxval(keys[k]))
					return false;
				seen++;
			}
	return seen == sizeof(keys) / sizeof(keys[0]);
}

int uexec_auxv_template(unsigned long (*out)[2], size_t max, size_t *n)
{
	unsigned long buf[2 * UEXEC_MAX_AUXV + 2];
	const unsigned long *initial = uexec_fresh_process_auxv();
	size_t got = 0;
	ssize_t r;
	int fd;

	*n = 0;
	/* A fresh process has it on its initial stack: the words
	 * mm->saved_auxv was copied from, and /proc/self/auxv shows. */
	if (initial)
		copy_pairs(initial, (size_t)-1, out, max, n);
	if (*n)
		return 0;
	/* Zeroed first: a tool that passes the call on without knowing it
	 * (valgrind) leaves the words undefined for itself. */
	memset(buf, 0, sizeof(buf));
	r = prctl(PR_GET_AUXV, (unsigned long)buf, sizeof(buf), 0UL, 0UL);
	if (r > 0) {
		copy_pairs(buf, (size_t)r < sizeof(buf) ? (size_t)r : sizeof(buf), out, max, n);
		if (*n && is_own_auxv(out, *n))
			return 0;
		*n = 0;
	}
	fd = open("/proc/self/auxv", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return from_getauxval(out, max, n);
	while (got < sizeof(buf) &&
	       (r = read(fd, (char *)buf + got, sizeof(buf) - got)) > 0)
		got += (size_t)r;
	close(fd);
	copy_pairs(buf, got, out, max, n);
	if (*n == 0)
		return from_getauxval(out, max, n);
	return 0;
}

/* The value of KEY for this exec, or false to leave the entry out. */
static bool exec_value(const struct uexec_auxv_exec *x, unsigned long key,
		       unsigned long *val)
{
	const struct uexec_plan *plan = x->plan;
	const struct uexec_elf_image *exe = &plan->exe;

	switch (key) {
	case AT_PHDR: *val = exe->phdr_addr; break;
	case AT_PHENT: *val = exe->abi->word == 4 ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr); break;
	case AT_PHNUM: *val = exe->phnum; break;
	case AT_BASE: *val = plan->has_interp ? plan->interp.load_bias : 0; break;
	case AT_FLAGS: *val = x->at_flags; break;
	case AT_ENTRY: *val = exe->e_entry + exe->load_bias; break;
	case AT_EXECFD: return false;		/* only when this exec has one */
	case AT_UID: *val = x->cred->uid; break;
	case AT_EUID: *val = x->cred->euid; break;
	case AT_GID: *val = x->cred->gid; break;
	case AT_EGID: *val = x->cred->egid; break;
	case AT_SECURE: *val = x->cred->secure; break;
	case AT_SYSINFO_EHDR: *val += (unsigned long)plan->vdso_delta; break;
	case AT_BASE_PLATFORM:
		if (exe->abi->compat)		/* compat_binfmt_elf has none */
			return false;
		*val = 0;
		break;
	case AT_PLATFORM: case AT_RANDOM: case AT_EXECFN:
		*val = 0;			/* the stack builder's */
		break;
	}
	return true;
}

/* The key after which the kernel puts AT_EXECFD: the last string entry. */
static unsigned long execfd_after(const struct uexec_auxv_exec *x)
{
	return x->base_platform ? AT_BASE_PLATFORM : x->platform ? AT_PLATFORM : AT_EXECFN;
}

int uexec_auxv_build(const struct uexec_auxv_exec *x, unsigned long (*out)[2],
		     size_t max, size_t *n)
{
	unsigned long tmpl[UEXEC_MAX_AUXV][2];
	size_t nt, m = 0;
	int ret = uexec_auxv_template(tmpl, UEXEC_MAX_AUXV, &nt);

	if (ret)
		return ret;
	for (size_t i = 0; i < nt && m + 3 <= max; i++) {
		unsigned long key = tmpl[i][0], val = tmpl[i][1];
		size_t arch = uexec_arch_dlinfo(x->plan, key, out + m);

		if (arch != (size_t)-1) {
			m += arch;
		} else if (exec_value(x, key, &val)) {
			out[m][0] = key;
			out[m][1] = val;
			m++;
		}
		if (x->execfd >= 0 && key == execfd_after(x)) {
			out[m][0] = AT_EXECFD;
			out[m][1] = (unsigned long)x->execfd;
			m++;
		}
	}
	*n = m;
	return 0;
}
