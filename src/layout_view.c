/* SPDX-License-Identifier: MIT */
/*
 * The picture of a plan's address space (layout_view.h).  The plan is read
 * into a list of rows, top to bottom (regions, their segments, points and
 * the gaps between them); the text and the SVG are two drawings of the same
 * rows.
 */
#include <elf.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "layout.h"
#include "layout_view.h"

enum row_type { ROW_REGION, ROW_SEGMENT, ROW_POINT, ROW_GAP };
enum kind { K_POINT, K_STACK, K_AREA, K_KERNEL, K_IMAGE, K_HEAP, K_SEG, K_GAP };

struct row {
	enum row_type type;
	enum kind kind;
	uintptr_t lo, hi;
	int prot;		/* -1: not a mapping */
	const char *what;	/* K_IMAGE: the steps' "exe" or "interp" */
	char name[96];
	char note[240];
};

struct view {
	const struct uexec_plan *plan;
	struct row *r;
	size_t n, cap;
};

/* "132 KiB" */
static const char *human(char *buf, size_t len, uintptr_t size)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)size;
	size_t u = 0;

	while (v >= 1024 && u + 1 < sizeof(unit) / sizeof(unit[0])) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.4g %s", v, unit[u]);
	return buf;
}

/* "0x21000 (132 KiB)" */
static const char *size_text(char *buf, size_t len, uintptr_t size)
{
	char h[24];

	snprintf(buf, len, "%#lx (%s)", (unsigned long)size, human(h, sizeof(h), size));
	return buf;
}

/* A new row at the end of V, or NULL without memory. */
static struct row *grow(struct view *v)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? 2 * v->cap : 32;
		struct row *nr = realloc(v->r, cap * sizeof(*nr));

		if (!nr)
			return NULL;
		v->r = nr;
		v->cap = cap;
	}
	return &v->r[v->n++];
}

__attribute__((format(printf, 7, 8)))
static struct row *add(struct view *v, enum row_type type, enum kind kind, uintptr_t lo,
		       uintptr_t hi, const char *name, const char *fmt, ...)
{
	struct row *r = grow(v);
	va_list ap;

	if (!r)
		return NULL;
	memset(r, 0, sizeof(*r));
	r->type = type;
	r->kind = kind;
	r->lo = lo;
	r->hi = hi;
	r->prot = -1;
	snprintf(r->name, sizeof(r->name), "%s", name);
	va_start(ap, fmt);
	vsnprintf(r->note, sizeof(r->note), fmt, ap);
	va_end(ap);
	return r;
}

static unsigned long auxv_value(const struct uexec_plan *p, unsigned long key)
{
	for (size_t i = 0; i < p->stack.auxc; i++)
		if (p->stack.auxv_pairs[i][0] == key)
			return p->stack.auxv_pairs[i][1];
	return 0;
}

/* "random over 16 GiB (WHY)" or "not randomised" */
static const char *random_text(char *buf, size_t len, uintptr_t range, const char *why)
{
	char h[24];

	if (!range)
		return "not randomised";
	snprintf(buf, len, "random over %s (%s)", human(h, sizeof(h), range), why);
	return buf;
}

/* How far the mmap base (and a PIE's base) may move: the sysctl is read
 * here, since the launch itself does not need it for every program. */
static uintptr_t mmap_range(const struct uexec_plan *p)
{
	if (!p->rnd.mmap_random)
		return 0;
	return (1UL << uexec_abi_mmap_rnd_bits(p->exe.abi)) * UEXEC_PAGE_SIZE;
}

static void add_stack(struct view *v)
{
	const struct uexec_plan *p = v->plan;
	const struct uexec_stack *st = &p->stack;
	char a[96], b[96];

	for (size_t i = 0; i < p->nmaps; i++) {
		const struct uexec_map *m = &p->maps[i];
		struct row *r;

		if (m->kind != UEXEC_MAP_STACK)
			continue;
		r = add(v, ROW_REGION, K_STACK, m->addr, m->addr + m->len, "[stack]",
			"top %s; sp %#lx, %s", random_text(a, sizeof(a), p->rnd.stack_range,
							  "randomize_stack_top"),
			(unsigned long)st->sp, p->rnd.sp_range ? random_text(b, sizeof(b),
				p->rnd.sp_range, "arch_align_stack") : "not randomised");
		if (r)
			r->prot = m->prot;
		if (st->rlimit != (size_t)-1 && st->rlimit > m->len && st->top > st->rlimit)
			add(v, ROW_REGION, K_AREA, st->top - st->rlimit, m->addr, "stack growth",
			    "not mapped: the stack may grow down to RLIMIT_STACK %s",
			    size_text(a, sizeof(a), st->rlimit));
	}
}

