/* SPDX-License-Identifier: MIT */
/*
 * The ELF handler (the kernel's fs/binfmt_elf.c): load_elf_binary() reads
 * and checks the program's headers and its interpreter's, decides where
 * every segment, the brk and the stack go, builds the stack image, and
 * records all of it in bprm->plan.  It changes nothing in the address space
 * (but for the probes of layout.c, undone at once): mm.c maps the plan and
 * commit.c passes the point of no return.
 *
 * Failure: -ENOEXEC when the file is not ELF (another handler may take
 * it), or not an ELF this machine runs (the reason is kept for the final
 * message); -errno with a reason in bprm->err otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "binprm.h"
#include "elf_check.h"
#include "elf_read.h"
#include "layout.h"

#define PAGE_SIZE_ UEXEC_PAGE_SIZE
#define PAGE_START(x) ((uintptr_t)(x) & ~(PAGE_SIZE_ - 1))
#define PAGE_OFFSET(x) ((uintptr_t)(x) & (PAGE_SIZE_ - 1))
#define PAGE_ALIGN(x) (((uintptr_t)(x) + PAGE_SIZE_ - 1) & ~(PAGE_SIZE_ - 1))

/* The stack the kernel maps beyond what the strings need (stack_expand). */
#define STACK_EXPAND (128UL * 1024)
/* The kernel's MAX_ARG_STRLEN and the floor of its argument space. */
#define MAX_ARG_STRLEN (32UL * PAGE_SIZE_)
#define ARG_MAX_FLOOR (32UL * PAGE_SIZE_)

static void image_free(struct uexec_elf_image *img)
{
	if (img->fd >= 0)
		close(img->fd);
	free(img->path);
	free(img->phdrs);
	free(img->interp);
	memset(img, 0, sizeof(*img));
	img->fd = -1;
}

void uexec_plan_free(struct uexec_plan *plan)
{
	image_free(&plan->exe);
	image_free(&plan->interp);
	free(plan->stack.image);
	memset(plan, 0, sizeof(*plan));
	plan->exe.fd = plan->interp.fd = -1;
}

/* Read PT_INTERP's string: bounded, its last byte NUL; the path is what
 * comes before the first NUL (the kernel's load_elf_binary() checks the
 * last byte only and opens the string as C reads it). */
static int read_interp_path(struct uexec_elf_image *img, const GElf_Phdr *p,
			    char *err, size_t errlen)
{
	char *s;
	ssize_t n;

	if (p->p_filesz < 2 || p->p_filesz > UEXEC_BINPRM_INTERP_MAX ||
	    p->p_offset > (uint64_t)img->file_size ||
	    p->p_filesz > (uint64_t)img->file_size - p->p_offset) {
		snprintf(err, errlen, "PT_INTERP (offset %#llx, %llu bytes) is malformed",
			 (unsigned long long)p->p_offset,
			 (unsigned long long)p->p_filesz);
		return -ENOEXEC;
	}
	s = malloc(p->p_filesz);
	if (!s)
		return -ENOMEM;
	n = pread(img->fd, s, p->p_filesz, (off_t)p->p_offset);
	if (n != (ssize_t)p->p_filesz || s[p->p_filesz - 1] != '\0') {
		free(s);
		snprintf(err, errlen, "PT_INTERP is not NUL-terminated");
		return -ENOEXEC;
	}
	img->interp = s;
	return 0;
}

/*
 * Read and check the headers of the ELF open on IMG->fd.  BUF holds its
 * first bytes.  Fills IMG but for the placement.
 */
