/* SPDX-License-Identifier: MIT */
/*
 * The items of each area of the two initial states but the registers
 * (the architecture's, compare_regs.c): the auxv, the stack (argc, argv,
 * envp, the random bytes), the mm fields of /proc/PID/stat, the mappings
 * (a sequence of records diffed in order), and the rest of the process
 * (/proc/PID/{cmdline,comm,exe,personality,status,limits,fd}).  The rules
 * of each item are in doc/debugging.md.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debug.h"
#include "compare/cmp.h"

/* The auxv: the sequence of names, then each key's value. */
static void auxv_names(const struct uexec_cmp_side *s, char *out, size_t len)
{
	size_t o = 0;

	out[0] = 0;
	for (size_t i = 0; i < s->auxc && o + 32 < len; i++) {
		const char *n = uexec_auxv_name(s->auxv[i][0]);

		o += (size_t)snprintf(out + o, len - o, "%s%s", i ? " " : "",
				      n ? n + 3 : "?");
	}
}

/* AT_SYSINFO, the compat ABI's __kernel_vsyscall, is an address in the
 * vDSO too (debug.c's list, used for the JSON plan, leaves it out). */
static bool auxv_pointer(unsigned long key)
{
	return key == AT_SYSINFO || uexec_auxv_is_pointer(key);
}

static enum uexec_cmp_how auxv_how(unsigned long key)
{
	return key == AT_RANDOM || key == AT_PLATFORM || key == AT_BASE_PLATFORM ?
	       UEXEC_CMP_BY_KIND : UEXEC_CMP_BY_VALUE;
}

void uexec_cmp_auxv(struct uexec_cmp *c)
{
	const struct uexec_cmp_side *k = c->k, *u = c->u;
	char kn[1024], un[1024], name[64];

	auxv_names(k, kn, sizeof(kn));
	auxv_names(u, un, sizeof(un));
	uexec_cmp_value(c, "auxv.order", kn, un);
	for (size_t i = 0; i < k->auxc; i++) {
		unsigned long key = k->auxv[i][0], kv = k->auxv[i][1], uv = 0;
		const char *n = uexec_auxv_name(key);
		bool found = false;

		if (key == AT_NULL)
			continue;
		for (size_t j = 0; j < u->auxc; j++)
			if (u->auxv[j][0] == key) {
				uv = u->auxv[j][1];
				found = true;
			}
		if (n)
			snprintf(name, sizeof(name), "auxv.%s", n);
		else
			snprintf(name, sizeof(name), "auxv.%lu", key);
		if (!found)
			uexec_cmp_value(c, name, "present", "missing");
		else if (auxv_pointer(key))
			uexec_cmp_addr(c, name, auxv_how(key), kv, uv);
		else
			uexec_cmp_hex(c, name, kv, uv);
		if (found && (key == AT_EXECFN || key == AT_PLATFORM || key == AT_BASE_PLATFORM)) {
			snprintf(name + strlen(name), sizeof(name) - strlen(name), ".string");
			uexec_cmp_value(c, name, uexec_cmp_stack_str(k, kv),
					uexec_cmp_stack_str(u, uv));
		}
	}
}

/* An argv/envp string at P on S's stack: its text and its distance from
 * the stack top. */
static void stack_string(const struct uexec_cmp_side *s, unsigned long p, char *out,
			 size_t len)
{
	char q[512];

	snprintf(out, len, "%s top-%#lx", uexec_quote(uexec_cmp_stack_str(s, p), q, sizeof(q)),
		 s->top - p);
}

/* The strings of one vector ("argv", "envp"): KN pointers at stack word
 * KBASE on the kernel side, UN at UBASE on the uexec side. */
