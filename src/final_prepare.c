/* SPDX-License-Identifier: MIT */
/*
 * The final stage's preparation (final_prepare.h), before the point of no
 * return.  It decides everything the final stage will do once uexec's own
 * memory is gone: which mappings are uexec's and go (all but the new
 * image, its stack, the blob and the kernel's own), which staged ranges
 * move into place, where the vDSO moves, and the kernel's view of the
 * process (PR_SET_MM_MAP).
 *
 * Contract: the lists are sized before they are filled and live in the
 * blob, so nothing can overflow after the point of no return.  What is not
 * uexec's comes from the layout's one reading of /proc/self/maps (the
 * kernel's mappings, plan->kmaps, which never appear later): all else
 * below TASK_SIZE goes, holes included; a staged range's moves are cut
 * where its mappings meet, asked with PROCMAP_QUERY.  Only when that
 * reading failed, when a staged range exists and the kernel cannot be
 * asked (before Linux 6.11), or on an arch with foreign mappings (an
 * emulator's, not all of them listed), is /proc/self/maps read here, after
 * every mapping of the exec exists, or, without /proc, are the kernel's
 * mappings probed (list_without_proc).
 * Between this and the jump nothing maps memory (commit.c allocates
 * nothing).  A failure leaves nothing mapped.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "archdep.h"
#include "debug.h"
#include "escape.h"
#include "final_prepare.h"
#include "fresh.h"
#include "layout.h"
#include "mapsread.h"
#include "selfmem.h"

/* A range the new image keeps; DELTA != 0 for a staged one, whose contents
 * move by DELTA (final minus staged). */
struct keep {
	uintptr_t lo, hi;
	intptr_t delta;
};

/* The lists being filled, inside the blob: CAP entries each. */
struct lists {
	struct uexec_final_range *unmap, *move;
	size_t cap, nunmap, nmove;
	size_t need;		/* entries the larger list would need */
	int qfd;		/* /proc/self/maps that splits moves (PROCMAP_QUERY), or -1 */
};

/* The last step of the plan that covers [a, b) (a piece: no step begins
 * or ends inside it), or NULL. */
static const struct uexec_map *last_cover(const struct uexec_plan *plan, uintptr_t a,
					  uintptr_t b)
{
	const struct uexec_map *last = NULL;

	for (size_t j = 0; j < plan->nmaps; j++) {
		const struct uexec_map *m = &plan->maps[j];

		if (m->kind != UEXEC_MAP_ZERO_TAIL && m->addr <= a && b <= m->addr + m->len)
			last = m;
	}
	return last;
}

/*
 * A staged reservation R (built at STAGE), as the pieces the final stage
 * moves one mremap() each: cut wherever a step of the plan begins or ends
 * inside it, so that each piece lies in one mapping, and without the
 * holes.  Written to K (at most 2 * nmaps + 1 pieces); how many.
 */
static size_t staged_pieces(const struct uexec_plan *plan, const struct uexec_map *r,
			    uintptr_t stage, struct keep *k)
{
	intptr_t delta = (intptr_t)(r->addr - stage);
	uintptr_t a = r->addr, end = r->addr + r->len;
	size_t n = 0;

	while (a < end) {
		uintptr_t b = end;
		const struct uexec_map *c;

		for (size_t j = 0; j < plan->nmaps; j++) {
			uintptr_t lo = plan->maps[j].addr, hi = lo + plan->maps[j].len;

			if (plan->maps[j].kind == UEXEC_MAP_ZERO_TAIL)
				continue;
			if (lo > a && lo < b)
				b = lo;
			if (hi > a && hi < b)
				b = hi;
		}
		c = last_cover(plan, a, b);
		if (c && c->kind != UEXEC_MAP_UNMAP)
			k[n++] = (struct keep){ a - (uintptr_t)delta, b - (uintptr_t)delta, delta };
		a = b;
	}
	return n;
}

/* The ranges the new image keeps (K has room for 3 * nmaps + 2). */
static size_t keep_ranges(const struct uexec_plan *plan, const struct uexec_mm *mm,
			  const struct uexec_handover *ho, struct keep *k)
{
	size_t growth = plan->stack.rlimit == (size_t)-1 ? (64UL << 20) : plan->stack.rlimit;
	size_t n = 0;

	k[n++] = (struct keep){ ho->blob, ho->blob + ho->blob_len, 0 };
	for (size_t i = 0; i < plan->nmaps; i++) {
		const struct uexec_map *m = &plan->maps[i];
		uintptr_t lo = m->addr;

		if (m->kind != UEXEC_MAP_STACK && m->kind != UEXEC_MAP_RESERVE)
			continue;
		if (mm->stage[i])
			n += staged_pieces(plan, m, mm->stage[i], k + n);
		else if (m->kind == UEXEC_MAP_STACK)
			k[n++] = (struct keep){ lo + m->len > growth ? lo + m->len - growth : 0,
						lo + m->len, 0 };
		else
			k[n++] = (struct keep){ lo, lo + m->len, 0 };
	}
	if (plan->page_zero == UEXEC_PAGE_ZERO_KEEP)
		k[n++] = (struct keep){ 0, UEXEC_PAGE_SIZE, 0 };
	return n;
}