/* The vDSO and vvar where the final stage leaves them; a compat program's
 * own vDSO (the arch's) is a point at AT_SYSINFO_EHDR. */
static void add_kernel(struct view *v)
{
	const struct uexec_plan *p = v->plan;
	uintptr_t ehdr = auxv_value(p, AT_SYSINFO_EHDR);

	if (p->exe.abi->compat) {
		if (ehdr)
			add(v, ROW_POINT, K_POINT, ehdr, ehdr, "[vdso]",
			    "the compat vDSO (AT_SYSINFO_EHDR), mapped by the final stage");
		return;
	}
	for (size_t i = 0; i < p->nkmaps; i++) {
		uintptr_t lo = p->kmaps[i][0] + (uintptr_t)p->vdso_delta;
		uintptr_t hi = p->kmaps[i][1] + (uintptr_t)p->vdso_delta;
		bool text = ehdr >= lo && ehdr < hi;
		struct row *r = add(v, ROW_REGION, K_KERNEL, lo, hi, text ? "[vdso]" : "[vvar]",
				    "the kernel's; placed below the images, top-down");

		if (r)
			r->prot = PROT_READ | (text ? PROT_EXEC : 0);
	}
}

static void image_note(const struct uexec_plan *p, const struct uexec_elf_image *img,
		       char *buf, size_t len)
{
	char a[96];

	if (img->fixed)
		snprintf(buf, len, "ET_EXEC: at its own addresses, not randomised");
	else if (img == &p->exe && p->has_interp)
		snprintf(buf, len, "PIE: ELF_ET_DYN_BASE %#lx, %s; bias %#lx",
			 (unsigned long)img->abi->et_dyn_base,
			 random_text(a, sizeof(a), mmap_range(p), "mmap_rnd_bits"),
			 (unsigned long)img->load_bias);
	else if (img->in_mmap_area)
		snprintf(buf, len, "%s the mmap base (random with it); bias %#lx",
			 p->rnd.bottom_up ? "bottom-up from" : "top-down below",
			 (unsigned long)img->load_bias);
	else
		snprintf(buf, len, "where mmap() found room; bias %#lx",
			 (unsigned long)img->load_bias);
}

static void add_images(struct view *v)
{
	const struct uexec_plan *p = v->plan;
	char note[200];

	for (size_t i = 0; i < p->nmaps; i++) {
		const struct uexec_map *m = &p->maps[i];
		const struct uexec_elf_image *img;
		struct row *r;

		if (m->kind != UEXEC_MAP_RESERVE)
			continue;
		img = strcmp(m->what, "interp") ? &p->exe : &p->interp;
		image_note(p, img, note, sizeof(note));
		r = add(v, ROW_REGION, K_IMAGE, m->addr, m->addr + m->len, img->path, "%s %s",
			m->what, note);
		if (r)
			r->what = m->what;
	}
}

/* The heap is empty at the exec: its start is a point. */
static void add_points(struct view *v)
{
	const struct uexec_plan *p = v->plan;
	char a[96], b[48];

	add(v, ROW_POINT, K_POINT, p->exe.abi->task_size, p->exe.abi->task_size, "TASK_SIZE",
	    "the end of the user address space");
	if (p->rnd.mmap_base)
		add(v, ROW_POINT, K_POINT, p->rnd.mmap_base, p->rnd.mmap_base, "mmap_base",
		    "%s; the mmap area grows %s from here",
		    random_text(a, sizeof(a), mmap_range(p), "mmap_rnd_bits"),
		    p->rnd.bottom_up ? "up" : "down");
	add(v, ROW_POINT, K_HEAP, p->start_brk, p->start_brk, "[heap] (brk)",
	    "start_brk, %s above the end of the bss %#lx; %s",
	    size_text(b, sizeof(b), p->start_brk > p->exe.elf_brk ?
		      p->start_brk - p->exe.elf_brk : 0), (unsigned long)p->exe.elf_brk,
	    random_text(a, sizeof(a), p->rnd.brk_range, "arch_randomize_brk"));
}

/* Top to bottom: the higher end first; at one address a point before the
 * region below it. */
static int by_address(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->hi != y->hi)
		return x->hi > y->hi ? -1 : 1;
	if ((x->type == ROW_POINT) != (y->type == ROW_POINT))
		return x->type == ROW_POINT ? -1 : 1;
	return x->lo > y->lo ? -1 : x->lo < y->lo;
}

