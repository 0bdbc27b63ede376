/* SPDX-License-Identifier: MIT */
/*
 * The ELF handler (the kernel's fs/binfmt_elf.c): load_elf_binary() reads
 * and checks the program's headers and its interpreter's (elf_image.c),
 * and the GNU properties the architecture's kernel reads, decides where
 * every segment, the brk and the stack go, builds the stack image, and
 * records all of it in bprm->plan.  It changes nothing in the address space
 * (but for the probes of layout.c, undone at once): mm.c maps the plan,
 * final_prepare.c prepares the final stage and commit.c passes the point of
 * no return.
 *
 * Failure: -ENOEXEC when the file is not ELF (another handler may take
 * it), or not an ELF this machine runs (the reason is kept for the final
 * message); -errno with a reason in bprm->err otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archdep.h"
#include "auxv.h"
#include "binfmt_elf.h"
#include "binprm.h"
#include "debug.h"
#include "elf_check.h"
#include "elf_image.h"
#include "exec.h"
#include "fresh.h"
#include "kversion.h"
#include "layout.h"
#include "selfmem.h"
#include "stack.h"

#define PAGE_START(x) uexec_page_start((uintptr_t)(x))
#define PAGE_OFFSET(x) uexec_page_offset((uintptr_t)(x))
#define PAGE_ALIGN(x) uexec_page_align((uintptr_t)(x))

/* The stack the kernel maps beyond what the strings need (stack_expand). */
#define STACK_EXPAND (128UL * 1024)

/* make_prot(): a PT_LOAD's protection, and what the architecture adds
 * for IMG's part of the exec (arm64: PROT_BTI on the text of the image
 * whose note asks for it). */
static int make_prot(const struct uexec_plan *plan, const struct uexec_elf_image *img,
		     uint32_t p_flags)
{
	int prot = (p_flags & PF_R ? PROT_READ : 0) | (p_flags & PF_W ? PROT_WRITE : 0) |
		   (p_flags & PF_X ? PROT_EXEC : 0);

	return uexec_arch_elf_adjust_prot(prot, &plan->elf_state, plan->has_interp,
					  img == &plan->interp);
}

/* An ET_EXEC image: one reservation per run of overlapping or touching
 * segment pages (it lies where the header says, holes and all). */
static int reserve_fixed(struct uexec_plan *plan, const struct uexec_elf_image *img,
			 const char *what)
{
	const GElf_Phdr *ph = img->phdrs;
	uintptr_t rlo = 0, rhi = 0;
	int ret;

	for (size_t i = 0; i < img->phnum; i++) {
		uintptr_t lo, hi;

		if (ph[i].p_type != PT_LOAD || !ph[i].p_memsz)
			continue;
		lo = PAGE_START(ph[i].p_vaddr);
		hi = PAGE_ALIGN(ph[i].p_vaddr + ph[i].p_memsz);
		if (rhi && lo <= rhi) {
			if (hi > rhi)
				rhi = hi;
			continue;
		}
		if (rhi && (ret = uexec_plan_add_map(plan, UEXEC_MAP_RESERVE, rlo, rhi - rlo,
						     PROT_NONE, -1, 0, what)))
			return ret;
		rlo = lo;
		rhi = hi;
	}
	if (rhi)
		return uexec_plan_add_map(plan, UEXEC_MAP_RESERVE, rlo, rhi - rlo, PROT_NONE,
					  -1, 0, what);
	return 0;
}

/* One PT_LOAD's steps: its file pages, the zeroed tail of its last file
 * page (padzero(): only a writable segment, as 6.x kernels), and its
 * anonymous bss pages (vm_brk_flags(): read-write, executable if asked). */
