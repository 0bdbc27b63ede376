/* SPDX-License-Identifier: MIT */
/*
 * One side's initial state, read from its stopped tracee: the registers
 * (through the architecture), the mappings (mapsread.c's reader on
 * /proc/PID/maps, and their VmFlags from /proc/PID/smaps), the stack from
 * sp to the top parsed into argc, argv, envp and auxv with the program's
 * word size, where the program and its interpreter lie, and
 * /proc/PID/{stat,cmdline,comm,personality,status,limits,exe,fd}.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "compare/cmp.h"
#include "elf_read.h"
#include "mapsread.h"

struct uexec_cmp_side *uexec_cmp_side_new(const char *label)
{
	struct uexec_cmp_side *s = calloc(1, sizeof(*s));

	if (s)
		s->label = label;
	return s;
}

void uexec_cmp_side_free(struct uexec_cmp_side *s)
{
	if (!s)
		return;
	uexec_cmp_kill(s);
	free(s->maps);
	free(s->stack);
	free(s);
}

static int proc_read(pid_t pid, const char *what, char *buf, size_t len, size_t *got)
{
	char path[64];
	size_t n = 0;
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, what);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (n + 1 < len && (r = read(fd, buf + n, len - 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	buf[n] = 0;
	if (got)
		*got = n;
	return 0;
}

static int mem_read(pid_t pid, unsigned long addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)addr, len };
	char path[64];
	ssize_t n;
	int fd;

	if (process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)len)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = pread(fd, buf, len, (off_t)addr);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/* Append the mapping E to S's list (grown as needed): 0, or -1. */
static int add_map(struct uexec_cmp_side *s, size_t *cap, const struct uexec_maps_entry *e)
{
	struct uexec_cmp_map *m;

	if (s->nmaps == *cap) {
		size_t n = *cap ? 2 * *cap : 64;
		struct uexec_cmp_map *nm = realloc(s->maps, n * sizeof(*nm));

		if (!nm)
			return -1;
		s->maps = nm;
		*cap = n;
	}
	m = &s->maps[s->nmaps++];
	memset(m, 0, sizeof(*m));
	m->lo = e->lo;
	m->hi = e->hi;
	m->off = e->off;
	snprintf(m->perms, sizeof(m->perms), "%s", e->perms);
	snprintf(m->name, sizeof(m->name), "%s", e->name);
	return 0;
}

static int read_maps(struct uexec_cmp_side *s)
{
	struct uexec_maps_reader *rd = malloc(sizeof(*rd));
	char *line = malloc(UEXEC_MAPS_LONG_LINE), path[64];
	struct uexec_maps_entry e;
	size_t cap = 0;
	int fd, ret = -1;

	snprintf(path, sizeof(path), "/proc/%d/maps", s->pid);
	fd = rd && line ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd >= 0) {
		uexec_maps_attach(rd, fd);
		while (uexec_maps_next_long(rd, &e, line, UEXEC_MAPS_LONG_LINE) > 0)
			if (add_map(s, &cap, &e))
				break;
		uexec_maps_close(rd);
		ret = 0;
	}
	free(line);
	free(rd);
	return ret;
}

/* The VmFlags of each mapping of S, from /proc/PID/smaps: what the
 * protection and the kind of each mapping made of it (arm64's "bt" where
 * PROT_BTI guards it, "gd" of the stack, "dd" of vvar), which maps does
 * not show.  Mappings smaps does not list keep "". */
static void read_vmflags(struct uexec_cmp_side *s)
{
	size_t cap = 1 << 20, got = 0, i = 0;
	char *buf = malloc(cap);
	unsigned long lo = 0, hi = 0, a, b;

	if (!buf || proc_read(s->pid, "smaps", buf, cap, &got)) {
		free(buf);
		return;
	}
	for (char *l = buf; l < buf + got; l += strcspn(l, "\n") + 1) {
		if (sscanf(l, "%lx-%lx ", &a, &b) == 2 && strcspn(l, "-") < strcspn(l, " :")) {
			lo = a;
			hi = b;
			while (i < s->nmaps && s->maps[i].lo < lo)
				i++;
			continue;
		}
		if (strncmp(l, "VmFlags:", 8) || i >= s->nmaps || s->maps[i].lo != lo ||
		    s->maps[i].hi != hi)
			continue;
		l += 8;
		l += strspn(l, " ");
		snprintf(s->maps[i].vmflags, sizeof(s->maps[i].vmflags), "%.*s",
			 (int)strcspn(l, "\n"), l);
		for (size_t n = strlen(s->maps[i].vmflags); n && s->maps[i].vmflags[n - 1] == ' ';)
			s->maps[i].vmflags[--n] = 0;
	}
	free(buf);
}

const struct uexec_cmp_map *uexec_cmp_map_at(const struct uexec_cmp_side *s,
					     unsigned long addr)
{
	for (size_t i = 0; i < s->nmaps; i++)
		if (addr >= s->maps[i].lo && addr < s->maps[i].hi)
			return &s->maps[i];
	return NULL;
}