static void compare_vector(struct uexec_cmp *c, const char *what, size_t kbase, size_t kn,
			   size_t ubase, size_t un)
{
	char name[64], kd[600], ud[600];

	for (size_t i = 0; i < kn || i < un; i++) {
		snprintf(name, sizeof(name), "stack.%s[%zu]", what, i);
		if (i >= kn || i >= un) {
			uexec_cmp_value(c, name, i < kn ? "present" : "-", i < un ? "present" : "-");
			continue;
		}
		stack_string(c->k, uexec_cmp_stack_word(c->k, kbase + i), kd, sizeof(kd));
		stack_string(c->u, uexec_cmp_stack_word(c->u, ubase + i), ud, sizeof(ud));
		uexec_cmp_value(c, name, kd, ud);
	}
}

static void random_bytes(const struct uexec_cmp_side *s, char *out, size_t len, char *kind,
			 size_t klen)
{
	unsigned long a = uexec_cmp_aux(s, AT_RANDOM);
	bool zero = true;

	out[0] = 0;
	snprintf(kind, klen, "unreadable");
	if (a < s->sp || a + 16 > s->top)
		return;
	for (int i = 0; i < 16; i++) {
		snprintf(out + 2 * i, len - 2 * i, "%02x", s->stack[a - s->sp + i]);
		zero &= !s->stack[a - s->sp + i];
	}
	snprintf(kind, klen, zero ? "16 zero bytes" : "16 bytes");
}

/* The word just below the stack top (the end marker, 0). */
static unsigned long last_word(const struct uexec_cmp_side *s)
{
	return uexec_cmp_stack_word(s, (s->top - s->sp) / s->word - 1);
}

void uexec_cmp_stack(struct uexec_cmp *c)
{
	const struct uexec_cmp_side *k = c->k, *u = c->u;
	char kd[64], ud[64], kk[32], uk[32];

	uexec_cmp_hex(c, "stack.argc", k->argc, u->argc);
	uexec_cmp_hex(c, "stack.envc", k->envc, u->envc);
	uexec_cmp_hex(c, "stack.alignment", k->sp % 16, u->sp % 16);
	compare_vector(c, "argv", 1, k->argc, 1, u->argc);
	compare_vector(c, "envp", k->argc + 2, k->envc, u->argc + 2, u->envc);
	uexec_cmp_hex(c, "stack.end-marker", last_word(k), last_word(u));
	random_bytes(k, kd, sizeof(kd), kk, sizeof(kk));
	random_bytes(u, ud, sizeof(ud), uk, sizeof(uk));
	uexec_cmp_item(c, "stack.random-bytes", UEXEC_CMP_BY_KIND, kd, ud, kk, uk);
	uexec_cmp_addr(c, "mm.start_stack", UEXEC_CMP_BY_KIND, k->stat[28], u->stat[28]);
	uexec_cmp_value(c, "mm.start_stack-is-sp", k->stat[28] == k->sp ? "yes" : "no",
			u->stat[28] == u->sp ? "yes" : "no");
}

/* The brk: where it starts relative to the end of the program's image. */
static void describe_brk(const struct uexec_cmp_side *s, char *out, size_t len, char *kind,
			 size_t klen)
{
	unsigned long b = s->stat[47];

	if (s->exe_hi && b >= s->exe_hi && b - s->exe_hi < (1UL << 32)) {
		snprintf(out, len, "exe end+%#lx%s", b - s->exe_hi, b & 0xfff ? "" : " (paged)");
		snprintf(kind, klen, "after the program%s", b & 0xfff ? "" : ", page-aligned");
	} else {
		uexec_cmp_describe(s, b, out, len, kind, klen);
	}
}