/* What a gap between ABOVE and BELOW is, where the kernel makes it. */
static const char *gap_note(const struct row *above, const struct row *below)
{
	if (above->kind == K_POINT && !strcmp(above->name, "TASK_SIZE") &&
	    below->kind == K_STACK)
		return ": the stack top's random offset below STACK_TOP";
	if ((above->kind == K_AREA || above->kind == K_STACK) &&
	    !strcmp(below->name, "mmap_base"))
		return ": the stack gap (mmap_base: STACK_TOP less RLIMIT_STACK, the guard "
		       "gap and the stack's randomisation, less its own random offset)";
	if (above->kind == K_HEAP && below->kind == K_IMAGE)
		return ": the heap's random offset above the bss (brk)";
	return "";
}

/* Copy TOP (sorted regions and points) into V with the gaps between them
 * and each image's segments after it. */
static void add_gaps_and_segments(struct view *v, const struct row *top, size_t n)
{
	const struct uexec_plan *p = v->plan;
	uintptr_t below = (uintptr_t)-1;
	char a[48];
	struct row *r;

	for (size_t i = 0; i < n; i++) {
		if (i && below > top[i].hi)
			add(v, ROW_GAP, K_GAP, top[i].hi, below, "gap", "%s%s",
			    size_text(a, sizeof(a), below - top[i].hi),
			    gap_note(&top[i - 1], &top[i]));
		r = grow(v);
		if (r)
			*r = top[i];
		if (top[i].lo < below)
			below = top[i].lo;
		for (size_t j = p->nmaps; top[i].what && j-- > 0;) {
			const struct uexec_map *m = &p->maps[j];

			if (strcmp(m->what, top[i].what) ||
			    (m->kind != UEXEC_MAP_FILE && m->kind != UEXEC_MAP_ANON))
				continue;
			r = m->kind == UEXEC_MAP_FILE ?
				add(v, ROW_SEGMENT, K_SEG, m->addr, m->addr + m->len, "file",
				    "offset %#lx", (unsigned long)m->off) :
				add(v, ROW_SEGMENT, K_SEG, m->addr, m->addr + m->len, "bss",
				    "anonymous, zero-filled");
			if (r)
				r->prot = m->prot;
		}
	}
	if (below && below != (uintptr_t)-1)
		add(v, ROW_GAP, K_GAP, 0, below, "gap", "%s: the empty low range",
		    size_text(a, sizeof(a), below));
}

/* The rows of PLAN's picture in V (free v->r). */
static void build(struct view *v, const struct uexec_plan *plan)
{
	struct view top = { .plan = plan };

	memset(v, 0, sizeof(*v));
	v->plan = plan;
	add_points(&top);
	add_stack(&top);
	add_kernel(&top);
	add_images(&top);
	if (top.n)
		qsort(top.r, top.n, sizeof(*top.r), by_address);
	add_gaps_and_segments(v, top.r, top.n);
	free(top.r);
}

static const char *prot_text(char *buf, int prot)
{
	if (prot < 0)
		return "   ";
	buf[0] = prot & PROT_READ ? 'r' : '-';
	buf[1] = prot & PROT_WRITE ? 'w' : '-';
	buf[2] = prot & PROT_EXEC ? 'x' : '-';
	buf[3] = 0;
	return buf;
}

void uexec_layout_view_text(const struct uexec_plan *plan, const char *name, FILE *out)
{
	struct view v;
	char s[48], pr[4];
	int w = plan->exe.abi->word == 4 ? 8 : 12;

	build(&v, plan);
	fprintf(out, "Address space of %s (%s, %s), top to bottom:\n", name,
		plan->exe.abi->name, plan->randomize ? "randomised" : "not randomised");
	for (size_t i = 0; i < v.n; i++) {
		const struct row *r = &v.r[i];

		switch (r->type) {
		case ROW_POINT:
			fprintf(out, "0x%0*lx  %s  %s\n", w, (unsigned long)r->lo, r->name, r->note);
			break;
		case ROW_GAP:
			fprintf(out, "    gap %s\n", r->note);
			break;
		default:
			fprintf(out, "%s0x%0*lx-0x%0*lx  %s  %s  %s  %s\n",
				r->type == ROW_SEGMENT ? "  " : "", w, (unsigned long)r->lo, w,
				(unsigned long)r->hi, size_text(s, sizeof(s), r->hi - r->lo),
				prot_text(pr, r->prot), r->name, r->note);
		}
	}
	free(v.r);
}

/* ------------------------------------------------------------------ */
/* The SVG drawing: one band a row, a gap's height growing with the log
 * of its size (the address space spans 47 bits: no linear scale shows it). */