static int plan_segment(struct uexec_plan *plan, const struct uexec_elf_image *img,
			const GElf_Phdr *p, const char *what)
{
	uintptr_t vaddr = p->p_vaddr + img->load_bias;
	uintptr_t file_end = vaddr + p->p_filesz, mem_end = vaddr + p->p_memsz;
	int prot = make_prot(plan, img, p->p_flags), ret;

	if (plan->read_implies_exec && (prot & PROT_READ))
		prot |= PROT_EXEC;	/* do_mmap() under READ_IMPLIES_EXEC */
	if (p->p_filesz) {
		ret = uexec_plan_add_map(plan, UEXEC_MAP_FILE, PAGE_START(vaddr),
					 PAGE_ALIGN(file_end) - PAGE_START(vaddr), prot, img->fd,
					 (off_t)(p->p_offset - PAGE_OFFSET(vaddr)), what);
		if (ret)
			return ret;
		if (p->p_memsz > p->p_filesz && PAGE_OFFSET(file_end) && (prot & PROT_WRITE) &&
		    (ret = uexec_plan_add_map(plan, UEXEC_MAP_ZERO_TAIL, file_end,
					      PAGE_ALIGN(file_end) - file_end, prot, -1, 0,
					      what)))
			return ret;
	}
	if (p->p_memsz > p->p_filesz) {
		uintptr_t zs = p->p_filesz ? PAGE_ALIGN(file_end) : PAGE_START(vaddr);
		uintptr_t ze = PAGE_ALIGN(mem_end);

		if (ze > zs)
			return uexec_plan_add_map(plan, UEXEC_MAP_ANON, zs, ze - zs,
						  PROT_READ | PROT_WRITE | (prot & PROT_EXEC),
						  -1, 0, what);
	}
	return 0;
}

/* The code/data/brk bounds of IMG, as the kernel's load_elf_binary keeps
 * them, grown by one loaded segment P. */
static void note_segment(struct uexec_elf_image *img, const GElf_Phdr *p)
{
	uintptr_t vaddr = p->p_vaddr + img->load_bias;
	uintptr_t file_end = vaddr + p->p_filesz, mem_end = vaddr + p->p_memsz;

	if ((p->p_flags & PF_X) && vaddr < img->start_code)
		img->start_code = vaddr;
	if (img->start_data < vaddr)
		img->start_data = vaddr;
	if ((p->p_flags & PF_X) && img->end_code < file_end)
		img->end_code = file_end;
	if (img->end_data < file_end)
		img->end_data = file_end;
	if (file_end > img->elf_bss)
		img->elf_bss = file_end;
	if (mem_end > img->elf_brk)
		img->elf_brk = mem_end;
}

/*
 * Record the mapping steps of IMG at IMG->load_bias: the reservation(s),
 * each PT_LOAD's steps, and the holes of an ET_DYN image (given back, as
 * the kernel's total_mapping_size() mapping is).  Computes the bounds.
 */
static int plan_image(struct uexec_plan *plan, struct uexec_elf_image *img,
		      const char *what)
{
	const GElf_Phdr *ph = img->phdrs;
	uintptr_t prev_end = 0;
	int ret;

	img->start_code = UINTPTR_MAX;
	img->end_code = img->start_data = img->end_data = img->elf_bss = img->elf_brk = 0;
	ret = img->fixed ? reserve_fixed(plan, img, what) :
	      uexec_plan_add_map(plan, UEXEC_MAP_RESERVE, img->lo + img->load_bias,
				 img->hi - img->lo, PROT_NONE, -1, 0, what);
	for (size_t i = 0; !ret && i < img->phnum; i++) {
		const GElf_Phdr *p = &ph[i];
		uintptr_t vaddr = p->p_vaddr + img->load_bias;

		if (p->p_type != PT_LOAD)
			continue;
		note_segment(img, p);	/* a segment that maps nothing too */
		if (!p->p_filesz && !p->p_memsz)
			continue;
		if (!img->fixed && prev_end && PAGE_START(vaddr) > prev_end &&
		    (ret = uexec_plan_add_map(plan, UEXEC_MAP_UNMAP, prev_end,
					      PAGE_START(vaddr) - prev_end, 0, -1, 0, what)))
			break;
		ret = plan_segment(plan, img, p, what);
		if (PAGE_ALIGN(vaddr + p->p_memsz) > prev_end)	/* nested: the outer's */
			prev_end = PAGE_ALIGN(vaddr + p->p_memsz);
	}
	/* The extent beyond the last segment that maps something (one that
	 * maps nothing may end it) is given back too. */
	if (!ret && !img->fixed && prev_end && prev_end < img->hi + img->load_bias)
		ret = uexec_plan_add_map(plan, UEXEC_MAP_UNMAP, prev_end,
					 img->hi + img->load_bias - prev_end, 0, -1, 0, what);
	/* No executable PT_LOAD: the kernel's initial ~0UL and 0, biased (a
	 * PIE's bias - 1 and bias; an ET_EXEC's ~0UL and 0, which
	 * PR_SET_MM_MAP refuses, final_prepare.c). */
	if (img->start_code == UINTPTR_MAX) {
		img->start_code = UINTPTR_MAX + img->load_bias;
		img->end_code = img->load_bias;
	}
	img->phdr_addr += img->load_bias;	/* the bias alone without a table */
	return ret;
}