static void add_one(struct lists *l, bool move, uintptr_t lo, uintptr_t hi,
		    intptr_t delta, const char *name)
{
	size_t *n = move ? &l->nmove : &l->nunmap;
	struct uexec_final_range *r = move ? l->move : l->unmap;

	/* One munmap for adjacent ranges (the lines of one file, say).  Moves
	 * stay one per mapping: before Linux 6.17 mremap() refuses (EFAULT) a
	 * range that spans more than one mapping. */
	if (!move && *n && *n <= l->cap && r[*n - 1].addr + r[*n - 1].len == lo) {
		r[*n - 1].len += hi - lo;
		return;
	}
	if (*n < l->cap) {
		r[*n] = (struct uexec_final_range){ lo, hi - lo, (uintptr_t)((intptr_t)lo + delta) };
		if (move)
			UEXEC_DEBUG(UEXEC_DBG_MAP, "final: move %#lx-%#lx to %#lx",
				    (unsigned long)lo, (unsigned long)hi,
				    (unsigned long)((intptr_t)lo + delta));
		else
			UEXEC_DEBUG(UEXEC_DBG_MAP, "final: unmap %#lx-%#lx %s",
				    (unsigned long)lo, (unsigned long)hi, name);
	}
	(*n)++;
	if (*n > l->need)
		l->need = *n;
}

/* A move is cut where the mappings it spans meet, as the kernel has them
 * now (L->qfd): the staged pieces lie in one step of the plan each, which
 * the kernel may still have split. */
static void add_range(struct lists *l, bool move, uintptr_t lo, uintptr_t hi,
		      intptr_t delta, const char *name)
{
	uintptr_t vlo, vhi;

	while (move && l->qfd >= 0 && !uexec_maps_covering(l->qfd, lo, &vlo, &vhi) &&
	       vhi < hi) {
		add_one(l, true, lo, vhi, delta, name);
		lo = vhi;
	}
	add_one(l, move, lo, hi, delta, name);
}

/*
 * Split the mapping [lo, hi) against the kept ranges (which do not overlap
 * each other): what falls in a kept range stays (or moves, if staged); the
 * rest is uexec's and goes.  A mapping of uexec's may have merged with a
 * kept one, so a line of /proc/self/maps is cut where needed.
 */
static void classify(struct lists *l, const struct keep *k, size_t nk, uintptr_t lo,
		     uintptr_t hi, const char *name)
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
				add_range(l, true, lo, next, in->delta, name);
		} else {
			add_range(l, false, lo, next, 0, name);
		}
		lo = next;
	}
}

/* Every mapping that is not the new image's, the blob or the kernel's own
 * (vDSO, vvar, vsyscall) is uexec's. */
static void list_own_mappings(struct lists *l, const struct keep *k, size_t nk, int fd)
{
	struct uexec_maps_reader rd;
	struct uexec_maps_entry e;

	uexec_maps_attach(&rd, fd);
	while (uexec_maps_next(&rd, &e) > 0) {
		if (e.hi > UEXEC_TASK_SIZE || uexec_maps_is_kernel(&e) ||
		    uexec_arch_foreign_mapping(&e))
			continue;
		classify(l, k, nk, e.lo, e.hi, e.name);
	}
	uexec_maps_close(&rd);
}

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U		/* Linux 6.3: an executable memfd asked for */
#endif

/* LEN bytes of BUF to FD; false on a short or failed write. */
static bool write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/*
 * The code page at BLOB (CODE_LEN bytes, the first CODE of them the final
 * stage's code) mapped afresh, read-execute from the start, from a memfd
 * that holds the code: under PR_SET_MDWE (memory-deny-write-execute, which
 * systemd's MemoryDenyWriteExecute= sets and every exec inherits) no
 * mapping that was writable may become executable, while a file may be
 * mapped executable.  The mapping replaces the page (MAP_FIXED); the memfd
 * is closed again.  Returns 0, or -1 with errno set (as under
 * vm.memfd_noexec = 2, where no memfd may be executable).
 */