static int read_image(struct uexec_elf_image *img, const unsigned char *buf,
		      size_t buf_len, int want_interp, char *err, size_t errlen)
{
	struct uexec_elf_extent ext;
	struct stat st;
	GElf_Ehdr eh;
	GElf_Phdr *ph;
	size_t phnum;
	int ret;

	ret = uexec_elf_check_ident(buf, buf_len, err, errlen);
	if (ret)
		return ret;
	if (fstat(img->fd, &st))
		return -errno;
	img->file_size = st.st_size;
	/* As the kernel reads them, not as libelf would (elf_read.h). */
	ret = uexec_elf_read_ehdr(buf, buf_len, &eh, err, errlen);
	if (ret)
		return ret;
	ret = uexec_elf_check_ehdr(&eh, img->file_size, err, errlen);
	if (ret)
		goto out_end;
	img->abi = uexec_arch_abi(eh.e_ident[EI_CLASS], eh.e_machine);
	ret = uexec_arch_abi_usable(img->abi, err, errlen);
	if (ret)
		goto out_end;
	phnum = eh.e_phnum;
	ph = calloc(phnum, sizeof(*ph));
	if (!ph) {
		ret = -ENOMEM;
		goto out_end;
	}
	img->phdrs = ph;
	img->phnum = phnum;
	ret = uexec_elf_read_phdrs(img->fd, &eh, ph, err, errlen);
	if (ret)
		goto out_end;
	ret = uexec_elf_check_phdrs(&eh, ph, phnum, img->file_size, &ext, err, errlen);
	if (ret)
		goto out_end;

	img->e_type = eh.e_type;
	img->e_machine = eh.e_machine;
	img->e_entry = eh.e_entry;
	img->lo = ext.lo;
	img->hi = ext.hi;
	img->max_align = ext.max_align;
	img->fixed = eh.e_type == ET_EXEC;
	img->stack_prot = 0;	/* x86_64: no PT_GNU_STACK means not executable */
	for (size_t i = 0; i < phnum; i++) {
		if (ph[i].p_type == PT_GNU_STACK)
			img->stack_prot = (ph[i].p_flags & PF_X) ? PROT_EXEC : 0;
		else if (ph[i].p_type == PT_INTERP && want_interp && !img->interp) {
			ret = read_interp_path(img, &ph[i], err, errlen);
			if (ret)
				goto out_end;
		}
		/* AT_PHDR: the PT_LOAD whose file bytes hold the table. */
		if (ph[i].p_type == PT_LOAD && !img->phdr_addr &&
		    ph[i].p_offset <= eh.e_phoff &&
		    eh.e_phoff < ph[i].p_offset + ph[i].p_filesz)
			img->phdr_addr = eh.e_phoff - ph[i].p_offset + ph[i].p_vaddr;
	}
	ret = 0;
out_end:
	return ret;
}

static int prot_of(uint32_t p_flags)
{
	return (p_flags & PF_R ? PROT_READ : 0) | (p_flags & PF_W ? PROT_WRITE : 0) |
	       (p_flags & PF_X ? PROT_EXEC : 0);
}

/*
 * Record the mapping steps of IMG at IMG->load_bias: the reservation(s),
 * each PT_LOAD's file pages, the zeroed tail of its last file page, its
 * anonymous bss pages, and the holes of an ET_DYN image.  Computes the
 * code/data/brk bounds as the kernel does.
 */