/* The file offset of IMG's first PT_LOAD page: what the kernel's first
 * mapping of the whole image maps from. */
static off_t first_offset(const struct uexec_elf_image *img)
{
	const GElf_Phdr *ph = img->phdrs;

	for (size_t i = 0; i < img->phnum; i++)
		if (ph[i].p_type == PT_LOAD)
			return (off_t)(ph[i].p_offset - PAGE_OFFSET(ph[i].p_vaddr));
	return 0;
}

/*
 * Place IMG in ROLE.  ET_EXEC: where it says.  ET_DYN with an interpreter
 * (a PIE): ELF_ET_DYN_BASE plus the mmap randomisation, aligned to the
 * largest p_align.  ET_DYN without one (a static PIE, a loader run
 * directly) and the interpreter: where the kernel's first mmap() of the
 * whole image lands in the new exec, whose ranges so far are TAKEN
 * (top-down below mmap_base, or bottom-up in the legacy layout; large files
 * aligned as thp_get_unmapped_area() aligns them), then, but for the
 * interpreter, aligned down to the largest p_align (load_elf_interp()
 * aligns to pages only: an arm64 ld.so's 64 KiB p_align is not followed).
 * A range that uexec occupies itself is staged by mm.c and
 * moved into place by the final stage, so these are the kernel's
 * addresses whatever uexec's own layout is.
 */
enum place_role { PLACE_STATIC_PIE, PLACE_WITH_INTERP, PLACE_INTERP };

static int place_image(struct uexec_elf_image *img, struct uexec_layout *lay,
		       enum place_role role, const struct uexec_taken *taken,
		       char *err, size_t errlen)
{
	size_t size = img->hi - img->lo;
	uintptr_t align = img->max_align > UEXEC_PAGE_SIZE && role != PLACE_INTERP ?
			  img->max_align : 0;
	uintptr_t base;
	off_t off = first_offset(img);

	if (img->fixed) {
		img->load_bias = 0;
		return 0;
	}
	if (role == PLACE_WITH_INTERP) {
		base = img->abi->et_dyn_base + uexec_layout_mmap_rnd(lay);
		if (align)
			base &= ~(align - 1);
		img->load_bias = PAGE_START(base - img->lo);
		return 0;
	}
	base = uexec_layout_map_area(lay, taken, size,
				     uexec_layout_file_thp(lay, img->fd, size, off) && !off);
	if (base) {
		/* Aligned down, to 0 for a p_align above the mmap area (2^47 on
		 * x86_64): the kernel then maps the image there, which only a
		 * caller allowed below mmap_min_addr can. */
		if (align)
			base &= ~(align - 1);
		img->load_bias = base - img->lo;
		img->in_mmap_area = true;
		return 0;
	}
	base = uexec_layout_find_free(size, align ? align : UEXEC_PAGE_SIZE);
	if (!base) {
		snprintf(err, errlen, "no room for %zu bytes of address space", size);
		return -ENOMEM;
	}
	img->load_bias = base - img->lo;
	return 0;
}

/* IMG's segments as mapped (elf_map() gives back the rest of the
 * image's first mapping: the holes between segments are free). */
static void image_taken(const struct uexec_elf_image *img, struct uexec_taken *t)
{
	const GElf_Phdr *ph = img->phdrs;

	for (size_t i = 0; i < img->phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_memsz)
			uexec_layout_take(t, PAGE_START(ph[i].p_vaddr + img->load_bias),
					  PAGE_ALIGN(ph[i].p_vaddr + ph[i].p_memsz +
						     img->load_bias));
}