static int map_code_from_memfd(uintptr_t blob, size_t code, size_t code_len)
{
	int fd = memfd_create("uexec-final", MFD_CLOEXEC | MFD_EXEC), e;
	void *p = MAP_FAILED;

	if (fd < 0 && errno == EINVAL)	/* before 6.3: every memfd may be */
		fd = memfd_create("uexec-final", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write_all(fd, __start_uexec_final_text, code) && !ftruncate(fd, (off_t)code_len))
		p = mmap((void *)blob, code_len, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED,
			 fd, 0);
	e = errno;
	close(fd);
	errno = e;
	return p == MAP_FAILED ? -1 : 0;
}

/* The blob: the final stage's code (read-execute), then its struct and
 * CAP entries of each list (read-write), where no final range is, inside
 * the program's address space (a compat program's exit names it). */
static int map_blob(const struct uexec_plan *plan, const struct uexec_mm *mm,
		    struct uexec_handover *ho, size_t cap, char *err, size_t errlen)
{
	size_t code = (size_t)(__stop_uexec_final_text - __start_uexec_final_text);
	size_t code_len = uexec_page_align(code);
	size_t data_len = uexec_page_align(sizeof(struct uexec_final) +
					   2 * cap * sizeof(struct uexec_final_range));
	int rw = PROT_READ | PROT_WRITE;
	uintptr_t blob = uexec_mm_find_free(plan, mm, code_len + data_len,
					    plan->exe.abi->task_size, rw, 0);

	if (!blob)	/* anywhere then: the blob stays (uexec_arch_final_fill) */
		blob = uexec_mm_find_free(plan, mm, code_len + data_len, UEXEC_TASK_SIZE, rw, 0);
	if (!blob) {
		snprintf(err, errlen, "no room for the final stage");
		return -ENOMEM;
	}
	memcpy((void *)blob, __start_uexec_final_text, code);
	if (mprotect((void *)blob, code_len, PROT_READ | PROT_EXEC)) {
		if (errno != EACCES || !uexec_mm_mdwe())
			goto out_unmap;
		if (map_code_from_memfd(blob, code, code_len))
			goto out_mdwe;
		UEXEC_DEBUG(UEXEC_DBG_EXEC, "final stage: code mapped from a memfd "
			    "(PR_SET_MDWE refuses making memory executable)");
	}
	ho->blob = blob;
	ho->blob_len = code_len + data_len;
	ho->final = (struct uexec_final *)(blob + code_len);
	ho->final->unmap = (struct uexec_final_range *)(ho->final + 1);
	ho->final->move = ho->final->unmap + cap;
	return 0;

out_unmap: {
		int e = errno;

		munmap((void *)blob, code_len + data_len);
		snprintf(err, errlen, "mapping the final stage: %s", strerror(e));
		return -e;
	}
out_mdwe: {
		int e = errno;

		munmap((void *)blob, code_len + data_len);
		snprintf(err, errlen, "mapping the final stage: PR_SET_MDWE refuses making "
			 "memory executable, and an executable memfd cannot be had: %s",
			 strerror(e));
		return -e;
	}
}

/*
 * Everything below TASK_SIZE but the keep list K and the kernel's NU
 * mappings U goes, holes included (munmap() of a hole is no error), as the
 * kernel's exec starts from an empty mm: uexec's image, libraries, heap,
 * stack and every anonymous mapping of its libc.  K has room for NU more
 * ranges.
 */
static void list_all_but(struct lists *l, struct keep *k, size_t nk,
			 const uintptr_t (*u)[2], size_t nu)
{
	for (size_t i = 0; i < nu; i++)
		k[nk++] = (struct keep){ u[i][0], u[i][1], 0 };
	classify(l, k, nk, 0, UEXEC_TASK_SIZE, "(not the new image's)");
}

/*
 * Without /proc (a chroot, a minimal container) uexec cannot list its
 * mappings, but it knows what is not its own: the new image, its stack and
 * the blob (the keep list) and the kernel's vDSO and vvar (selfmem.c).
 * K has room for one more range.
 */
static void list_without_proc(struct lists *l, struct keep *k, size_t nk, int e)
{
	uintptr_t run[1][2] = { { 0, 0 } };

	uexec_selfmem_kernel_run(&run[0][0], &run[0][1]);
	UEXEC_DEBUG(UEXEC_DBG_MAP, "final-stage: /proc/self/maps: %s: uexec removes all "
		    "but the new image, its stack, the final stage and the kernel's "
		    "%#lx-%#lx", strerror(e), (unsigned long)run[0][0], (unsigned long)run[0][1]);
	list_all_but(l, k, nk, (const uintptr_t (*)[2])run, run[0][1] ? 1 : 0);
}