void uexec_cmp_mm(struct uexec_cmp *c)
{
	const struct uexec_cmp_side *k = c->k, *u = c->u;
	static const struct { const char *name; int field; bool stack; } f[] = {
		{ "mm.start_code", 26, false }, { "mm.end_code", 27, false },
		{ "mm.start_data", 45, false }, { "mm.end_data", 46, false },
		{ "mm.arg_start", 48, true }, { "mm.arg_end", 49, true },
		{ "mm.env_start", 50, true }, { "mm.env_end", 51, true },
	};
	char kd[PATH_MAX], ud[PATH_MAX], kk[PATH_MAX], uk[PATH_MAX], name[64];
	/* No executable PT_LOAD: the kernel leaves start_code above end_code,
	 * which PR_SET_MM_MAP refuses (items.c, "no-text"). */
	bool no_text = k->stat[26] > k->stat[27];

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", f[i].name, no_text && i < 2 ? ".no-text" : "");
		uexec_cmp_addr(c, name, UEXEC_CMP_BY_VALUE, k->stat[f[i].field],
			       u->stat[f[i].field]);
	}
	describe_brk(k, kd, sizeof(kd), kk, sizeof(kk));
	describe_brk(u, ud, sizeof(ud), uk, sizeof(uk));
	uexec_cmp_item(c, "mm.start_brk", UEXEC_CMP_BY_KIND, kd, ud, kk, uk);
}

/* ------------------------------------------------------------------ */
/* Mappings: a sequence of records, diffed in order */

struct records {
	char (*v)[PATH_MAX + 96];
	const struct uexec_cmp_map **m;	/* the mapping of each record */
	size_t n;
};

/* A mapping as compared: where it is relative to what it belongs to, its
 * permissions, offset, size and name (its VmFlags are an item of their
 * own, maps.vmflags, for the mappings that agree in all of these). */
static void map_record(const struct uexec_cmp_map *m, char *out, size_t len)
{
	const char *name = m->name[0] ? m->name : "(anonymous)";

	if (!strcmp(m->cls, "stack"))
		snprintf(out, len, "[stack] %s", m->perms);
	else if (!strcmp(m->cls, "exe") || !strcmp(m->cls, "interp"))
		snprintf(out, len, "%s+%#lx %s off %#lx size %#lx %s", m->cls, m->lo - m->base,
			 m->perms, m->off, m->hi - m->lo, name);
	else
		snprintf(out, len, "%s %s off %#lx size %#lx %s", m->cls, m->perms, m->off,
			 m->hi - m->lo, name);
}

/* The VmFlags of two mappings that agree otherwise (RECORD), where both
 * sides could read them. */
static void compare_vmflags(struct uexec_cmp *c, const char *record,
			    const struct uexec_cmp_map *k, const struct uexec_cmp_map *u)
{
	char kd[PATH_MAX + 240], ud[PATH_MAX + 240];

	if (!k->vmflags[0] || !u->vmflags[0])
		return;
	snprintf(kd, sizeof(kd), "%s [%s]", record, k->vmflags);
	snprintf(ud, sizeof(ud), "%s [%s]", record, u->vmflags);
	uexec_cmp_value(c, "maps.vmflags", kd, ud);
}

/* Does M lie beyond what a program of S's word size can address (above
 * 4 GiB for an i386 program: uexec's 64-bit process keeps the vsyscall
 * page there, which the kernel's compat exec does not list)? */
static bool out_of_reach(const struct uexec_cmp_side *s, const struct uexec_cmp_map *m)
{
	return s->word < sizeof(unsigned long) && m->lo >> (8 * s->word);
}

/* The records of S; on the uexec side, "other" mappings are uexec's own
 * and mappings out of the program's reach are uexec's process's: they are
 * reported as items of their own (known differences) instead. */
static int map_records(struct uexec_cmp *c, const struct uexec_cmp_side *s, struct records *r,
		       bool uexec)
{
	r->v = calloc(s->nmaps ? s->nmaps : 1, sizeof(*r->v));
	r->m = calloc(s->nmaps ? s->nmaps : 1, sizeof(*r->m));
	r->n = 0;
	if (!r->v || !r->m) {
		free(r->v);
		free(r->m);
		return -1;
	}
	for (size_t i = 0; i < s->nmaps; i++) {
		const struct uexec_cmp_map *m = &s->maps[i];

		const char *apart = !uexec ? NULL : !strcmp(m->cls, "other") ? "maps.uexec" :
				    out_of_reach(s, m) ? "maps.out-of-reach" : NULL;

		if (apart) {
			char d[PATH_MAX + 96];

			map_record(m, d, sizeof(d));
			uexec_cmp_value(c, apart, "-", d);
			continue;
		}
		r->m[r->n] = m;
		map_record(m, r->v[r->n++], sizeof(*r->v));
	}
	return 0;
}

