/* SPDX-License-Identifier: MIT */
/*
 * The final stage (see final.h for its contract).  Everything here lives in
 * the section uexec_final_text and is copied before it runs: no string
 * literals (they would stay behind in uexec's .rodata), no calls outside
 * this section, no TLS, no stack protector.  The messages are in the
 * struct uexec_final, filled by final_prepare.c.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "final.h"

/* The arch's final jump reads the first nine words by offset (entry.S). */
_Static_assert(offsetof(struct uexec_final, sp) == 0 &&
	       offsetof(struct uexec_final, entry) == 8 &&
	       offsetof(struct uexec_final, gadget) == 16 &&
	       offsetof(struct uexec_final, blob) == 24 &&
	       offsetof(struct uexec_final, blob_len) == 32 &&
	       offsetof(struct uexec_final, entry_cs) == 40 &&
	       offsetof(struct uexec_final, jump) == 48,
	       "struct uexec_final's head is the arch's contract");

#define FINAL UEXEC_FINAL

#ifndef MREMAP_FIXED
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#endif

#define sys uexec_final_sys

static FINAL size_t final_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static FINAL void final_puts(int fd, const char *s)
{
	sys(SYS_write, fd, (long)s, (long)final_strlen(s), 0, 0);
}

/* "PREFIXWHAT[ (errno N)]\n", with no libc.  Every constant byte comes
 * from F: the compiler turns runs of constant stores into loads from
 * .rodata, which is not copied with this section. */
static FINAL void final_report(int fd, struct uexec_final *f, const char *prefix,
				 const char *what, long err)
{
	char num[24];
	int i = (int)sizeof(num) - 1;

	final_puts(fd, prefix);
	final_puts(fd, what);
	if (err) {
		if (err < 0)
			err = -err;
		num[i] = f->nul[0];
		do {
			num[--i] = (char)(f->digits[err % 10]);
			err /= 10;
		} while (err && i > 0);
		final_puts(fd, f->errno_open);
		final_puts(fd, num + i);
		final_puts(fd, f->errno_close);
	}
	final_puts(fd, f->newline);
}

static FINAL __attribute__((noreturn)) void final_die(struct uexec_final *f,
						      const char *what, long err)
{
	final_report(2, f, f->prefix, what, err);
	for (;;)
		sys(SYS_exit_group, 127, 0, 0, 0, 0);
}