/* Where fill_lists() learns what is not uexec's. */
struct source {
	int fd;			/* /proc/self/maps (owned), or -errno */
	bool complete;		/* the plan's kernel mappings are all of it */
	int qfd;		/* with COMPLETE: a maps descriptor that answers
				 * PROCMAP_QUERY (owned), or -1 */
};

/*
 * Fill the blob's lists of CAP entries from SRC: the plan's kernel
 * mappings when they are complete, else
 * /proc/self/maps read now, else without it (list_without_proc).
 * Only the keep list is allocated, before the reading: memory allocated
 * after it would not be in it, and freeing it maps nothing.  0, 1 when the
 * lists need more room (L->need), or -errno.
 */
static int fill_lists(const struct uexec_plan *plan, const struct uexec_mm *mm,
		      struct uexec_handover *ho, struct lists *l, size_t cap,
		      const struct source *src)
{
	struct keep *k = malloc((3 * plan->nmaps + 3 + plan->nkmaps) * sizeof(*k));
	size_t nk;

	if (!k) {
		if (src->fd >= 0)
			close(src->fd);
		return -ENOMEM;
	}
	nk = keep_ranges(plan, mm, ho, k);
	l->unmap = ho->final->unmap;
	l->move = ho->final->move;
	l->cap = cap;
	l->qfd = src->complete ? src->qfd : -1;
	if (src->complete)
		list_all_but(l, k, nk, (const uintptr_t (*)[2])plan->kmaps, plan->nkmaps);
	else if (src->fd >= 0)
		list_own_mappings(l, k, nk, src->fd);
	else
		list_without_proc(l, k, nk, -src->fd);
	free(k);
	if (l->need > cap)
		return 1;
	ho->final->nunmap = (unsigned int)l->nunmap;
	ho->final->nmove = (unsigned int)l->nmove;
	return 0;
}

static bool any_staged(const struct uexec_plan *plan, const struct uexec_mm *mm)
{
	for (size_t i = 0; mm->stage && i < plan->nmaps; i++)
		if (mm->stage[i])
			return true;
	return false;
}

/* /proc/self/maps open (the layout's, when it kept one), when it answers
 * PROCMAP_QUERY (Linux 6.11) about uexec's own text; -1.  Asked again even
 * of the layout's: under qemu-user the host's answers (the emulator's
 * mappings), and only uexec's own address tells. */
