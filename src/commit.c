/* SPDX-License-Identifier: MIT */
/*
 * The point of no return (the kernel's begin_new_exec and what follows it
 * in load_elf_binary).  On entry the plan is fully mapped (mm.c) and
 * nothing of the caller has changed but those new mappings.  From here on
 * the caller's state is given up: signal handlers, descriptors, glibc's
 * per-thread kernel registrations, the kernel's idea of the process's brk,
 * arguments and auxv.  Nothing here returns; what fails is either harmless
 * and said under --debug=exec, or fatal: one line on stderr, _exit(127).
 *
 * No malloc() after the PR_SET_MM_MAP step: the process's brk is then the
 * program's.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/prctl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "arch.h"
#include "binprm.h"
#include "escape.h"
#include "final.h"
#include "mapsread.h"

#ifndef RSEQ_FLAG_UNREGISTER
#define RSEQ_FLAG_UNREGISTER 1
#endif

/* glibc >= 2.35 says where it registered the thread's rseq area. */
extern const ptrdiff_t __rseq_offset __attribute__((weak));
extern const unsigned int __rseq_size __attribute__((weak));

/* The kernel's struct sigaction for rt_sigaction(2). */
struct ksigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

__attribute__((noreturn, format(printf, 2, 3)))
static void die(const struct uexec_binprm *bprm, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = uexec_vformat_line(line, sizeof(line), bprm->filename, fmt, ap);
	va_end(ap);
	(void)!write(2, line, n);
	_exit(127);
}

/* flush_signal_handlers(): caught signals go back to SIG_DFL, ignored ones
 * stay ignored; flags and masks are cleared.  The blocked mask and pending
 * signals are kept, as across execve. */
static void flush_signal_handlers(void)
{
	int reset = 0;

	for (int sig = 1; sig < 65; sig++) {
		struct ksigaction old, sa;

		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (syscall(SYS_rt_sigaction, sig, NULL, &old, 8))
			continue;
		memset(&sa, 0, sizeof(sa));
		sa.handler = old.handler == SIG_IGN ? SIG_IGN : SIG_DFL;
		if (old.handler == sa.handler && !old.flags && !old.mask)
			continue;
		syscall(SYS_rt_sigaction, sig, &sa, NULL, 8);
		reset++;
	}
	UEXEC_DEBUG(UEXEC_DBG_EXEC, "signals: %d dispositions reset", reset);
}

static void disable_altstack(void)
{
	stack_t ss = { .ss_flags = SS_DISABLE };

	if (sigaltstack(&ss, NULL))
		UEXEC_DEBUG(UEXEC_DBG_EXEC, "sigaltstack: %s", strerror(errno));
}

/* Undo what glibc registered with the kernel for this (the only) thread:
 * the kernel would otherwise keep writing to, or reading from, memory the
 * program does not know about. */
static void forget_thread_registrations(void)
{
	long r = -1;

	if (&__rseq_size && &__rseq_offset && __rseq_size) {
		void *area = (char *)uexec_arch_thread_pointer() + __rseq_offset;
		static const unsigned int lens[] = { 32, 0, 20 };

		for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]) && r; i++) {
			unsigned int len = lens[i] ? lens[i] : __rseq_size;

			r = syscall(SYS_rseq, area, len, RSEQ_FLAG_UNREGISTER, UEXEC_RSEQ_SIG);
		}
		UEXEC_DEBUG(UEXEC_DBG_EXEC, "rseq: unregister %p: %s", area,
			    r ? strerror(errno) : "ok");
	}
	r = syscall(SYS_set_robust_list, NULL, 3 * sizeof(void *));
	UEXEC_DEBUG(UEXEC_DBG_EXEC, "robust futex list: %s", r ? strerror(errno) : "cleared");
	syscall(SYS_set_tid_address, NULL);
}