static int plan_image(struct uexec_plan *plan, struct uexec_elf_image *img,
		      const char *what)
{
	const GElf_Phdr *ph = img->phdrs;
	uintptr_t bias = img->load_bias, prev_end = 0;
	int ret;

	img->start_code = UINTPTR_MAX;
	img->end_code = img->start_data = img->end_data = img->elf_bss = img->elf_brk = 0;

	if (!img->fixed) {
		ret = uexec_plan_add_map(plan, UEXEC_MAP_RESERVE, img->lo + bias,
					 img->hi - img->lo, PROT_NONE, -1, 0, what);
		if (ret)
			return ret;
	} else {
		/* One reservation per run of overlapping or touching pages. */
		uintptr_t rlo = 0, rhi = 0;

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
			if (rhi && (ret = uexec_plan_add_map(plan, UEXEC_MAP_RESERVE, rlo,
							     rhi - rlo, PROT_NONE, -1, 0, what)))
				return ret;
			rlo = lo;
			rhi = hi;
		}
		if (rhi && (ret = uexec_plan_add_map(plan, UEXEC_MAP_RESERVE, rlo,
						     rhi - rlo, PROT_NONE, -1, 0, what)))
			return ret;
	}

	for (size_t i = 0; i < img->phnum; i++) {
		const GElf_Phdr *p = &ph[i];
		uintptr_t vaddr = p->p_vaddr + bias, k;
		uintptr_t file_end = vaddr + p->p_filesz, mem_end = vaddr + p->p_memsz;
		int prot = prot_of(p->p_flags);

		if (p->p_type != PT_LOAD)
			continue;
		/* Holes between the segments of a relocatable image are
		 * given back, as the kernel's total_mapping_size() mapping. */
		if (!img->fixed && prev_end && PAGE_START(vaddr) > prev_end &&
		    (ret = uexec_plan_add_map(plan, UEXEC_MAP_UNMAP, prev_end,
					      PAGE_START(vaddr) - prev_end, 0, -1, 0, what)))
			return ret;
		if (p->p_filesz) {
			ret = uexec_plan_add_map(plan, UEXEC_MAP_FILE, PAGE_START(vaddr),
						 PAGE_ALIGN(file_end) - PAGE_START(vaddr),
						 prot, img->fd,
						 (off_t)(p->p_offset - PAGE_OFFSET(vaddr)), what);
			if (ret)
				return ret;
			/* padzero(): only a writable segment (6.x kernels). */
			if (p->p_memsz > p->p_filesz && PAGE_OFFSET(file_end) &&
			    (prot & PROT_WRITE) &&
			    (ret = uexec_plan_add_map(plan, UEXEC_MAP_ZERO_TAIL, file_end,
						      PAGE_ALIGN(file_end) - file_end,
						      prot, -1, 0, what)))
				return ret;
		}
		if (p->p_memsz > p->p_filesz) {
			uintptr_t zs = p->p_filesz ? PAGE_ALIGN(file_end) : PAGE_START(vaddr);
			uintptr_t ze = PAGE_ALIGN(mem_end);

			/* vm_brk_flags(): read-write, executable if asked. */
			if (ze > zs &&
			    (ret = uexec_plan_add_map(plan, UEXEC_MAP_ANON, zs, ze - zs,
						      PROT_READ | PROT_WRITE | (prot & PROT_EXEC),
						      -1, 0, what)))
				return ret;
		} else if (!p->p_filesz) {
			continue;
		}
		prev_end = PAGE_ALIGN(mem_end);

		k = vaddr;
		if ((p->p_flags & PF_X) && k < img->start_code)
			img->start_code = k;
		if (img->start_data < k)
			img->start_data = k;
		k = file_end;
		if ((p->p_flags & PF_X) && img->end_code < k)
			img->end_code = k;
		if (img->end_data < k)
			img->end_data = k;
		if (file_end > img->elf_bss)
			img->elf_bss = file_end;
		if (mem_end > img->elf_brk)
			img->elf_brk = mem_end;
	}
	if (img->start_code == UINTPTR_MAX)
		img->start_code = img->end_code = 0;
	if (img->phdr_addr)
		img->phdr_addr += bias;
	return 0;
}

/*
 * Place IMG.  ET_EXEC: where it says.  ET_DYN with an interpreter (a PIE):
 * ELF_ET_DYN_BASE plus the mmap randomisation, aligned to the largest
 * p_align.  ET_DYN without one (a static PIE, a loader run directly) and
 * the interpreter: the kernel's first top-down mmap(), just below
 * mmap_base, aligned likewise.  A range that uexec occupies itself is
 * staged by mm.c and moved into place by the final stage, so these are the
 * kernel's addresses whatever uexec's own layout is.
 */
static int place_image(struct uexec_elf_image *img, struct uexec_layout *lay,
		       int is_program_with_interp, uintptr_t below, char *err, size_t errlen)
{
	size_t size = img->hi - img->lo;
	uintptr_t align = img->max_align > PAGE_SIZE_ ? img->max_align : 0;
	uintptr_t base;

	if (img->fixed) {
		img->load_bias = 0;
		return 0;
	}
	if (is_program_with_interp) {
		base = img->abi->et_dyn_base + uexec_layout_mmap_rnd(lay);
		if (align)
			base &= ~(align - 1);
		img->load_bias = PAGE_START(base - img->lo);
		return 0;
	}
	if (img->abi->compat)
		base = uexec_arch_compat_top_down(size + (align ? align : 0), lay->randomize,
						  uexec_layout_mmap_rnd_bits(lay));
	else
		base = uexec_layout_top_down(size, align, below);
	if (base && img->abi->compat && align)
		base = (base + align - 1) & ~(align - 1);
	if (base) {
		img->load_bias = base - img->lo;
		img->top_down = true;
		return 0;
	}
	base = uexec_layout_find_free(size, align ? align : PAGE_SIZE_);
	if (!base) {
		snprintf(err, errlen, "no room for %zu bytes of address space", size);
		return -ENOMEM;
	}
	img->load_bias = base - img->lo;
	return 0;
}

/*
 * A compat program's vDSO: the final stage replaces the 64-bit one with the
 * 32-bit one (ARCH_MAP_VDSO_32) just below the images placed top-down, as
 * the kernel's exec maps it.  Where the kernel cannot, the program gets no
 * vDSO (AT_SYSINFO and AT_SYSINFO_EHDR are left out) and uses int $0x80.
 */