/* Longest common subsequence diff of K and U, printed as items "maps". */
static void diff_records(struct uexec_cmp *c, const struct records *k, const struct records *u)
{
	size_t n = k->n, m = u->n, i = 0, j = 0;
	unsigned short *t = calloc((n + 1) * (m + 1), sizeof(*t));

	if (!t)
		return;
#define T(a, b) t[(a) * (m + 1) + (b)]
	for (size_t a = n; a-- > 0;)
		for (size_t b = m; b-- > 0;)
			T(a, b) = !strcmp(k->v[a], u->v[b]) ? T(a + 1, b + 1) + 1 :
				  T(a + 1, b) > T(a, b + 1) ? T(a + 1, b) : T(a, b + 1);
	while (i < n || j < m) {
		if (i < n && j < m && !strcmp(k->v[i], u->v[j])) {
			uexec_cmp_value(c, "maps", k->v[i], u->v[j]);
			compare_vmflags(c, k->v[i], k->m[i], u->m[j]);
			i++, j++;
		} else if (i < n && j < m && T(i + 1, j) == T(i, j + 1)) {
			uexec_cmp_value(c, "maps", k->v[i++], u->v[j++]);	/* side by side */
		} else if (j >= m || (i < n && T(i + 1, j) >= T(i, j + 1))) {
			uexec_cmp_value(c, "maps", k->v[i++], "-");
		} else {
			uexec_cmp_value(c, "maps", "-", u->v[j++]);
		}
	}
#undef T
	free(t);
}

void uexec_cmp_maps(struct uexec_cmp *c)
{
	const struct uexec_cmp_side *k = c->k, *u = c->u;
	struct records kr, ur;

	if (map_records(c, k, &kr, false))
		return;
	if (map_records(c, u, &ur, true)) {
		free(kr.v);
		free(kr.m);
		return;
	}
	diff_records(c, &kr, &ur);
	uexec_cmp_hex(c, "maps.stack-size", k->top - k->stack_lo, u->top - u->stack_lo);
	free(kr.v);
	free(kr.m);
	free(ur.v);
	free(ur.m);
}

/* ------------------------------------------------------------------ */
/* The rest of the process: /proc/PID/{cmdline,comm,exe,status,fd,...} */

static void status_field(const struct uexec_cmp_side *s, const char *key, char *out,
			 size_t len)
{
	const char *p = strstr(s->status, key);

	out[0] = 0;
	if (p && (p == s->status || p[-1] == '\n')) {
		p += strlen(key);
		p += strspn(p, " \t");
		snprintf(out, len, "%.*s", (int)strcspn(p, "\n"), p);
	}
}

static void cmdline_string(const struct uexec_cmp_side *s, char *out, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < s->cmdline_len && o + 5 < len; i++) {
		unsigned char ch = (unsigned char)s->cmdline[i];

		if (ch >= 0x20 && ch < 0x7f && ch != '\\')
			out[o++] = (char)ch;
		else
			o += (size_t)snprintf(out + o, len - o, "\\%o", ch);
	}
	out[o] = 0;
}

/* A descriptor's target, with the numbers of pipes and sockets dropped
 * ("pipe:[1234]" -> "pipe"): compared by kind. */
static void fd_kind(const char *target, char *out, size_t len)
{
	const char *b = strstr(target, ":[");

	if (b && target[0] != '/')
		snprintf(out, len, "%.*s", (int)(b - target), target);
	else
		snprintf(out, len, "%s", target);
}

static const struct uexec_cmp_fd *find_fd(const struct uexec_cmp_side *s, int fd)
{
	for (size_t i = 0; i < s->nfds; i++)
		if (s->fds[i].fd == fd)
			return &s->fds[i];
	return NULL;
}