static int is_kept(int fd, const int *keep, size_t nkeep)
{
	for (size_t i = 0; i < nkeep; i++)
		if (keep[i] == fd)
			return 1;
	return 0;
}

/*
 * Close the descriptors marked close-on-exec, uexec's own among them (they
 * all are), but those in KEEP (the final stage closes them).  Uses
 * getdents64 on a stack buffer: no malloc.
 */
static void do_close_on_exec(const int *keep, size_t nkeep)
{
	char buf[4096];
	long got;
	int dfd, closed = 0;

	dfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		for (int fd = 0; fd < 65536; fd++) {
			int fl = fcntl(fd, F_GETFD);

			if (fl >= 0 && (fl & FD_CLOEXEC) && !is_kept(fd, keep, nkeep) &&
			    !close(fd))
				closed++;
		}
		UEXEC_DEBUG(UEXEC_DBG_EXEC, "descriptors: %d close-on-exec closed", closed);
		return;
	}
	while ((got = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			char *end;
			long fd = strtol(d->d_name, &end, 10);
			int fl;

			off += d->d_reclen;
			if (*end || end == d->d_name || fd == dfd ||
			    is_kept((int)fd, keep, nkeep))
				continue;
			fl = fcntl((int)fd, F_GETFD);
			if (fl >= 0 && (fl & FD_CLOEXEC) && !close((int)fd))
				closed++;
		}
	}
	close(dfd);
	UEXEC_DEBUG(UEXEC_DBG_EXEC, "descriptors: %d close-on-exec closed", closed);
}

static const char *kbasename(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/*
 * The kernel's view of the process: its brk, arguments, environment, auxv
 * and /proc/self/exe now belong to the program.  Prepared here, done by
 * the final stage (exe can only change once uexec's file is unmapped).
 * Not permitted everywhere (PR_SET_MM_MAP needs CONFIG_CHECKPOINT_RESTORE,
 * exe needs CAP_CHECKPOINT_RESTORE or CAP_SYS_RESOURCE); without it the
 * program's brk is uexec's, and /proc shows uexec's arguments.
 */
static void prepare_mm_map(struct uexec_binprm *bprm)
{
	const struct uexec_plan *plan = &bprm->plan;
	const struct uexec_stack *st = &plan->stack;
	struct uexec_final *f = plan->final;
	struct prctl_mm_map *map = &f->mm;

	/* The kernel keeps a compat program's auxv as its own words (pairs of
	 * 32-bit values): /proc/self/auxv shows them so. */
	if (st->word == 4) {
		uint32_t *a32 = (uint32_t *)f->auxv;

		for (size_t i = 0; i < st->auxc && i < 64; i++) {
			a32[2 * i] = (uint32_t)st->auxv_pairs[i][0];
			a32[2 * i + 1] = (uint32_t)st->auxv_pairs[i][1];
		}
	} else {
		for (size_t i = 0; i < st->auxc && i < 64; i++) {
			f->auxv[2 * i] = st->auxv_pairs[i][0];
			f->auxv[2 * i + 1] = st->auxv_pairs[i][1];
		}
	}
	memset(map, 0, sizeof(*map));
	map->start_code = plan->exe.start_code;
	map->end_code = plan->exe.end_code;
	if (map->end_code <= map->start_code) {
		map->start_code = plan->exe.lo + plan->exe.load_bias;
		map->end_code = map->start_code + 1;
	}
	map->start_data = plan->exe.start_data;
	map->end_data = plan->exe.end_data;
	if (map->end_data < map->start_data)
		map->end_data = map->start_data;
	map->start_brk = plan->start_brk;
	map->brk = plan->brk;
	map->start_stack = st->sp;
	map->arg_start = st->arg_start;
	map->arg_end = st->arg_end;
	map->env_start = st->env_start;
	map->env_end = st->env_end;
	map->auxv_size = (__u32)((st->auxc < 64 ? st->auxc : 64) * 2 * st->word);
	f->set_mm = 1;
	UEXEC_DEBUG(UEXEC_DBG_BRK, "brk %#lx (start_brk %#lx, end of bss %#lx), set by "
		    "the final stage with PR_SET_MM_MAP", (unsigned long)plan->brk,
		    (unsigned long)plan->start_brk, (unsigned long)plan->exe.elf_brk);
}

/* ------------------------------------------------------------------ */
/* The final stage's blob */

static size_t page_round(size_t n)
{
	return (n + UEXEC_PAGE_SIZE - 1) & ~(UEXEC_PAGE_SIZE - 1);
}

/* The vDSO's extent, from its own program headers. */
static size_t vdso_length(uintptr_t base)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)base;
	const Elf64_Phdr *ph;
	size_t len = 0;

	if (!base || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_phentsize != sizeof(*ph))
		return 0;
	ph = (const Elf64_Phdr *)(base + eh->e_phoff);
	for (size_t i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_vaddr + ph[i].p_memsz > len)
			len = ph[i].p_vaddr + ph[i].p_memsz;
	return len;
}