/* The segments of the images placed so far (the program, the interpreter
 * once placed), for the kernel's next mmap() search. */
static void images_taken(const struct uexec_plan *plan, bool with_interp,
			 struct uexec_taken *t)
{
	t->n = 0;
	image_taken(&plan->exe, t);
	if (with_interp && plan->has_interp)
		image_taken(&plan->interp, t);
}

/*
 * The vDSO and vvar: the kernel's map_vdso() maps them after the images,
 * as one block, by its ordinary mmap() search (vm_unmapped_area()): the
 * highest gap below mmap_base that fits, which may be above an image
 * aligned down to a large p_align, or in the legacy layout the lowest gap
 * from the area's bottom.  uexec's own sit where the kernel put them for
 * uexec; the final stage moves them by plan->vdso_delta, and
 * AT_SYSINFO_EHDR says where to.  A compat program gets its ABI's own
 * vDSO instead (the arch's extra pages), searched for the same way in its
 * own mmap area.
 */
static void place_vdso(struct uexec_plan *plan, struct uexec_layout *lay)
{
	struct uexec_taken t;
	uintptr_t at, lo, hi;
	size_t size;
	bool sealed;

	plan->vdso_delta = 0;
	plan->nkmaps = uexec_layout_kernel_maps(plan->kmaps, UEXEC_MAX_KMAPS);
	images_taken(plan, true, &t);
	plan->rnd.mmap_base = uexec_layout_mmap_base(lay);
	plan->rnd.bottom_up = lay->legacy;
	lo = plan->nkmaps ? plan->kmaps[0][0] : 0;
	hi = plan->nkmaps ? plan->kmaps[plan->nkmaps - 1][1] : 0;
	/* CONFIG_MSEAL_SYSTEM_MAPPINGS (Linux 6.15) seals them at every exec,
	 * a caller may have: they stay where the kernel put them for uexec,
	 * and a compat program, whose own vDSO cannot be mapped beside them,
	 * runs without one (as under vdso32=0).  In a fresh process the exec
	 * sealed all of them or none: one is asked. */
	sealed = uexec_selfmem_run_sealed((const uintptr_t (*)[2])plan->kmaps,
					  uexec_fresh_process() && plan->nkmaps ? 1 : plan->nkmaps);
	if (sealed)
		UEXEC_DEBUG(UEXEC_DBG_MAP, "vdso %#lx-%#lx is sealed (mseal): it stays where "
			    "it is%s", (unsigned long)lo, (unsigned long)hi, plan->exe.abi->compat ?
			    ", and the program gets no vDSO of its own" : "");
	if (plan->exe.abi->compat) {
		size = sealed ? 0 : uexec_arch_extra_size(plan);
		uexec_arch_place_extra(plan, size ? uexec_layout_map_area(lay, &t, size, 0) : 0);
		return;
	}
	if (!plan->nkmaps || sealed)
		return;
	at = uexec_layout_map_area(lay, &t, hi - lo, 0);
	if (!at)
		return;
	plan->vdso_delta = (intptr_t)at - (intptr_t)lo;
	UEXEC_DEBUG(UEXEC_DBG_MAP, "vdso %#lx-%#lx moves to %#lx (%s mmap area)",
		    (unsigned long)lo, (unsigned long)hi, (unsigned long)at,
		    lay->legacy ? "bottom-up, legacy" : "top-down");
}

/*
 * MMAP_PAGE_ZERO: the kernel maps a read-execute page at address 0 after
 * the images (and ignores the failure: below mmap_min_addr only a
 * privileged process may), and since Linux 6.11 ("binfmt_elf: seal address
 * zero") seals it, so that a caller with this personality (CALLER_ZERO)
 * has its own sealed one already: that page stays, or, where the program
 * loses the flag (PER_CLEAR_ON_SETID), is in the way (final_prepare.c).
 */
static void page_zero(struct uexec_plan *plan, bool caller_zero)
{
	bool wants = plan->personality & MMAP_PAGE_ZERO;
	int v = uexec_kernel_version();

	plan->zero_sealed = (wants || caller_zero) && uexec_selfmem_sealed(0, UEXEC_PAGE_SIZE);
	if (!wants)
		plan->page_zero = UEXEC_PAGE_ZERO_NONE;
	else if (plan->zero_sealed)
		plan->page_zero = UEXEC_PAGE_ZERO_KEEP;
	else
		plan->page_zero = !v || v >= UEXEC_KVERSION(6, 11) ? UEXEC_PAGE_ZERO_MAP_SEAL :
			UEXEC_PAGE_ZERO_MAP;
}