static void compare_fds(struct uexec_cmp *c)
{
	const struct uexec_cmp_side *k = c->k, *u = c->u;

	for (int fd = 0; fd < 4096; fd++) {
		const struct uexec_cmp_fd *kf = find_fd(k, fd), *uf = find_fd(u, fd);
		char name[32], kd[PATH_MAX + 48], ud[PATH_MAX + 48], kk[PATH_MAX], uk[PATH_MAX];

		if (!kf && !uf)
			continue;
		snprintf(name, sizeof(name), "fd.%d", fd);
		snprintf(kd, sizeof(kd), "%s flags %s", kf ? kf->target : "-", kf ? kf->flags : "-");
		snprintf(ud, sizeof(ud), "%s flags %s", uf ? uf->target : "-", uf ? uf->flags : "-");
		fd_kind(kd, kk, sizeof(kk));
		fd_kind(ud, uk, sizeof(uk));
		if (kf && uf && strstr(kf->target, ":[") && kf->target[0] != '/') {
			snprintf(kk, sizeof(kk), "%.*s flags %s",
				 (int)(strstr(kf->target, ":[") - kf->target), kf->target, kf->flags);
			snprintf(uk, sizeof(uk), "%.*s flags %s",
				 (int)(strstr(uf->target, ":[") ? strstr(uf->target, ":[") - uf->target
								 : (long)strlen(uf->target)),
				 uf->target, uf->flags);
			uexec_cmp_item(c, name, UEXEC_CMP_BY_KIND, kd, ud, kk, uk);
		} else {
			uexec_cmp_value(c, name, kd, ud);
		}
	}
}

/* /proc/PID/limits, one item a limit ("limits.Max stack size"). */
static void compare_limits(struct uexec_cmp *c)
{
	const char *kl = strchr(c->k->limits, '\n'), *ul = strchr(c->u->limits, '\n');

	while (kl && ul && kl[1] && ul[1]) {
		size_t kn = strcspn(kl + 1, "\n"), un = strcspn(ul + 1, "\n");
		char name[48], kd[128], ud[128];

		snprintf(name, sizeof(name), "limits.%.*s", 25, kl + 1);
		while (name[strlen(name) - 1] == ' ')
			name[strlen(name) - 1] = 0;
		snprintf(kd, sizeof(kd), "%.*s", (int)(kn > 26 ? kn - 26 : 0), kl + 27);
		snprintf(ud, sizeof(ud), "%.*s", (int)(un > 26 ? un - 26 : 0), ul + 27);
		uexec_cmp_value(c, name, kd, ud);
		kl = strchr(kl + 1, '\n');
		ul = strchr(ul + 1, '\n');
	}
}

void uexec_cmp_process(struct uexec_cmp *c)
{
	const struct uexec_cmp_side *k = c->k, *u = c->u;
	static const char *const status_keys[] = {
		"SigBlk:", "SigIgn:", "SigCgt:", "SigPnd:", "ShdPnd:", "NoNewPrivs:",
		"Seccomp:", "CapEff:", "Umask:",
	};
	char kd[8192], ud[8192], name[48];

	cmdline_string(k, kd, sizeof(kd));
	cmdline_string(u, ud, sizeof(ud));
	uexec_cmp_value(c, "cmdline", kd, ud);
	uexec_cmp_value(c, "comm", k->comm, u->comm);
	uexec_cmp_value(c, "exe", k->exe, u->exe);
	uexec_cmp_value(c, "personality", k->personality, u->personality);
	for (size_t i = 0; i < sizeof(status_keys) / sizeof(status_keys[0]); i++) {
		status_field(k, status_keys[i], kd, sizeof(kd));
		status_field(u, status_keys[i], ud, sizeof(ud));
		snprintf(name, sizeof(name), "status.%.*s", (int)strlen(status_keys[i]) - 1,
			 status_keys[i]);
		uexec_cmp_value(c, name, kd, ud);
	}
	compare_limits(c);
	compare_fds(c);
}