/*
 * Map the blob and copy the final stage into it.  Runs before the point of
 * no return; on failure nothing stays mapped.  The blob avoids every final
 * range of the plan (it must survive until the jump).
 */
int uexec_final_prepare(struct uexec_plan *plan, char *err, size_t errlen)
{
	size_t code = (size_t)(__stop_uexec_final_text - __start_uexec_final_text);
	size_t code_len = page_round(code), data_len = page_round(sizeof(struct uexec_final));
	uintptr_t blob, vdso = (uintptr_t)getauxval(AT_SYSINFO_EHDR);

	blob = uexec_plan_find_free(plan, code_len + data_len);
	if (!blob) {
		snprintf(err, errlen, "no room for the final stage");
		return -ENOMEM;
	}
	if (mmap((void *)blob, code_len + data_len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) {
		int e = errno;

		munmap((void *)blob, code_len + data_len);
		snprintf(err, errlen, "mmap of the final stage: %s", strerror(e));
		return -e;
	}
	memcpy((void *)blob, __start_uexec_final_text, code);
	if (mprotect((void *)blob, code_len, PROT_READ | PROT_EXEC)) {
		int e = errno;

		munmap((void *)blob, code_len + data_len);
		snprintf(err, errlen, "mprotect of the final stage: %s", strerror(e));
		return -e;
	}
	plan->blob = blob;
	plan->blob_len = code_len + data_len;
	plan->final = (struct uexec_final *)(blob + code_len);
	/* The final stage removes what /proc/self/maps lists.  Without /proc
	 * uexec cannot know all of its own memory: it then leaves itself
	 * mapped, which is only possible if nothing had to be staged. */
	plan->maps_fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (plan->maps_fd < 0) {
		for (size_t i = 0; i < plan->nmaps; i++) {
			if (plan->maps[i].stage) {
				snprintf(err, errlen, "%s %#lx-%#lx is in use by uexec, and "
					 "moving it there needs /proc/self/maps: %s",
					 plan->maps[i].what, (unsigned long)plan->maps[i].addr,
					 (unsigned long)(plan->maps[i].addr + plan->maps[i].len),
					 strerror(errno));
				uexec_plan_unmap(plan);
				return -ENOTSUP;
			}
		}
		UEXEC_DEBUG(UEXEC_DBG_MAP, "final-stage: /proc/self/maps: %s: uexec stays "
			    "mapped", strerror(errno));
	}

	plan->final->gadget = uexec_arch_find_exit_gadget(vdso, vdso_length(vdso));
	UEXEC_DEBUG(UEXEC_DBG_MAP, "map final-stage %#lx-%#lx (%zu bytes of code); exit "
		    "gadget %s", (unsigned long)blob, (unsigned long)(blob + plan->blob_len),
		    code, plan->final->gadget ? "found in the vDSO: the blob unmaps itself" :
		    "not found: the blob stays mapped");
	return 0;
}

/* Address of SYM (in uexec_final_text) inside the blob's copy. */
static uintptr_t in_blob(const struct uexec_plan *plan, const void *sym)
{
	return plan->blob + (uintptr_t)((const char *)sym - __start_uexec_final_text);
}

/* A range the new image keeps; DELTA != 0 for a staged reservation, whose
 * contents move by DELTA (final minus staged). */
struct keep {
	uintptr_t lo, hi;
	intptr_t delta;
};

static size_t keep_ranges(const struct uexec_plan *plan, struct keep *k, size_t max)
{
	size_t n = 0;

	k[n++] = (struct keep){ plan->blob, plan->blob + plan->blob_len, 0 };
	for (size_t i = 0; i < plan->nmaps && n < max; i++) {
		const struct uexec_map *m = &plan->maps[i];
		size_t growth = plan->stack.rlimit == (size_t)-1 ? (64UL << 20) :
				plan->stack.rlimit;

		if (m->kind == UEXEC_MAP_STACK && m->stage)
			k[n++] = (struct keep){ m->stage, m->stage + m->len,
						(intptr_t)(m->addr - m->stage) };
		else if (m->kind == UEXEC_MAP_STACK)
			k[n++] = (struct keep){ m->addr + m->len > growth ?
						m->addr + m->len - growth : 0,
						m->addr + m->len, 0 };
		else if (m->kind == UEXEC_MAP_RESERVE && m->stage)
			k[n++] = (struct keep){ m->stage, m->stage + m->len,
						(intptr_t)(m->addr - m->stage) };
		else if (m->kind == UEXEC_MAP_RESERVE)
			k[n++] = (struct keep){ m->addr, m->addr + m->len, 0 };
	}
	return n;
}

static void add_unmap(struct uexec_binprm *bprm, uintptr_t lo, uintptr_t hi,
		      const char *name)
{
	struct uexec_final *f = bprm->plan.final;

	if (f->nunmap == UEXEC_FINAL_MAX_UNMAP)
		die(bprm, "too many mappings of uexec's own to remove");
	f->unmap[f->nunmap].addr = lo;
	f->unmap[f->nunmap].len = hi - lo;
	f->nunmap++;
	UEXEC_DEBUG(UEXEC_DBG_MAP, "final: unmap %#lx-%#lx %s", (unsigned long)lo,
		    (unsigned long)hi, name);
}

static void add_move(struct uexec_binprm *bprm, uintptr_t lo, uintptr_t hi,
		     intptr_t delta)
{
	struct uexec_final *f = bprm->plan.final;

	if (f->nmove == UEXEC_FINAL_MAX_MOVE)
		die(bprm, "too many staged mappings");
	f->move[f->nmove].addr = lo;
	f->move[f->nmove].len = hi - lo;
	f->move[f->nmove].to = (uintptr_t)((intptr_t)lo + delta);
	f->nmove++;
	UEXEC_DEBUG(UEXEC_DBG_MAP, "final: move %#lx-%#lx to %#lx", (unsigned long)lo,
		    (unsigned long)hi, (unsigned long)((intptr_t)lo + delta));
}

/*
 * Split the mapping [lo, hi) against the kept ranges (sorted or not, they do
 * not overlap each other): what falls in a kept range stays (or moves, if
 * staged); the rest is uexec's and goes.  A mapping of uexec's may have
 * merged with a kept one, so a line of /proc/self/maps is cut where needed.
 */
static void classify(struct uexec_binprm *bprm, const struct keep *k, size_t nk,
		     uintptr_t lo, uintptr_t hi, const char *name)
{
	while (lo < hi) {
		uintptr_t next = hi;
		const struct keep *in = NULL;

		for (size_t i = 0; i < nk; i++) {
			if (lo >= k[i].lo && lo < k[i].hi) {
				in = &k[i];
				break;
			}
			if (k[i].lo > lo && k[i].lo < next)
				next = k[i].lo;
		}
		if (in) {
			next = in->hi < hi ? in->hi : hi;
			if (in->delta)
				add_move(bprm, lo, next, in->delta);
		} else {
			add_unmap(bprm, lo, next, name);
		}
		lo = next;
	}
}

/*
 * Fill the final stage's lists from /proc/self/maps: every mapping that is
 * not the new image, its stack, the blob, or the kernel's own (vDSO, vvar,
 * vsyscall) is uexec's and goes; the staged pieces move into place.
 */
static void plan_final_lists(struct uexec_binprm *bprm)
{
	struct uexec_plan *plan = &bprm->plan;
	struct uexec_maps_reader rd;
	struct uexec_maps_entry e;
	struct keep k[UEXEC_MAX_MAPS + 1];
	size_t nk = keep_ranges(plan, k, UEXEC_MAX_MAPS + 1);

	plan->final->nunmap = plan->final->nmove = 0;
	if (plan->maps_fd < 0)
		return;
	uexec_maps_attach(&rd, plan->maps_fd);
	plan->maps_fd = -1;
	while (uexec_maps_next(&rd, &e) > 0) {
		if (e.hi > UEXEC_TASK_SIZE || !strncmp(e.name, "[vdso]", 6) ||
		    !strncmp(e.name, "[vvar", 5))
			continue;
		classify(bprm, k, nk, e.lo, e.hi, e.name);
	}
	uexec_maps_close(&rd);
}

/* A compat program's vDSO: what the final stage unmaps, maps, and patches
 * if the mapping lands elsewhere. */
static void fill_final_vdso32(struct uexec_binprm *bprm)
{
	struct uexec_plan *plan = &bprm->plan;
	const struct uexec_stack *st = &plan->stack;
	struct uexec_final *f = plan->final;

	f->vdso32_block = plan->vdso32_block;
	f->vdso32_text = plan->vdso32_text;
	f->nkunmap = f->nsysinfo = 0;
	f->auxv_word = st->word;
	if (!plan->vdso32_block)
		return;
	for (size_t i = 0; i < plan->nkmaps && i < 8; i++) {
		f->kunmap[f->nkunmap].addr = plan->kmaps[i][0];
		f->kunmap[f->nkunmap].len = plan->kmaps[i][1] - plan->kmaps[i][0];
		f->nkunmap++;
	}
	for (size_t i = 0; i < st->auxc && f->nsysinfo < 2; i++) {
		if (st->auxv_pairs[i][0] != AT_SYSINFO && st->auxv_pairs[i][0] != AT_SYSINFO_EHDR)
			continue;
		f->sysinfo_key[f->nsysinfo] = st->auxv + 2 * i * st->word;
		f->sysinfo_idx[f->nsysinfo] = (unsigned int)i;
		f->nsysinfo++;
	}
}

static void fill_final(struct uexec_binprm *bprm, int dbg_fd)
{
	struct uexec_plan *plan = &bprm->plan;
	struct uexec_final *f = plan->final;

	f->sp = plan->stack.sp;
	f->entry = plan->entry;
	/* The gadget is in the vDSO, which the final stage may move.  A
	 * compat program is entered with a far return, not through it. */
	f->entry_cs = plan->exe.abi->entry_cs;
	fill_final_vdso32(bprm);
	if (f->entry_cs)
		f->gadget = 0;
	if (f->gadget)
		f->gadget += (uintptr_t)plan->vdso_delta;
	f->blob = f->gadget ? plan->blob : 0;
	f->blob_len = f->gadget ? plan->blob_len : 0;
	f->stop = bprm->opts && (bprm->opts->flags & UEXEC_F_BREAK);
	f->exe_fd = plan->exe.fd;
	f->debug_fd = (uexec_debug_mask & UEXEC_DBG_EXEC) ? dbg_fd : -1;
	f->nclose = 0;
	if (plan->exe.fd >= 0)
		f->close_fd[f->nclose++] = plan->exe.fd;
	if (dbg_fd > 2 && (fcntl(dbg_fd, F_GETFD) & FD_CLOEXEC))
		f->close_fd[f->nclose++] = dbg_fd;
	uexec_escape_prefix(f->prefix, sizeof(f->prefix), bprm->filename);
	snprintf(f->debug_prefix, sizeof(f->debug_prefix), "uexec: exec: ");
	snprintf(f->errno_open, sizeof(f->errno_open), " (errno ");
	snprintf(f->errno_close, sizeof(f->errno_close), ")");
	snprintf(f->newline, sizeof(f->newline), "\n");
	snprintf(f->digits, sizeof(f->digits), "0123456789");
	f->nul[0] = 0;
	snprintf(f->msg_unmap, sizeof(f->msg_unmap), "removing uexec's own memory failed");
	snprintf(f->msg_move, sizeof(f->msg_move), "moving a segment into place failed");
	snprintf(f->msg_vmove, sizeof(f->msg_vmove), "moving the vDSO into place failed");
	/* Moving down: the lowest first, so that none lands on another. */
	f->nvmove = 0;
	for (size_t i = 0; plan->vdso_delta && i < plan->nkmaps; i++) {
		size_t j = plan->vdso_delta < 0 ? i : plan->nkmaps - 1 - i;

		f->vmove[f->nvmove].addr = plan->kmaps[j][0];
		f->vmove[f->nvmove].len = plan->kmaps[j][1] - plan->kmaps[j][0];
		f->vmove[f->nvmove].to = plan->kmaps[j][0] + (uintptr_t)plan->vdso_delta;
		f->nvmove++;
	}
	snprintf(f->msg_exe_ok, sizeof(f->msg_exe_ok), "exe-file set: /proc/self/exe "
		 "names the program");
	snprintf(f->msg_exe_fail, sizeof(f->msg_exe_fail), "exe-file failed: /proc/self/exe "
		 "still names uexec (no CAP_CHECKPOINT_RESTORE or CAP_SYS_RESOURCE?)");
	snprintf(f->msg_mm_fail, sizeof(f->msg_mm_fail), "mm-map failed: PR_SET_MM_MAP: the "
		 "program's brk, /proc/self/cmdline and auxv are uexec's");
}

void uexec_commit(struct uexec_binprm *bprm)
{
	struct uexec_plan *plan = &bprm->plan;
	int dbg_fd = uexec_debug_mask ? (uexec_debug_file ? fileno(uexec_debug_file) : 2) : -1;
	int keep[3] = { dbg_fd, plan->exe.fd, plan->maps_fd };
	char comm[16];

	bprm->point_of_no_return = true;
	if (plan->stack.sp & (UEXEC_STACK_ALIGN - 1))
		die(bprm, "internal error: misaligned stack pointer %#lx",
		    (unsigned long)plan->stack.sp);
	if (!plan->final)
		die(bprm, "internal error: no final stage");
	uexec_debug_handover(bprm);

	flush_signal_handlers();
	disable_altstack();
	forget_thread_registrations();
	snprintf(comm, sizeof(comm), "%s", kbasename(bprm->filename));
	prctl(PR_SET_NAME, comm, 0, 0, 0);
	if (stdout)
		fflush(stdout);
	if (stderr)
		fflush(stderr);
	do_close_on_exec(keep, 3);
	fill_final(bprm, dbg_fd);
	plan_final_lists(bprm);
	prepare_mm_map(bprm);
	if (plan->final->stop)
		uexec_break_announce(bprm);
	((void (*)(struct uexec_final *, uintptr_t))in_blob(plan, uexec_arch_final_enter))
		(plan->final, (uintptr_t)plan->final->stack + sizeof(plan->final->stack));
	__builtin_unreachable();
}