/* How far the kernel randomises each base of this layout (plan.h). */
static void record_random(struct uexec_plan *plan, struct uexec_layout *lay)
{
	const struct uexec_abi *abi = plan->exe.abi;

	if (!lay->randomize)
		return;
	plan->rnd.mmap_random = true;
	plan->rnd.stack_range = (abi->stack_rnd_mask + 1) * UEXEC_PAGE_SIZE;
	plan->rnd.sp_range = UEXEC_STACK_SUBPAGE_RND;
	plan->rnd.brk_range = lay->randomize_brk ? abi->brk_rnd_range : 0;
}

/* ------------------------------------------------------------------ */
/* The stack */

/* The auxv for the stack builder: the kernel's, with this exec's values. */
static int stack_auxv(struct uexec_binprm *bprm, struct uexec_stack_input *in,
		      unsigned long (*out)[2])
{
	struct uexec_auxv_exec x = {
		.plan = &bprm->plan,
		.cred = &bprm->cred,
		.at_flags = (bprm->interp_flags & UEXEC_BINPRM_F_PRESERVE_ARGV0) ? 1 : 0,
		.execfd = (bprm->interp_flags & UEXEC_BINPRM_F_EXECFD) ? bprm->execfd : -1,
		.platform = in->platform != NULL,
		.base_platform = in->base_platform != NULL,
	};
	int ret = uexec_auxv_build(&x, out, UEXEC_MAX_AUXV - 1, &in->auxc);

	if (ret)
		return uexec_binprm_error(bprm, -ret, "cannot read the auxiliary vector");
	in->auxv = (const unsigned long (*)[2])out;
	return 0;
}

/* Where the stack ends: randomize_stack_top(STACK_TOP) for an ABI with a
 * fixed top (compat), uexec's own top otherwise (layout.c). */
static uintptr_t stack_top(const struct uexec_plan *plan, struct uexec_layout *lay)
{
	const struct uexec_abi *abi = plan->exe.abi;

	if (!abi->stack_top)
		return uexec_layout_stack_top(lay, 8UL << 20);
	return abi->stack_top - (lay->randomize ? (uexec_layout_random() &
						   abi->stack_rnd_mask) * UEXEC_PAGE_SIZE : 0);
}

/*
 * The initial stack mapping, as setup_arg_pages() sizes it: the pages of
 * the strings plus stack_expand (128 KiB) below them, which also holds the
 * tables, or RLIMIT_STACK if that is smaller.  The mapping grows down on
 * demand like the kernel's (MAP_GROWSDOWN), up to RLIMIT_STACK.
 */
static int size_stack(struct uexec_binprm *bprm)
{
	struct uexec_stack *st = &bprm->plan.stack;
	size_t strings = st->top - PAGE_START(st->arg_start);
	size_t used = st->top - PAGE_START(st->sp);

	if (st->rlimit != (size_t)-1 && used > st->rlimit)
		return uexec_binprm_error(bprm, E2BIG, "the initial stack (%zu bytes) "
					  "exceeds RLIMIT_STACK (%zu)", used, st->rlimit);
	st->map_size = strings + STACK_EXPAND;
	if (st->rlimit != (size_t)-1 && st->map_size > st->rlimit)
		st->map_size = PAGE_START(st->rlimit);
	if (st->map_size < used)
		st->map_size = used;
	/* The final jump writes a few bytes below sp (archdep.h).  Where the
	 * tables fill the mapping to its lowest bytes (an RLIMIT_STACK that
	 * the image meets exactly), the mapping gets one page more than the
	 * kernel's: beyond RLIMIT_STACK either way, it cannot grow further,
	 * as the kernel's cannot (README, "Small stacks"). */
	if (st->sp - (st->top - st->map_size) < UEXEC_ARCH_BELOW_SP)
		st->map_size += UEXEC_PAGE_SIZE;
	return 0;
}