static int query_fd(void)
{
	uintptr_t lo, hi;
	int fd = uexec_layout_take_maps_fd();

	if (fd < 0)
		fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);

	if (fd >= 0 && uexec_maps_covering(fd, (uintptr_t)&query_fd, &lo, &hi)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* The blob, with its lists filled: mapped with room for a guess (or for
 * what list_all_but() needs at most), and again with room for what the
 * reading needed. */
static int map_blob_with_lists(const struct uexec_plan *plan, const struct uexec_mm *mm,
			       struct uexec_handover *ho, char *err, size_t errlen)
{
	struct source src = { .fd = -1, .qfd = -1 };
	size_t cap = 512;
	int ret = -EAGAIN;

	/* A staged range moves one mapping at a time (add_range), which the
	 * kernel tells one question a move, or else the reading. */
	src.complete = uexec_layout_kernel_maps_complete();
	if (src.complete && any_staged(plan, mm) && (src.qfd = query_fd()) < 0)
		src.complete = false;
	if (src.complete)	/* the gaps and the staged, and a few cuts */
		cap = 2 * (plan->nmaps + 1 + plan->nkmaps) + 17;
	for (int tries = 0; tries < 4; tries++) {
		struct lists l = { 0 };

		ret = map_blob(plan, mm, ho, cap, err, errlen);
		if (ret)
			goto out_close_query;
		if (!src.complete) {
			src.fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
			if (src.fd < 0)
				src.fd = -errno;
		}
		ret = fill_lists(plan, mm, ho, &l, cap, &src);
		if (ret <= 0) {
			if (ret)
				uexec_final_release(ho);
			goto out_close_query;
		}
		uexec_final_release(ho);
		cap = l.need + l.need / 4 + 64;
		ret = -EAGAIN;
	}
	snprintf(err, errlen, "uexec's own mappings keep changing");
out_close_query:
	if (src.qfd >= 0)
		close(src.qfd);
	return ret;
}

/*
 * The kernel's view of the process: its brk, arguments, environment, auxv
 * and /proc/self/exe now belong to the program.  Done by the final stage
 * (exe can only change once uexec's file is unmapped).  Not permitted
 * everywhere (PR_SET_MM_MAP needs CONFIG_CHECKPOINT_RESTORE, exe needs
 * CAP_CHECKPOINT_RESTORE or CAP_SYS_RESOURCE); without it the program's
 * brk is uexec's, and /proc shows uexec's arguments.
 */
static void fill_mm_map(const struct uexec_plan *plan, struct uexec_final *f)
{
	const struct uexec_stack *st = &plan->stack;
	struct prctl_mm_map *map = &f->mm;
	size_t n = st->auxc < 64 ? st->auxc : 64;

	/* The kernel keeps a compat program's auxv as its own words (pairs of
	 * 32-bit values): /proc/self/auxv shows them so. */
	for (size_t i = 0; i < n; i++) {
		if (st->word == 4) {
			((uint32_t *)f->auxv)[2 * i] = (uint32_t)st->auxv_pairs[i][0];
			((uint32_t *)f->auxv)[2 * i + 1] = (uint32_t)st->auxv_pairs[i][1];
		} else {
			f->auxv[2 * i] = st->auxv_pairs[i][0];
			f->auxv[2 * i + 1] = st->auxv_pairs[i][1];
		}
	}
	memset(map, 0, sizeof(*map));
	map->start_code = plan->exe.start_code;
	map->end_code = plan->exe.end_code;
	/* PR_SET_MM_MAP takes only start_code < end_code: an ET_EXEC without
	 * an executable PT_LOAD (the kernel's ~0UL and 0) gets a stand-in. */
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
	map->auxv_size = (uint32_t)(n * 2 * st->word);
	f->set_mm = 1;
	UEXEC_DEBUG(UEXEC_DBG_BRK, "brk %#lx (start_brk %#lx, end of bss %#lx), set by "
		    "the final stage with PR_SET_MM_MAP", (unsigned long)plan->brk,
		    (unsigned long)plan->start_brk, (unsigned long)plan->exe.elf_brk);
}

/* Does PR_SET_MM_MAP's validate_prctl_map_addr() (kernel/sys.c) find an
 * address below mmap_min_addr?  The kernel's own value is the larger of
 * vm.mmap_min_addr and CONFIG_LSM_MMAP_MIN_ADDR (65536 where an LSM is
 * built in, as on Debian), which /proc does not show: 65536 is assumed. */
static bool low_mm_address(const struct prctl_mm_map *m)
{
	const uint64_t v[] = { m->start_code, m->end_code, m->start_data, m->end_data,
			    m->start_brk, m->brk };
	long d = uexec_layout_sysctl("/proc/sys/vm/mmap_min_addr", 0);
	unsigned long min = d > 65536 ? (unsigned long)d : 65536;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (v[i] < min)
			return true;
	return false;
}

/* The reasons the kernel gives for refusing to change exe_file
 * (kernel/sys.c, prctl_set_mm_map() and prctl_set_mm_exe_file()). */
static void fill_exe_why(struct uexec_final *f)
{
	static const struct { int err; const char *why; } why[] = {
		{ EBUSY, "a mapping of uexec's own file is still there (EBUSY: the kernel "
			 "changes exe only once the old executable is unmapped)" },
		{ EPERM, "no CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN (PR_SET_MM_MAP), nor "
			 "CAP_SYS_RESOURCE (PR_SET_MM_EXE_FILE)" },
		{ EINVAL, "PR_SET_MM_MAP refused (a kernel without CONFIG_CHECKPOINT_RESTORE?)" },
		{ EACCES, "the program is not executable for the kernel's check" },
	};

	for (size_t i = 0; i < sizeof(why) / sizeof(why[0]); i++) {
		if (why[i].err == EINVAL && low_mm_address(&f->mm)) {
			f->exe_why[i].err = -EINVAL;
			snprintf(f->exe_why[i].msg, sizeof(f->exe_why[i].msg), "%s: the program's "
				 "code, data or brk lies below mmap_min_addr, which "
				 "PR_SET_MM_MAP refuses (EINVAL)", f->msg_exe_fail);
			continue;
		}
		f->exe_why[i].err = -why[i].err;
		snprintf(f->exe_why[i].msg, sizeof(f->exe_why[i].msg), "%s: %s",
			 f->msg_exe_fail, why[i].why);
	}
}

/*
 * cap_bprm_creds_from_file() (security/commoncap.c) for a file that grants
 * no capabilities (uexec grants none, README), with the ids C after the
 * exec: permitted = ambient, but for root (real or effective, without
 * SECBIT_NOROOT) the bounding set and the inheritable one; effective = the
 * permitted set for an effective root, else the ambient set; the ambient
 * set cleared by a set-id exec; keep-caps off.  uexec can only drop: a
 * root whose permitted set lacks what the kernel would give back keeps
 * what it has (a root's permitted set is kept, only its effective set
 * raised to it).  Nothing to do (no system call in the final stage) where
 * the exec changes nothing, as for a process without capabilities.
 */
static void fill_caps(const struct uexec_creds *c, struct uexec_final *f)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int bits = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);
	bool noroot = bits > 0 && (bits & SECBIT_NOROOT);
	bool root = !noroot && (c->uid == 0 || c->euid == 0);
	uint64_t p, e, in, amb = 0, amb_after, want_p, want_e;

	f->set_caps = 0;
	if (syscall(SYS_capget, &h, d))
		return;
	p = d[0].permitted | (uint64_t)d[1].permitted << 32;
	e = d[0].effective | (uint64_t)d[1].effective << 32;
	in = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	for (int cap = 0; cap < 64; cap++)	/* ambient is within both */
		if (((p & in) >> cap & 1) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0) == 1)
			amb |= 1ULL << cap;
	amb_after = c->setid ? 0 : amb;
	want_p = (root ? p : 0) | amb_after;
	want_e = !noroot && c->euid == 0 ? want_p : amb_after;
	f->clear_ambient = amb_after != amb;
	f->clear_keepcaps = bits > 0 && (bits & SECBIT_KEEP_CAPS);
	if (want_p == p && want_e == e && !f->clear_ambient && !f->clear_keepcaps)
		return;
	f->set_caps = 1;
	f->cap_hdr[0] = _LINUX_CAPABILITY_VERSION_3;
	f->cap_hdr[1] = 0;
	f->cap_want[0] = (uint32_t)want_p;
	f->cap_want[1] = (uint32_t)want_e;
	f->cap_want[2] = (uint32_t)(want_p >> 32);
	f->cap_want[3] = (uint32_t)(want_e >> 32);
	UEXEC_DEBUG(UEXEC_DBG_EXEC, "capabilities: permitted %#llx -> %#llx, effective %#llx "
		    "-> %#llx%s%s", (unsigned long long)p, (unsigned long long)want_p,
		    (unsigned long long)e, (unsigned long long)want_e,
		    f->clear_ambient ? ", ambient cleared" : "",
		    f->clear_keepcaps ? ", keep-caps off" : "");
}