static void place_vdso32(struct uexec_plan *plan)
{
	struct uexec_vdso32 v;
	uintptr_t below;

	plan->vdso32_block = plan->vdso32_text = 0;
	if (uexec_arch_compat_vdso(&v))
		return;
	below = uexec_arch_compat_top_down(PAGE_SIZE_, plan->randomize, 8);
	if (!below)
		return;
	below += PAGE_SIZE_;
	if (plan->exe.top_down && plan->exe.lo + plan->exe.load_bias < below)
		below = plan->exe.lo + plan->exe.load_bias;
	if (plan->has_interp && plan->interp.top_down &&
	    plan->interp.lo + plan->interp.load_bias < below)
		below = plan->interp.lo + plan->interp.load_bias;
	plan->vdso32_size = PAGE_ALIGN(v.block_size);
	plan->vdso32_block = below - plan->vdso32_size;
	plan->vdso32_text = plan->vdso32_block + v.text_off;
	plan->vdso32_entry = plan->vdso32_text + v.entry;
	UEXEC_DEBUG(UEXEC_DBG_MAP, "vdso32 %#lx-%#lx (text %#lx, entry %#lx) mapped by "
		    "the final stage", (unsigned long)plan->vdso32_block,
		    (unsigned long)(plan->vdso32_block + plan->vdso32_size),
		    (unsigned long)plan->vdso32_text, (unsigned long)plan->vdso32_entry);
}

/*
 * The vDSO and vvar: the kernel maps them after the images, top-down, so
 * just below the lowest image it placed that way (or below mmap_base).
 * uexec's own sit where the kernel put them for uexec; the final stage
 * moves them by plan->vdso_delta, and AT_SYSINFO_EHDR says where to.
 */
static void place_vdso(struct uexec_plan *plan)
{
	uintptr_t below = uexec_layout_mmap_base(), lo, hi;

	plan->vdso_delta = 0;
	plan->nkmaps = uexec_layout_kernel_maps(plan->kmaps, 8);
	if (plan->exe.abi->compat) {
		place_vdso32(plan);
		return;
	}
	if (!below || !plan->nkmaps)
		return;
	if (plan->exe.top_down && plan->exe.lo + plan->exe.load_bias < below)
		below = plan->exe.lo + plan->exe.load_bias;
	if (plan->has_interp && plan->interp.top_down &&
	    plan->interp.lo + plan->interp.load_bias < below)
		below = plan->interp.lo + plan->interp.load_bias;
	lo = plan->kmaps[0][0];
	hi = plan->kmaps[plan->nkmaps - 1][1];
	plan->vdso_delta = (intptr_t)(below - (hi - lo)) - (intptr_t)lo;
	UEXEC_DEBUG(UEXEC_DBG_MAP, "vdso %#lx-%#lx moves to %#lx", (unsigned long)lo,
		    (unsigned long)hi, (unsigned long)(lo + plan->vdso_delta));
}

/* ------------------------------------------------------------------ */

static int size_stack(struct uexec_binprm *bprm);