/* The program's credentials; a failure here cannot be undone. */
static FINAL void final_creds(struct uexec_final *f)
{
	long r = sys(SYS_setresgid, -1, f->egid, f->egid, 0, 0);

	if (!r)
		r = sys(SYS_setresuid, -1, f->euid, f->euid, 0, 0);
	if (r)
		final_die(f, f->msg_creds, r);
	if (f->per_clear)
		sys(SYS_personality, (long)f->personality, 0, 0, 0, 0);
	if (!f->secure)
		return;
	sys(SYS_prctl, PR_SET_PDEATHSIG, 0, 0, 0, 0);
	if (f->setid)
		sys(SYS_prctl, PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* The program's capabilities (final.h): the ambient set and keep-caps
 * before the ids change, the sets after; a failure here cannot be undone,
 * and a process that keeps more than the kernel's exec would leave it must
 * not run. */
static FINAL void final_caps_before(struct uexec_final *f)
{
	if (f->set_caps && f->clear_ambient)
		sys(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (f->set_caps && f->clear_keepcaps)
		sys(SYS_prctl, PR_SET_KEEPCAPS, 0, 0, 0, 0);
}

static FINAL void final_caps(struct uexec_final *f)
{
	long r;

	if (!f->set_caps)
		return;
	r = sys(SYS_capget, (long)f->cap_hdr, (long)f->cap_data, 0, 0, 0);
	for (int w = 0; !r && w < 2; w++) {
		uint32_t *d = &f->cap_data[3 * w];	/* effective, permitted, inheritable */

		d[1] &= f->cap_want[2 * w];
		d[0] = d[1] & f->cap_want[2 * w + 1];
	}
	if (!r)
		r = sys(SYS_capset, (long)f->cap_hdr, (long)f->cap_data, 0, 0, 0);
	if (r)
		final_die(f, f->msg_caps, r);
}

/* Reset the peak RSS to the RSS of now (uexec's memory is gone: what is
 * left is the program's, and the blob's few pages). */
static FINAL void final_reset_hwm(struct uexec_final *f)
{
	long fd, r;

	if (!f->reset_hwm)
		return;
	fd = sys(SYS_openat, AT_FDCWD, (long)f->clear_refs, O_WRONLY | O_CLOEXEC, 0, 0);
	r = fd < 0 ? fd : sys(SYS_write, fd, (long)f->clear_refs_value, 1, 0, 0);
	if (fd >= 0)
		sys(SYS_close, fd, 0, 0, 0, 0);
	if (f->debug_fd >= 0)
		final_report(f->debug_fd, f, f->debug_prefix, r == 1 ? f->msg_hwm_ok :
			     f->msg_hwm_fail, r == 1 ? 0 : r);
}

/* The failure that says why /proc/self/exe is still uexec's: the first
 * (PR_SET_MM_MAP's exe_fd), unless it was only a missing capability and
 * the fallback (PR_SET_MM_EXE_FILE) got further. */
static FINAL long exe_reason(const struct uexec_final *f)
{
	if (f->exe_first == -EPERM && f->exe_result && f->exe_result != -EPERM)
		return f->exe_result;
	return f->exe_first ? f->exe_first : f->exe_result;
}

static FINAL const char *exe_why_msg(const struct uexec_final *f, long err)
{
	for (unsigned int i = 0; i < sizeof(f->exe_why) / sizeof(f->exe_why[0]) &&
	     f->exe_why[i].err; i++)
		if (f->exe_why[i].err == err)
			return f->exe_why[i].msg;
	return f->msg_exe_fail;
}

/* The kernel's view of the process, /proc/self/exe included: only now,
 * when no mapping of uexec's file is left (the kernel refuses to change
 * exe_file while the old one is mapped: EBUSY). */
static FINAL void final_set_mm(struct uexec_final *f)
{
	if (!f->set_mm)
		return;
	f->mm.auxv = (void *)f->auxv;
	f->mm.exe_fd = (uint32_t)f->exe_fd;
	f->exe_result = sys(SYS_prctl, PR_SET_MM, PR_SET_MM_MAP, (long)&f->mm,
			    sizeof(f->mm), 0);
	f->exe_first = f->exe_result;
	if (f->exe_result) {
		f->mm.exe_fd = (uint32_t)-1;
		f->mm_result = sys(SYS_prctl, PR_SET_MM, PR_SET_MM_MAP, (long)&f->mm,
				   sizeof(f->mm), 0);
		if (!f->mm_result && f->exe_fd >= 0)
			f->exe_result = sys(SYS_prctl, PR_SET_MM, PR_SET_MM_EXE_FILE,
					    f->exe_fd, 0, 0);
	}
	if (f->debug_fd >= 0) {
		long why = exe_reason(f);

		final_report(f->debug_fd, f, f->debug_prefix,
			     !f->exe_result ? f->msg_exe_ok : exe_why_msg(f, why), why);
		if (f->mm_result)
			final_report(f->debug_fd, f, f->debug_prefix, f->msg_mm_fail,
				     f->mm_result);
	}
}

static FINAL void final_mremap(struct uexec_final *f, uintptr_t from, uintptr_t len,
				uintptr_t to, const char *msg)
{
	long r = sys(SYS_mremap, (long)from, (long)len, (long)len,
		     MREMAP_MAYMOVE | MREMAP_FIXED, (long)to);

	if (r != (long)to)
		final_die(f, msg, r);
}

/* The vDSO and vvar to their new place, through the scratch range when a
 * piece's new place overlaps its old one. */
static FINAL void final_move_vdso(struct uexec_final *f)
{
	for (unsigned int i = 0; f->vscratch && i < f->nvmove; i++)
		final_mremap(f, f->vmove[i].addr, f->vmove[i].len,
			     (uintptr_t)((intptr_t)f->vmove[i].addr + f->vscratch_delta),
			     f->msg_vmove);
	for (unsigned int i = 0; i < f->nvmove; i++)
		final_mremap(f, f->vscratch ? (uintptr_t)((intptr_t)f->vmove[i].addr +
							   f->vscratch_delta) : f->vmove[i].addr,
			     f->vmove[i].len, f->vmove[i].to, f->msg_vmove);
	if (f->vscratch)
		sys(SYS_munmap, (long)f->vscratch, (long)f->vscratch_len, 0, 0, 0);
}

/* MMAP_PAGE_ZERO's page (final.h). */
static FINAL void final_page_zero(struct uexec_final *f)
{
	if (!f->page_zero)
		return;
	sys(SYS_mmap, 0, (long)f->page_size, PROT_READ | PROT_EXEC,
	    MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1);
	if (f->page_zero == 2)
		sys(SYS_mseal, 0, (long)f->page_size, 0, 0, 0);
}

FINAL void uexec_final_main(struct uexec_final *f)
{
	long r;

	for (unsigned int i = 0; i < f->nunmap; i++) {
		r = sys(SYS_munmap, (long)f->unmap[i].addr, (long)f->unmap[i].len, 0, 0, 0);
		if (r < 0)
			final_die(f, f->msg_unmap, r);
	}
	/* The vDSO and vvar go below the images first: a staged image may
	 * move to where they were. */
	final_move_vdso(f);
	uexec_arch_final_pages(f);
	for (unsigned int i = 0; i < f->nmove; i++) {
		const struct uexec_final_range *m = &f->move[i];

		r = sys(SYS_mremap, (long)m->addr, (long)m->len, (long)m->len,
			MREMAP_MAYMOVE | MREMAP_FIXED, (long)m->to);
		if (r != (long)m->to)
			final_die(f, f->msg_move, r);
	}
	final_page_zero(f);
	final_set_mm(f);
	final_reset_hwm(f);
	/* Last: after them the process may no longer write its own /proc
	 * files, nor hold the capabilities PR_SET_MM_MAP needs. */
	final_caps_before(f);
	final_creds(f);
	final_caps(f);
	for (unsigned int i = 0; i < f->nclose; i++)
		sys(SYS_close, f->close_fd[i], 0, 0, 0, 0);
	/* Inline and last before the jump: it may change the keys that sign
	 * return addresses, and no frame of this stage returns after it. */
	UEXEC_ARCH_EXEC_RESET(f->reset);
	UEXEC_ARCH_RESET_TLS();
	if (f->stop)
		sys(SYS_kill, sys(SYS_getpid, 0, 0, 0, 0, 0), SIGSTOP, 0, 0, 0);
	uexec_arch_final_jump(f);
}