/* Every constant byte the final stage writes comes from here: it has no
 * .rodata of its own. */
static void fill_messages(struct uexec_final *f, const char *filename)
{
	uexec_escape_prefix(f->prefix, sizeof(f->prefix), filename);
	snprintf(f->debug_prefix, sizeof(f->debug_prefix), "uexec: exec: ");
	snprintf(f->errno_open, sizeof(f->errno_open), " (errno ");
	snprintf(f->errno_close, sizeof(f->errno_close), ")");
	snprintf(f->newline, sizeof(f->newline), "\n");
	snprintf(f->digits, sizeof(f->digits), "0123456789");
	f->nul[0] = 0;
	snprintf(f->msg_unmap, sizeof(f->msg_unmap), "removing uexec's own memory failed");
	snprintf(f->msg_move, sizeof(f->msg_move), "moving a segment into place failed");
	snprintf(f->msg_vmove, sizeof(f->msg_vmove), "moving the vDSO into place failed");
	snprintf(f->msg_creds, sizeof(f->msg_creds), "setting the program's credentials failed");
	snprintf(f->msg_caps, sizeof(f->msg_caps), "setting the program's capabilities failed");
	snprintf(f->msg_exe_ok, sizeof(f->msg_exe_ok), "exe-file set: /proc/self/exe "
		 "names the program");
	snprintf(f->msg_exe_fail, sizeof(f->msg_exe_fail), "exe-file failed: /proc/self/exe "
		 "still names uexec");
	if (f->debug_fd >= 0)	/* the reasons are only ever traced */
		fill_exe_why(f);
	snprintf(f->clear_refs, sizeof(f->clear_refs), "/proc/self/clear_refs");
	snprintf(f->clear_refs_value, sizeof(f->clear_refs_value), "5");
	snprintf(f->msg_hwm_ok, sizeof(f->msg_hwm_ok), "peak RSS reset (VmHWM: clear_refs 5)");
	snprintf(f->msg_hwm_fail, sizeof(f->msg_hwm_fail), "peak RSS not reset: VmHWM "
		 "keeps uexec's peak (/proc/self/clear_refs)");
	f->reset_hwm = 1;
	snprintf(f->msg_mm_fail, sizeof(f->msg_mm_fail), "mm-map failed: PR_SET_MM_MAP: the "
		 "program's brk, /proc/self/cmdline and auxv are uexec's");
}