unsigned long uexec_cmp_aux(const struct uexec_cmp_side *s, unsigned long key)
{
	for (size_t i = 0; i < s->auxc; i++)
		if (s->auxv[i][0] == key)
			return s->auxv[i][1];
	return 0;
}

/* The extent [lo, hi) of the PT_LOADs of the ELF at PATH, read as the
 * kernel reads it (elf_read.h: the layout its e_machine says, whatever
 * EI_CLASS and EI_DATA say), aligned to this kernel's pages (4, 16 or
 * 64 KiB), and its e_entry; -1 when it cannot be read. */
static int elf_extent(const char *path, unsigned long *lo, unsigned long *hi,
		      unsigned long *entry)
{
	unsigned char buf[sizeof(Elf64_Ehdr)];
	unsigned long pm = (unsigned long)sysconf(_SC_PAGESIZE) - 1;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = -1;
	GElf_Phdr *ph = NULL;
	char why[256];
	GElf_Ehdr eh;
	ssize_t n;

	*lo = ULONG_MAX;
	*hi = 0;
	if (fd < 0)
		return -1;
	n = pread(fd, buf, sizeof(buf), 0);
	if (n < EI_NIDENT || memcmp(buf, ELFMAG, SELFMAG) ||
	    uexec_elf_read_ehdr(buf, (size_t)n, &eh, why, sizeof(why)) ||
	    eh.e_phentsize != (eh.e_ident[EI_CLASS] == ELFCLASS64 ? sizeof(Elf64_Phdr) :
								  sizeof(Elf32_Phdr)) ||
	    !(ph = calloc(eh.e_phnum ? eh.e_phnum : 1, sizeof(*ph))) ||
	    uexec_elf_read_phdrs(fd, &eh, ph, why, sizeof(why)))
		goto out_free;
	for (unsigned int i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if ((ph[i].p_vaddr & ~pm) < *lo)
			*lo = ph[i].p_vaddr & ~pm;
		if (((ph[i].p_vaddr + ph[i].p_memsz + pm) & ~pm) > *hi)
			*hi = (ph[i].p_vaddr + ph[i].p_memsz + pm) & ~pm;
	}
	*entry = eh.e_entry;
	ret = *hi ? 0 : -1;
out_free:
	free(ph);
	close(fd);
	return ret;
}

/* The program's extent, as the ELF file PATH and AT_ENTRY give it; false
 * when PATH is no ELF file or AT_ENTRY lies below its entry. */
static bool locate_exe(struct uexec_cmp_side *s, const char *path)
{
	unsigned long lo, hi, e;

	if (elf_extent(path, &lo, &hi, &e) || uexec_cmp_aux(s, AT_ENTRY) < e)
		return false;
	s->exe_lo = lo + (uexec_cmp_aux(s, AT_ENTRY) - e);
	s->exe_hi = hi + (uexec_cmp_aux(s, AT_ENTRY) - e);
	return true;
}

/* Where the program and its interpreter are, from the auxv the program
 * finds (AT_ENTRY, AT_BASE, AT_PHDR) and their files' program headers: the
 * program is PROG, or, where PROG was rewritten (a script's interpreter, a
 * binfmt_misc rule's), the file mapped at AT_PHDR. */
static void locate_images(struct uexec_cmp_side *s, const char *prog)
{
	unsigned long lo, hi, e, base = uexec_cmp_aux(s, AT_BASE);
	const struct uexec_cmp_map *m = uexec_cmp_map_at(s, uexec_cmp_aux(s, AT_PHDR));

	if (!locate_exe(s, prog) && m && m->name[0] == '/')
		locate_exe(s, m->name);
	m = base ? uexec_cmp_map_at(s, base) : NULL;
	if (m && m->name[0] == '/' && !elf_extent(m->name, &lo, &hi, &e)) {
		s->interp_lo = lo + base;
		s->interp_hi = hi + base;
	}
}

static void classify_maps(struct uexec_cmp_side *s)
{
	for (size_t i = 0; i < s->nmaps; i++) {
		struct uexec_cmp_map *m = &s->maps[i];

		m->base = m->lo;
		if (s->exe_hi && m->lo >= s->exe_lo && m->hi <= s->exe_hi) {
			m->cls = "exe";
			m->base = s->exe_lo;
		} else if (s->interp_hi && m->lo >= s->interp_lo && m->hi <= s->interp_hi) {
			m->cls = "interp";
			m->base = s->interp_lo;
		} else if (s->sp >= m->lo && s->sp < m->hi) {
			m->cls = "stack";
			m->base = m->hi;
		} else if (m->name[0] == '[' && strcmp(m->name, "[heap]")) {
			m->cls = m->name;
		} else if (!strcmp(m->name, "[heap]") ||
			   (s->stat[47] && m->lo == s->stat[47])) {
			m->cls = "heap";
		} else if (!m->lo && !m->name[0]) {
			m->cls = "page-zero";	/* MMAP_PAGE_ZERO's SVr4 page */
		} else {
			m->cls = "other";
		}
	}
}