/* The stack image (create_elf_tables) and its mapping's size.  The strings
 * were bounded by bprm_stack_limits() before the handlers; a rewrite's
 * strings count against the same bound. */
static int build_stack(struct uexec_binprm *bprm, struct uexec_layout *lay)
{
	struct uexec_plan *plan = &bprm->plan;
	const struct uexec_abi *abi = plan->exe.abi;
	unsigned long auxv[UEXEC_MAX_AUXV][2];
	const char *platform = (const char *)getauxval(AT_PLATFORM);
	struct uexec_stack_input in = {
		.argv = bprm->argv.v, .envp = bprm->envp.v, .execfn = bprm->filename,
		.platform = abi->platform ? abi->platform : platform,
		.base_platform = abi->compat ? NULL : (const char *)getauxval(AT_BASE_PLATFORM),
		.word = abi->word, .end_marker = abi->stack_end_marker,
		.sub_page_offset = lay->randomize ? uexec_layout_random() %
						    UEXEC_STACK_SUBPAGE_RND : 0,
	};
	size_t strings = uexec_stack_strings_size(bprm->argv.v, bprm->envp.v, bprm->filename);
	int ret;

	if (strings > bprm->arg_limit)
		return uexec_binprm_error(bprm, E2BIG, "%s (%zu bytes of arguments and "
					  "environment, the limit is %zu)", strerror(E2BIG),
					  strings, bprm->arg_limit);
	ret = stack_auxv(bprm, &in, auxv);
	if (ret)
		return ret;
	if (getrandom(in.random, sizeof(in.random), 0) != sizeof(in.random))
		return uexec_binprm_error(bprm, EIO, "getrandom: %s", strerror(errno));
	plan->stack.rlimit = lay->rlim_stack;
	plan->stack.top = stack_top(plan, lay);
	if (!plan->stack.top)
		return uexec_binprm_error(bprm, ENOMEM, "no room for the stack");
	ret = uexec_create_elf_tables(&plan->stack, &in, bprm->err, sizeof(bprm->err));
	return ret ? ret : size_stack(bprm);
}

/* The kernel's _STK_LIM (include/uapi/linux/resource.h). */
#define STK_LIM (8UL << 20)

/*
 * begin_new_exec(): a secure exec's RLIMIT_STACK is cut to _STK_LIM
 * before the layout is picked (the commit then sets it so); the argument
 * space, decided before, keeps the caller's.
 */
static size_t secure_rlim_stack(const struct uexec_binprm *bprm)
{
	return bprm->cred.secure && bprm->rlim_stack > STK_LIM ? STK_LIM : bprm->rlim_stack;
}

/* Open and read the interpreter named by PT_INTERP (or --interp). */
static int load_interp(struct uexec_binprm *bprm, const char *path)
{
	struct uexec_elf_image *in = &bprm->plan.interp;
	unsigned char buf[sizeof(Elf64_Ehdr)];
	char why[256];
	ssize_t n;
	int ret;

	/* An empty PT_INTERP (a NUL first): the kernel's open_exec("") looks
	 * the name up as the current directory, which it refuses with EACCES
	 * (as binfmt_script.c's "#!" then a NUL); uexec_open_exec() would say
	 * ENOENT. */
	if (!path[0])
		return uexec_binprm_error(bprm, EACCES, "interpreter \"\": an empty name "
					  "(the current directory): %s", strerror(EACCES));
	ret = uexec_open_exec(path, &in->fd, why, sizeof(why));
	if (ret)
		return uexec_binprm_error(bprm, -ret, "interpreter %s: %s", path, why);
	in->path = strdup(path);
	if (!in->path)
		return -ENOMEM;
	n = pread(in->fd, buf, sizeof(buf), 0);
	if (n < 0)
		return uexec_binprm_error(bprm, errno, "interpreter %s: %s", path,
					  strerror(errno));
	why[0] = 0;
	ret = uexec_elf_read_image(in, buf, (size_t)n, 0, NULL, why, sizeof(why));
	if (!ret)
		ret = uexec_elf_check_entry(in->e_entry, in->entry_ok, why, sizeof(why));
	if (ret == -ENOEXEC && !why[0])
		snprintf(why, sizeof(why), "not an ELF file");
	if (ret)
		return uexec_binprm_error(bprm, ret == -ENOEXEC ? ELIBBAD : -ret,
					  "interpreter %s: %s", path, why);
	if (in->abi != bprm->plan.exe.abi)
		return uexec_binprm_error(bprm, ELIBBAD, "interpreter %s: an %s ELF for an "
					  "%s program", path, in->abi->name,
					  bprm->plan.exe.abi->name);
	bprm->plan.has_interp = true;
	return 0;
}