static int build_stack(struct uexec_binprm *bprm, struct uexec_layout *lay)
{
	struct uexec_plan *plan = &bprm->plan;
	struct uexec_stack_input in;
	unsigned long auxv[UEXEC_MAX_AUXV][2], out[UEXEC_MAX_AUXV][2];
	size_t n, m = 0, strings, limit, ptrs;
	struct rlimit rl;
	const char *platform = (const char *)getauxval(AT_PLATFORM);
	const char *base_platform = (const char *)getauxval(AT_BASE_PLATFORM);
	int ret;

	memset(&in, 0, sizeof(in));
	in.argv = bprm->argv.v;
	in.envp = bprm->envp.v;
	in.execfn = bprm->filename;

	/* The kernel's bprm_stack_limits(): E2BIG before anything. */
	for (size_t i = 0; i < bprm->argv.n; i++)
		if (strlen(bprm->argv.v[i]) + 1 > MAX_ARG_STRLEN)
			return uexec_binprm_error(bprm, E2BIG, "argument %zu: %s", i,
						  strerror(E2BIG));
	for (size_t i = 0; i < bprm->envp.n; i++)
		if (strlen(bprm->envp.v[i]) + 1 > MAX_ARG_STRLEN)
			return uexec_binprm_error(bprm, E2BIG, "environment string %zu: %s",
						  i, strerror(E2BIG));
	if (getrlimit(RLIMIT_STACK, &rl))
		rl.rlim_cur = 8UL << 20;
	limit = 6UL << 20;	/* _STK_LIM / 4 * 3 */
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur / 4 < limit)
		limit = rl.rlim_cur / 4;
	if (limit < ARG_MAX_FLOOR)
		limit = ARG_MAX_FLOOR;
	ptrs = (bprm->argv.n + bprm->envp.n + 2) * sizeof(void *);
	strings = uexec_stack_strings_size(bprm->argv.v, bprm->envp.v, bprm->filename);
	if (ptrs >= limit || strings > limit - ptrs)
		return uexec_binprm_error(bprm, E2BIG, "%s (%zu bytes of arguments and "
					  "environment, the limit is %zu)", strerror(E2BIG),
					  strings + ptrs, limit);

	/* The auxv: the kernel's own for uexec, with this exec's values. */
	ret = uexec_auxv_template(auxv, UEXEC_MAX_AUXV, &n);
	if (ret)
		return uexec_binprm_error(bprm, -ret, "cannot read the auxiliary vector");
	for (size_t i = 0; i < n && m < UEXEC_MAX_AUXV - 2; i++) {
		unsigned long key = auxv[i][0], val = auxv[i][1];
		const struct uexec_elf_image *exe = &plan->exe;

		switch (key) {
		case AT_PHDR: val = exe->phdr_addr; break;
		case AT_PHENT:
			val = exe->abi->word == 4 ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr);
			break;
		case AT_PHNUM: val = exe->phnum; break;
		case AT_BASE: val = plan->has_interp ? plan->interp.load_bias : 0; break;
		case AT_FLAGS:
			val = (bprm->interp_flags & UEXEC_BINPRM_F_PRESERVE_ARGV0) ? 1 : 0;
			break;
		case AT_ENTRY: val = exe->e_entry + exe->load_bias; break;
		case AT_EXECFD: continue;	/* only when this exec has one */
		case AT_SYSINFO_EHDR:
			if (exe->abi->compat && !plan->vdso32_text)
				continue;
			if (exe->abi->compat) {
				/* ARCH_DLINFO_IA32: AT_SYSINFO first. */
				out[m][0] = AT_SYSINFO;
				out[m][1] = plan->vdso32_entry;
				m++;
				val = plan->vdso32_text;
				break;
			}
			val += (unsigned long)plan->vdso_delta;
			break;
		case AT_BASE_PLATFORM:
			if (exe->abi->compat)
				continue;
			val = 0;
			break;
		case AT_PLATFORM: case AT_RANDOM:
		case AT_EXECFN: val = 0; break;	/* the builder fills them */
		default: break;
		}
		out[m][0] = key;
		out[m][1] = val;
		m++;
		/* AT_EXECFD goes after the platform strings, as the kernel's. */
		if ((bprm->interp_flags & UEXEC_BINPRM_F_EXECFD) && bprm->execfd >= 0 &&
		    (key == (base_platform ? AT_BASE_PLATFORM : platform ? AT_PLATFORM
								      : AT_EXECFN))) {
			out[m][0] = AT_EXECFD;
			out[m][1] = (unsigned long)bprm->execfd;
			m++;
		}
	}
	in.auxv = (const unsigned long (*)[2])out;
	in.auxc = m;
	in.platform = plan->exe.abi->platform ? plan->exe.abi->platform : platform;
	in.base_platform = plan->exe.abi->compat ? NULL : base_platform;
	in.word = plan->exe.abi->word;
	if (getrandom(in.random, sizeof(in.random), 0) != sizeof(in.random))
		return uexec_binprm_error(bprm, EIO, "getrandom: %s", strerror(errno));
	in.sub_page_offset = lay->randomize ? uexec_layout_random() % UEXEC_STACK_SUBPAGE_RND : 0;

	plan->stack.rlimit = rl.rlim_cur == RLIM_INFINITY ? (size_t)-1 : rl.rlim_cur;
	if (plan->exe.abi->stack_top)
		/* randomize_stack_top() for a compat exec. */
		plan->stack.top = plan->exe.abi->stack_top - (lay->randomize ?
			(uexec_layout_random() & plan->exe.abi->stack_rnd_mask) * PAGE_SIZE_ : 0);
	else
		plan->stack.top = uexec_layout_stack_top(lay, 8UL << 20);
	if (!plan->stack.top)
		return uexec_binprm_error(bprm, ENOMEM, "no room for the stack");
	ret = uexec_create_elf_tables(&plan->stack, &in, bprm->err, sizeof(bprm->err));
	if (ret)
		return ret;
	return size_stack(bprm);
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
	return 0;
}