/* The vDSO and vvar move down (the lowest first, so that none lands on
 * another) or up (the highest first); by way of a scratch range when the
 * move is shorter than the block (mremap refuses an overlapping move).  The
 * scratch range is mapped PROT_NONE here, after the reading of
 * /proc/self/maps, and unmapped by the final stage. */
static void fill_vdso_moves(const struct uexec_plan *plan, const struct uexec_mm *mm,
			    struct uexec_final *f)
{
	uintptr_t lo = plan->nkmaps ? plan->kmaps[0][0] : 0;
	uintptr_t len = plan->nkmaps ? plan->kmaps[plan->nkmaps - 1][1] - lo : 0;
	uintptr_t dist = plan->vdso_delta < 0 ? (uintptr_t)-plan->vdso_delta :
			 (uintptr_t)plan->vdso_delta;

	f->vscratch = f->vscratch_len = 0;
	f->vscratch_delta = 0;
	if (plan->vdso_delta && dist < len) {
		f->vscratch = uexec_mm_find_free(plan, mm, len, UEXEC_TASK_SIZE, PROT_NONE,
						 MAP_NORESERVE);
		f->vscratch_len = f->vscratch ? len : 0;
		f->vscratch_delta = f->vscratch ? (intptr_t)f->vscratch - (intptr_t)lo : 0;
	}
	f->nvmove = 0;
	for (size_t i = 0; plan->vdso_delta && i < plan->nkmaps && i < 8; i++) {
		size_t j = plan->vdso_delta < 0 ? i : plan->nkmaps - 1 - i;

		f->vmove[f->nvmove].addr = plan->kmaps[j][0];
		f->vmove[f->nvmove].len = plan->kmaps[j][1] - plan->kmaps[j][0];
		f->vmove[f->nvmove].to = plan->kmaps[j][0] + (uintptr_t)plan->vdso_delta;
		f->nvmove++;
	}
}

/* The descriptor the trace goes to, or -1. */
static int debug_fd(void)
{
	if (!uexec_debug_mask)
		return -1;
	return uexec_debug_file ? fileno(uexec_debug_file) : 2;
}

static void fill_final(const struct uexec_binprm *bprm, const struct uexec_mm *mm,
		       struct uexec_handover *ho)
{
	const struct uexec_plan *plan = &bprm->plan;
	struct uexec_final *f = ho->final;
	uintptr_t vdso = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
	int dbg = debug_fd();

	f->sp = plan->stack.sp;
	f->entry = plan->entry;
	/* The gadget is in the vDSO, which the final stage may move.  A
	 * program entered another way (entry_cs) does not use it: its ABI's
	 * own exit, if it has one, is the arch's (uexec_arch_final_fill). */
	f->entry_cs = plan->exe.abi->entry_cs;
	f->gadget = f->entry_cs ? 0 : uexec_arch_find_exit_gadget(vdso, uexec_selfmem_image_length(vdso));
	if (f->gadget)
		f->gadget += (uintptr_t)plan->vdso_delta;
	f->blob = ho->blob;
	f->blob_len = ho->blob_len;
	f->stop = (bprm->opts->flags & UEXEC_F_BREAK) != 0;
	f->exe_fd = plan->exe.fd;
	f->debug_fd = (uexec_debug_mask & UEXEC_DBG_EXEC) ? dbg : -1;
	f->nclose = 0;
	if (plan->exe.fd >= 0)
		f->close_fd[f->nclose++] = plan->exe.fd;
	if (dbg > 2 && (fcntl(dbg, F_GETFD) & FD_CLOEXEC))
		f->close_fd[f->nclose++] = dbg;
	f->euid = bprm->cred.euid;
	f->egid = bprm->cred.egid;
	f->secure = bprm->cred.secure;
	f->setid = bprm->cred.setid;
	f->per_clear = bprm->cred.per_clear;
	fill_caps(&bprm->cred, f);
	f->personality = plan->personality;
	fill_vdso_moves(plan, mm, f);
	f->page_zero = plan->page_zero == UEXEC_PAGE_ZERO_MAP ? 1 :
		       plan->page_zero == UEXEC_PAGE_ZERO_MAP_SEAL ? 2 : 0;
	f->page_size = UEXEC_PAGE_SIZE;
	uexec_arch_final_fill(plan, f);	/* a compat ABI's own exit (f->gadget) */
	if (!f->gadget)
		f->blob = f->blob_len = 0;
	UEXEC_DEBUG(UEXEC_DBG_MAP, "map final-stage %#lx-%#lx (%zu bytes of code); %s",
		    (unsigned long)ho->blob, (unsigned long)(ho->blob + ho->blob_len),
		    (size_t)(__stop_uexec_final_text - __start_uexec_final_text),
		    f->gadget ? "exit gadget found in the vDSO: the blob unmaps itself" :
		    "exit gadget not found: the blob stays mapped in the program");
	fill_mm_map(plan, f);
	fill_messages(f, bprm->filename);	/* after fill_mm_map: the reasons read it */
}