/* The program's own image, from the file the binprm has open; a refusal
 * of its PT_LOADs is put in *LATE, its reason in LATE_WHY (LEN bytes). */
static int load_program(struct uexec_binprm *bprm, int *late, char *late_why, size_t len)
{
	struct uexec_elf_image *exe = &bprm->plan.exe;
	int ret;

	exe->fd = fcntl(bprm->fd, F_DUPFD_CLOEXEC, 3);
	if (exe->fd < 0)
		return uexec_binprm_error(bprm, errno, "dup: %s", strerror(errno));
	exe->path = strdup(bprm->interp_name);
	if (!exe->path)
		return uexec_binprm_error(bprm, ENOMEM, "out of memory");
	ret = uexec_elf_read_image(exe, bprm->buf, bprm->buf_len, 1, late, bprm->err,
				   sizeof(bprm->err));
	if (ret)
		return ret;
	if (*late) {
		snprintf(late_why, len, "%s", bprm->err);
		bprm->err[0] = '\0';
	}
	UEXEC_DEBUG(UEXEC_DBG_ELF, "elf %s: type %s entry %#lx phnum %zu extent "
		    "%#lx-%#lx align %#lx interp %s stack %s", exe->path,
		    exe->e_type == ET_EXEC ? "ET_EXEC" : "ET_DYN", (unsigned long)exe->e_entry,
		    exe->phnum, (unsigned long)exe->lo, (unsigned long)exe->hi,
		    (unsigned long)exe->max_align, exe->interp ? exe->interp : "-",
		    exe->stack_prot ? "rwx" : "rw-");
	return 0;
}

/* parse_elf_properties() of the interpreter, or of the program without
 * one, into plan->elf_state: before anything is placed, as the kernel
 * reads them before SET_PERSONALITY. */
static int read_properties(struct uexec_binprm *bprm)
{
	struct uexec_plan *plan = &bprm->plan;
	const struct uexec_elf_image *img = plan->has_interp ? &plan->interp : &plan->exe;
	char why[256] = "";
	int ret = uexec_elf_image_properties(img, &plan->elf_state, why, sizeof(why));

	if (ret && plan->has_interp)
		return uexec_binprm_error(bprm, -ret, "interpreter %s: %s", img->path, why);
	if (ret)
		return uexec_binprm_error(bprm, -ret, "%s", why);
	if (uexec_arch_uses_gnu_property() && img->has_property)
		UEXEC_DEBUG(UEXEC_DBG_ELF, "elf %s: GNU properties ask for %s", img->path,
			    *uexec_arch_elf_state_string(&plan->elf_state) ?
			    uexec_arch_elf_state_string(&plan->elf_state) : "nothing here");
	return 0;
}

/* Place both images and record their steps; the entry is the
 * interpreter's when there is one. */
static int place_images(struct uexec_binprm *bprm, struct uexec_layout *lay)
{
	struct uexec_plan *plan = &bprm->plan;
	struct uexec_elf_image *exe = &plan->exe;
	struct uexec_taken taken = { .n = 0 };
	int ret;

	ret = place_image(exe, lay, plan->has_interp ? PLACE_WITH_INTERP : PLACE_STATIC_PIE,
			  &taken, bprm->err, sizeof(bprm->err));
	if (ret)
		return ret;
	ret = plan_image(plan, exe, "exe");
	plan->entry = exe->e_entry + exe->load_bias;
	if (ret || !plan->has_interp)
		return ret;
	images_taken(plan, false, &taken);
	ret = place_image(&plan->interp, lay, PLACE_INTERP, &taken, bprm->err, sizeof(bprm->err));
	if (ret)
		return ret;
	plan->entry = plan->interp.e_entry + plan->interp.load_bias;
	return plan_image(plan, &plan->interp, "interp");
}