/* Open and read the interpreter named by PT_INTERP (or --interp). */
static int load_interp(struct uexec_binprm *bprm, const char *path)
{
	struct uexec_elf_image *in = &bprm->plan.interp;
	unsigned char buf[sizeof(Elf64_Ehdr)];
	char why[256];
	ssize_t n;
	int ret;

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
	ret = read_image(in, buf, (size_t)n, 0, why, sizeof(why));
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

static int load_elf_binary(struct uexec_binprm *bprm)
{
	struct uexec_plan *plan = &bprm->plan;
	struct uexec_elf_image *exe = &plan->exe;
	const char *interp_override = bprm->opts ? bprm->opts->interp : NULL;
	struct uexec_layout lay;
	int ret;

	ret = uexec_elf_check_ident(bprm->buf, bprm->buf_len, bprm->err, sizeof(bprm->err));
	if (ret)
		return ret;

	uexec_plan_free(plan);
	exe->fd = fcntl(bprm->fd, F_DUPFD_CLOEXEC, 3);
	if (exe->fd < 0)
		return uexec_binprm_error(bprm, errno, "dup: %s", strerror(errno));
	exe->path = strdup(bprm->interp_name);
	if (!exe->path)
		return uexec_binprm_error(bprm, ENOMEM, "out of memory");
	ret = read_image(exe, bprm->buf, bprm->buf_len, 1, bprm->err, sizeof(bprm->err));
	if (ret)
		goto out_free_plan;
	UEXEC_DEBUG(UEXEC_DBG_ELF, "elf %s: type %s entry %#lx phnum %zu extent "
		    "%#lx-%#lx align %#lx interp %s stack %s", exe->path,
		    exe->e_type == ET_EXEC ? "ET_EXEC" : "ET_DYN", (unsigned long)exe->e_entry,
		    exe->phnum, (unsigned long)exe->lo, (unsigned long)exe->hi,
		    (unsigned long)exe->max_align, exe->interp ? exe->interp : "-",
		    exe->stack_prot ? "rwx" : "rw-");

	if (interp_override || exe->interp) {
		ret = load_interp(bprm, interp_override ? interp_override : exe->interp);
		if (ret)
			goto out_free_plan;
	}

	uexec_layout_init(&lay);
	lay.abi = exe->abi;
	plan->randomize = lay.randomize;
	plan->personality = lay.personality;
	ret = place_image(exe, &lay, plan->has_interp, 0, bprm->err, sizeof(bprm->err));
	if (ret)
		goto out_free_plan;
	ret = plan_image(plan, exe, "exe");
	if (ret)
		goto out_too_many;
	if (plan->has_interp) {
		ret = place_image(&plan->interp, &lay, 0,
				  exe->top_down ? exe->lo + exe->load_bias : 0,
				  bprm->err, sizeof(bprm->err));
		if (ret)
			goto out_free_plan;
		ret = plan_image(plan, &plan->interp, "interp");
		if (ret)
			goto out_too_many;
		plan->entry = plan->interp.e_entry + plan->interp.load_bias;
	} else {
		plan->entry = exe->e_entry + exe->load_bias;
	}
	place_vdso(plan);
	plan->start_brk = plan->brk =
		uexec_layout_brk(&lay, exe->elf_brk, exe->e_type == ET_DYN && !plan->has_interp);

	ret = build_stack(bprm, &lay);
	if (ret)
		goto out_free_plan;
	ret = uexec_plan_add_map(plan, UEXEC_MAP_STACK, plan->stack.top - plan->stack.map_size,
				 plan->stack.map_size,
				 PROT_READ | PROT_WRITE | exe->stack_prot, -1, 0, "stack");
	if (ret)
		goto out_too_many;
	plan->ready = true;
	return 0;

out_too_many:
	uexec_binprm_error(bprm, E2BIG, "too many mapping steps (more than %d)",
			   UEXEC_MAX_MAPS);
	ret = -E2BIG;
out_free_plan:
	uexec_plan_free(plan);
	return ret;
}

struct uexec_binfmt uexec_elf_format = {
	.name = "elf",
	.load_binary = load_elf_binary,
	.origin = "built-in",
};