/*
 * Sealed memory (mseal(2)) can be neither unmapped nor moved, and the final
 * stage does both to all that is not kept: a sealed mapping is refused
 * here.  What uexec made for the new image (keep_ranges()) is not looked
 * at; the kernel's own mappings, which CONFIG_MSEAL_SYSTEM_MAPPINGS seals,
 * stay where they are when sealed (place_vdso()), and so does the SVr4
 * page at 0 that the kernel seals under MMAP_PAGE_ZERO when the program
 * gets one too.  A fresh process has no other sealed mapping (fresh.h):
 * only page zero is looked at.
 */
static int check_sealed(const struct uexec_plan *plan, const struct uexec_mm *mm,
			const struct uexec_handover *ho, char *err, size_t errlen)
{
	uintptr_t (*skip)[2], lo = 0, hi = UEXEC_PAGE_SIZE;
	struct keep *k;
	size_t nk;
	int r;

	if (uexec_fresh_process()) {
		r = plan->zero_sealed && plan->page_zero != UEXEC_PAGE_ZERO_KEEP;
	} else {
		k = malloc((3 * plan->nmaps + 3 + plan->nkmaps) * sizeof(*k));
		skip = malloc((3 * plan->nmaps + 3 + plan->nkmaps) * sizeof(*skip));
		if (!k || !skip) {
			free(k);
			free(skip);
			return -ENOMEM;
		}
		nk = keep_ranges(plan, mm, ho, k);
		for (size_t i = 0; i < nk; i++) {
			skip[i][0] = k[i].lo;
			skip[i][1] = k[i].hi;
		}
		for (size_t i = 0; i < plan->nkmaps; i++) {
			skip[nk][0] = plan->kmaps[i][0];
			skip[nk++][1] = plan->kmaps[i][1];
		}
		r = uexec_selfmem_find_sealed((const uintptr_t (*)[2])skip, nk, &lo, &hi);
		free(k);
		free(skip);
	}
	if (r < 0)
		UEXEC_DEBUG(UEXEC_DBG_EXEC, "sealed memory: not looked for (no /proc)");
	if (r <= 0)
		return 0;
	snprintf(err, errlen, "%#lx-%#lx is sealed memory (mseal), which uexec cannot remove "
		 "as an exec must", (unsigned long)lo, (unsigned long)hi);
	return -EPERM;
}

int uexec_final_prepare(const struct uexec_binprm *bprm, const struct uexec_mm *mm,
			struct uexec_handover *ho, char *err, size_t errlen)
{
	int ret = map_blob_with_lists(&bprm->plan, mm, ho, err, errlen);

	uexec_layout_drop_maps_fd();	/* when nothing was staged, unused */
	if (!ret)
		ret = check_sealed(&bprm->plan, mm, ho, err, errlen);
	if (ret)
		return ret;
	fill_final(bprm, mm, ho);
	return 0;
}

void uexec_final_release(struct uexec_handover *ho)
{
	if (ho->blob)
		munmap((void *)ho->blob, ho->blob_len);
	memset(ho, 0, sizeof(*ho));
}

/* Address of SYM (in uexec_final_text) inside the blob's copy. */
static uintptr_t in_blob(const struct uexec_handover *ho, const void *sym)
{
	return ho->blob + (uintptr_t)((const char *)sym - __start_uexec_final_text);
}

void uexec_final_enter(const struct uexec_handover *ho)
{
	struct uexec_final *f = ho->final;

	((void (*)(struct uexec_final *, uintptr_t))in_blob(ho, uexec_arch_final_enter))
		(f, (uintptr_t)f->stack + sizeof(f->stack));
	__builtin_unreachable();
}