/* The reason for a step that could not be recorded. */
static int step_error(struct uexec_binprm *bprm, int ret)
{
	if (ret == -E2BIG)
		return uexec_binprm_error(bprm, E2BIG, "too many mapping steps (more than "
					  "%d)", UEXEC_MAX_MAPS);
	return uexec_binprm_error(bprm, -ret, "%s", strerror(-ret));
}

/* The kernel's load_elf_binary(), up to the point of no return: headers,
 * interpreter, layout, brk, stack, all recorded in bprm->plan. */
static int load_elf_binary(struct uexec_binprm *bprm)
{
	struct uexec_plan *plan = &bprm->plan;
	struct uexec_elf_image *exe = &plan->exe;
	const char *interp_override = bprm->opts->interp;
	char late_why[sizeof(bprm->err)];
	struct uexec_layout lay;
	bool caller_zero;
	int ret, late = 0;

	ret = uexec_elf_check_ident(bprm->buf, bprm->buf_len, bprm->err, sizeof(bprm->err));
	if (ret)
		return ret;
	uexec_plan_free(plan);

	/* Headers of the program and of its interpreter, in the kernel's
	 * order: the interpreter is opened and checked before anything of the
	 * program's PT_LOADs, which the kernel meets after its point of no
	 * return (uexec refuses them before its own: the later refusal). */
	ret = load_program(bprm, &late, late_why, sizeof(late_why));
	if (!ret && (interp_override || exe->interp))
		ret = load_interp(bprm, interp_override ? interp_override : exe->interp);
	else if (!ret && !late)	/* the entry jumped to is the program's */
		ret = uexec_elf_check_entry(exe->e_entry, exe->entry_ok, bprm->err,
					    sizeof(bprm->err));
	if (!ret && late)
		ret = uexec_binprm_error(bprm, -late, "%s", late_why);
	if (!ret)
		ret = read_properties(bprm);
	if (ret)
		goto out_free_plan;

	/* Whose it will be, and so where everything goes. */
	uexec_creds_for_exec(bprm->fd, bprm->filename,
			     (bprm->opts->flags & UEXEC_F_QUIET_SETID) != 0, &bprm->cred);
	uexec_layout_init(&lay, secure_rlim_stack(bprm));
	caller_zero = lay.personality & MMAP_PAGE_ZERO;
	if (bprm->cred.per_clear)
		uexec_layout_setid(&lay);
	lay.abi = exe->abi;
	plan->randomize = lay.randomize;
	plan->personality = lay.personality;
	/* elf_read_implies_exec(), before any mapping: the kernel sets the
	 * personality first, so that every mapping of the exec, the stack's
	 * included, is executable where readable. */
	if (exe->abi->read_implies_exec_default && !exe->gnu_stack) {
		plan->read_implies_exec = !(lay.personality & READ_IMPLIES_EXEC);
		plan->personality |= READ_IMPLIES_EXEC;
		exe->stack_prot = PROT_EXEC;
	}
	ret = place_images(bprm, &lay);
	if (ret) {
		if (!bprm->err[0] || ret == -E2BIG)
			step_error(bprm, ret);
		goto out_free_plan;
	}
	place_vdso(plan, &lay);
	page_zero(plan, caller_zero);
	record_random(plan, &lay);
	plan->start_brk = plan->brk =
		uexec_layout_brk(&lay, exe->elf_brk, exe->e_type == ET_DYN && !plan->has_interp);

	/* The stack, last: it is the last step mm.c applies. */
	ret = build_stack(bprm, &lay);
	if (ret)
		goto out_free_plan;
	ret = uexec_plan_add_map(plan, UEXEC_MAP_STACK, plan->stack.top - plan->stack.map_size,
				 plan->stack.map_size, PROT_READ | PROT_WRITE | exe->stack_prot,
				 -1, 0, "stack");
	if (ret) {
		step_error(bprm, ret);
		goto out_free_plan;
	}
	plan->ready = true;
	return 0;

out_free_plan:
	uexec_plan_free(plan);
	return ret;
}

struct uexec_binfmt uexec_elf_format = {
	.name = "elf",
	.load_binary = load_elf_binary,
	.origin = "built-in",
};