#define SVG_WIDTH 1280
#define SVG_BOX 380		/* width of the address-space column */

static void xml_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		default:
			if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f)
				fputc(*s, out);
			else
				fputc('?', out);
		}
	}
}

static int row_height(const struct row *r)
{
	int bits = 0;

	switch (r->type) {
	case ROW_REGION: return 44;
	case ROW_SEGMENT: return 24;
	case ROW_POINT: return 22;
	default:
		for (uintptr_t pages = (r->hi - r->lo) / 4096; pages > 1; pages >>= 1)
			bits++;
		return 14 + 3 * bits;
	}
}

static const char *row_colour(const struct row *r)
{
	switch (r->kind) {
	case K_STACK: return "#9ecae1";
	case K_AREA: return "#eef4fb";
	case K_KERNEL: return "#fdae6b";
	case K_IMAGE: return "#c7e9c0";
	case K_SEG:
		if (r->prot & PROT_EXEC)
			return "#74c476";
		return r->prot & PROT_WRITE ? "#fdd0a2" : "#e5f5e0";
	default: return "#ffffff";
	}
}

/* A region or segment: its box with the name inside, its range, size and
 * protection beside it, and the note (below, for a region). */
static void svg_box(FILE *out, const struct row *r, int y, int w)
{
	bool seg = r->type == ROW_SEGMENT;
	int x = seg ? 60 : 20, h = row_height(r);
	char s[48], pr[4];

	fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
		"stroke=\"#333\"/>\n<text x=\"%d\" y=\"%d\"%s>", x, y,
		seg ? SVG_BOX - 40 : SVG_BOX, h - 2, row_colour(r), x + 6, y + 16,
		seg ? "" : " font-weight=\"bold\"");
	xml_text(out, r->name);
	fprintf(out, "%s%s</text>\n<text x=\"%d\" y=\"%d\">0x%0*lx-0x%0*lx  %s  %s",
		seg ? " " : "", seg ? prot_text(pr, r->prot) : "", SVG_BOX + 40, y + 16, w,
		(unsigned long)r->lo, w, (unsigned long)r->hi,
		size_text(s, sizeof(s), r->hi - r->lo), seg ? "" : prot_text(pr, r->prot));
	if (!seg)
		fprintf(out, "</text>\n<text x=\"%d\" y=\"%d\" class=\"note\">",
			SVG_BOX + 40, y + 32);
	else
		fputs("  ", out);
	xml_text(out, r->note);
	fputs("</text>\n", out);
}

static void svg_row(FILE *out, const struct row *r, int y, int w)
{
	int h = row_height(r);

	if (r->type == ROW_POINT) {
		fprintf(out, "<line x1=\"10\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\" "
			"stroke-dasharray=\"6,3\"/>\n<text x=\"20\" y=\"%d\">0x%0*lx  ",
			y + 4, SVG_WIDTH - 10, y + 4, y + 17, w, (unsigned long)r->lo);
		xml_text(out, r->name);
		fputs("  ", out);
	} else if (r->type == ROW_GAP) {
		fprintf(out, "<rect x=\"20\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
			"stroke=\"#bbb\" stroke-dasharray=\"4,4\"/>\n<text x=\"40\" y=\"%d\" "
			"fill=\"#777\">gap ", y, SVG_BOX, h - 2, y + h / 2 + 4);
	} else {
		svg_box(out, r, y, w);
		return;
	}
	xml_text(out, r->note);
	fputs("</text>\n", out);
}

void uexec_layout_view_svg(const struct uexec_plan *plan, const char *name, FILE *out)
{
	struct view v;
	int h = 50, y = 50, w = plan->exe.abi->word == 4 ? 8 : 12;

	build(&v, plan);
	for (size_t i = 0; i < v.n; i++)
		h += row_height(&v.r[i]);
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/"
		"2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n<style>text { "
		"font-family: monospace; font-size: 12px; } .note { font-size: 11px; fill: "
		"#333; }</style>\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		"<text x=\"20\" y=\"28\" font-size=\"15\" font-weight=\"bold\">Address space of ",
		SVG_WIDTH, h + 10, SVG_WIDTH, h + 10);
	xml_text(out, name);
	fprintf(out, " (%s, %s), top to bottom</text>\n", plan->exe.abi->name,
		plan->randomize ? "randomised" : "not randomised");
	for (size_t i = 0; i < v.n; i++) {
		svg_row(out, &v.r[i], y, w);
		y += row_height(&v.r[i]);
	}
	fputs("</svg>\n", out);
	free(v.r);
}