unsigned long uexec_cmp_stack_word(const struct uexec_cmp_side *s, size_t index)
{
	unsigned long v = 0;
	uint32_t v32;

	if ((index + 1) * s->word > s->top - s->sp)
		return 0;
	if (s->word == sizeof(v32)) {
		memcpy(&v32, s->stack + index * s->word, sizeof(v32));
		return v32;
	}
	memcpy(&v, s->stack + index * s->word, sizeof(v));
	return v;
}

/* argc, argv, envp, auxv from the stack bytes [sp, top). */
static int parse_stack(struct uexec_cmp_side *s)
{
	size_t words = (s->top - s->sp) / s->word, i;

	if (!words)
		return -1;
	s->argc = uexec_cmp_stack_word(s, 0);
	i = 1 + s->argc + 1;
	for (s->envc = 0; i < words && uexec_cmp_stack_word(s, i); i++)
		s->envc++;
	for (i++, s->auxc = 0; i + 1 < words && s->auxc < UEXEC_CMP_MAX_AUXV; i += 2) {
		s->auxv[s->auxc][0] = uexec_cmp_stack_word(s, i);
		s->auxv[s->auxc][1] = uexec_cmp_stack_word(s, i + 1);
		s->auxc++;
		if (s->auxv[s->auxc - 1][0] == AT_NULL)
			break;
	}
	return i + 1 < words ? 0 : -1;
}

static int read_stack(struct uexec_cmp_side *s)
{
	const struct uexec_cmp_map *m = uexec_cmp_map_at(s, s->sp);

	if (!m)
		return -1;
	s->top = m->hi;
	s->stack_lo = m->lo;
	s->stack = malloc(s->top - s->sp);
	if (!s->stack || mem_read(s->pid, s->sp, s->stack, s->top - s->sp))
		return -1;
	return parse_stack(s);
}

const char *uexec_cmp_stack_str(const struct uexec_cmp_side *s, unsigned long addr)
{
	if (addr < s->sp || addr >= s->top ||
	    !memchr(s->stack + (addr - s->sp), 0, s->top - addr))
		return "";
	return (const char *)s->stack + (addr - s->sp);
}

static void read_stat(struct uexec_cmp_side *s)
{
	char buf[4096], *p, *save;
	int field = 3;

	if (proc_read(s->pid, "stat", buf, sizeof(buf), NULL) || !(p = strrchr(buf, ')')))
		return;
	for (char *tok = strtok_r(p + 1, " ", &save); tok && field < 53;
	     tok = strtok_r(NULL, " ", &save))
		s->stat[field++] = strtoul(tok, NULL, 10);
}

static void read_fds(struct uexec_cmp_side *s)
{
	for (int fd = 0; fd < 4096 && s->nfds < UEXEC_CMP_MAX_FDS; fd++) {
		char path[64], info[512], *fl;
		struct uexec_cmp_fd *e = &s->fds[s->nfds];
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/%d/fd/%d", s->pid, fd);
		n = readlink(path, e->target, sizeof(e->target) - 1);
		if (n < 0)
			continue;
		e->target[n] = 0;
		e->fd = fd;
		snprintf(path, sizeof(path), "fdinfo/%d", fd);
		e->flags[0] = 0;
		if (!proc_read(s->pid, path, info, sizeof(info), NULL) &&
		    (fl = strstr(info, "flags:"))) {
			fl += 6 + strspn(fl + 6, " \t");
			snprintf(e->flags, sizeof(e->flags), "%.*s", (int)strcspn(fl, "\n"), fl);
		}
		s->nfds++;
	}
}

/* /proc/PID/{cmdline,comm,personality,status,limits,exe}. */
static void read_proc_files(struct uexec_cmp_side *s)
{
	char path[64];
	ssize_t n;

	proc_read(s->pid, "cmdline", s->cmdline, sizeof(s->cmdline), &s->cmdline_len);
	proc_read(s->pid, "comm", s->comm, sizeof(s->comm), NULL);
	s->comm[strcspn(s->comm, "\n")] = 0;
	proc_read(s->pid, "personality", s->personality, sizeof(s->personality), NULL);
	s->personality[strcspn(s->personality, "\n")] = 0;
	proc_read(s->pid, "status", s->status, sizeof(s->status), NULL);
	proc_read(s->pid, "limits", s->limits, sizeof(s->limits), NULL);
	snprintf(path, sizeof(path), "/proc/%d/exe", s->pid);
	n = readlink(path, s->exe, sizeof(s->exe) - 1);
	s->exe[n > 0 ? n : 0] = 0;
}

int uexec_cmp_snapshot(struct uexec_cmp_side *s, const char *prog)
{
	if (uexec_arch_read_regs(s->pid, &s->regs))
		return -1;
	s->pc = uexec_arch_regs_pc(&s->regs);
	s->sp = uexec_arch_regs_sp(&s->regs);
	s->word = uexec_arch_regs_word(&s->regs);
	if (read_maps(s) || read_stack(s))
		return -1;
	read_vmflags(s);
	read_stat(s);
	locate_images(s, prog);
	classify_maps(s);
	read_proc_files(s);
	read_fds(s);
	return 0;
}
