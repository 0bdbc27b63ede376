/* SPDX-License-Identifier: MIT */
/*
 * The debug trace (--debug=CATEGORIES, UEXEC_DEBUG) and the --break
 * announcement.
 *
 * Line format (documented in doc/debugging.md, stable):
 *
 *	uexec: CATEGORY: EVENT FIELDS...
 *
 * one event a line; CATEGORY is one of the names below; EVENT is one word;
 * addresses, sizes and offsets are printed in hex with 0x, counts and
 * indices in decimal, strings in double quotes with C escapes.  No pid and
 * no time stamp, so that two runs diff line by line (under setarch -R the
 * addresses are the same too).
 *
 * Writes go straight to the descriptor (no stdio buffer, no malloc), so
 * the trace is safe up to the last instruction before the jump.
 */
#include <elf.h>
#include <errno.h>
#include <gelf.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "archdep.h"
#include "binprm.h"
#include "debug.h"
#include "escape.h"
#include "stack.h"

unsigned int uexec_debug_mask;
FILE *uexec_debug_file;

static const struct {
	unsigned int bit;
	const char *name;
	const char *help;
} categories[] = {
	{ UEXEC_DBG_HANDLERS, "handlers", "each handler tried and its answer" },
	{ UEXEC_DBG_ELF, "elf", "ELF and program headers as read" },
	{ UEXEC_DBG_MAP, "map", "each mmap/munmap with address, size, protection, offset" },
	{ UEXEC_DBG_BRK, "brk", "the program break" },
	{ UEXEC_DBG_STACK, "stack", "argv/env strings, auxv and pointers with addresses" },
	{ UEXEC_DBG_ENTRY, "entry", "the register state handed over" },
	{ UEXEC_DBG_ERRORS, "errors", "each failure with errno and step" },
	{ UEXEC_DBG_EXEC, "exec", "exec semantics: signals, descriptors, prctl" },
};

#define NCATEGORIES (sizeof(categories) / sizeof(categories[0]))

const char *uexec_debug_category_name(unsigned int bit)
{
	for (size_t i = 0; i < NCATEGORIES; i++)
		if (categories[i].bit == bit)
			return categories[i].name;
	return "debug";
}

/*
 * Parse "a,b,c" (names, "all", or "none") into a mask.  Returns 0, or -1
 * with the offending word in *bad (a static buffer) on an unknown name.
 */
int uexec_debug_parse(const char *spec, unsigned int *mask, const char **bad)
{
	static char badbuf[64];
	char buf[256], *tok, *save;
	size_t i;

	*mask = 0;
	if (strlen(spec) >= sizeof(buf)) {
		snprintf(badbuf, sizeof(badbuf), "%.60s", spec);
		*bad = badbuf;
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "all")) {
			*mask |= UEXEC_DBG_ALL;
			continue;
		}
		if (!strcmp(tok, "none"))
			continue;
		for (i = 0; i < NCATEGORIES; i++)
			if (!strcmp(tok, categories[i].name))
				break;
		if (i == NCATEGORIES) {
			snprintf(badbuf, sizeof(badbuf), "%s", tok);
			*bad = badbuf;
			return -1;
		}
		*mask |= categories[i].bit;
	}
	return 0;
}

void uexec_debug_help(FILE *out)
{
	fprintf(out, "debug categories (comma-separated; 'all' for every one):\n");
	for (size_t i = 0; i < NCATEGORIES; i++)
		fprintf(out, "  %-9s %s\n", categories[i].name, categories[i].help);
	fprintf(out, "Lines read \"uexec: CATEGORY: EVENT FIELDS\"; see uexec(1).\n");
}

static int debug_fd(void)
{
	if (!uexec_debug_file)
		return 2;
	fflush(uexec_debug_file);
	return fileno(uexec_debug_file);
}

/* write(2) all of BUF; short writes and EINTR are retried. */
static void write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/*
 * "uexec: WHAT: text\n" into BUF of SIZE (>= 16) bytes, cut to fit however
 * long WHAT (a file name, say) is.  Everything after "uexec: " is escaped
 * (escape.h: uexec_escape_line), so that the line is one line of printable
 * ASCII whatever bytes WHAT and the arguments hold.  Returns the length,
 * newline included.  Async-signal-safe (no malloc): used by die().
 */
size_t uexec_vformat_line(char *buf, size_t size, const char *what, const char *fmt,
			  va_list ap)
{
	static const char prefix[] = "uexec: ";
	char raw[1024];
	int r = snprintf(raw, sizeof(raw), "%s: ", what);
	size_t n = r < 0 ? 0 : (size_t)r;

	if (n > sizeof(raw) - 1)
		n = sizeof(raw) - 1;
	r = vsnprintf(raw + n, sizeof(raw) - n, fmt, ap);
	if (r > 0)
		n += (size_t)r;
	if (n > sizeof(raw) - 1)
		n = sizeof(raw) - 1;
	memcpy(buf, prefix, sizeof(prefix) - 1);
	n = sizeof(prefix) - 1 + uexec_escape_line(raw, n, buf + sizeof(prefix) - 1,
						 size - sizeof(prefix));
	buf[n++] = '\n';
	return n;
}

#ifdef UEXEC_BENCH_PHASES
void uexec_bench_phase(int n)
{
	static int at = -2;	/* -2: not read yet; -1: no such point */

	if (at == -2) {
		const char *s = getenv("UEXEC_BENCH_PHASE");

		at = s && *s >= '0' && *s <= '9' ? atoi(s) : -1;
	}
	if (at == n)
		_exit(0);
}
#endif

void uexec_debug(unsigned int cat, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	size_t n;
	int e = errno;

	va_start(ap, fmt);
	n = uexec_vformat_line(line, sizeof(line), uexec_debug_category_name(cat), fmt, ap);
	va_end(ap);
	write_all(debug_fd(), line, n);
	errno = e;
}

/* ------------------------------------------------------------------ */
/* Names */

static const char *const auxv_names[] = {
	[AT_NULL] = "AT_NULL", [AT_IGNORE] = "AT_IGNORE", [AT_EXECFD] = "AT_EXECFD",
	[AT_PHDR] = "AT_PHDR", [AT_PHENT] = "AT_PHENT", [AT_PHNUM] = "AT_PHNUM",
	[AT_PAGESZ] = "AT_PAGESZ", [AT_BASE] = "AT_BASE", [AT_FLAGS] = "AT_FLAGS",
	[AT_ENTRY] = "AT_ENTRY", [AT_NOTELF] = "AT_NOTELF", [AT_UID] = "AT_UID",
	[AT_EUID] = "AT_EUID", [AT_GID] = "AT_GID", [AT_EGID] = "AT_EGID",
	[AT_PLATFORM] = "AT_PLATFORM", [AT_HWCAP] = "AT_HWCAP",
	[AT_CLKTCK] = "AT_CLKTCK", [AT_FPUCW] = "AT_FPUCW",
	[AT_DCACHEBSIZE] = "AT_DCACHEBSIZE", [AT_ICACHEBSIZE] = "AT_ICACHEBSIZE",
	[AT_UCACHEBSIZE] = "AT_UCACHEBSIZE", [AT_IGNOREPPC] = "AT_IGNOREPPC",
	[AT_SECURE] = "AT_SECURE", [AT_BASE_PLATFORM] = "AT_BASE_PLATFORM",
	[AT_RANDOM] = "AT_RANDOM", [AT_HWCAP2] = "AT_HWCAP2",
	[27] = "AT_RSEQ_FEATURE_SIZE", [28] = "AT_RSEQ_ALIGN",
	[29] = "AT_HWCAP3", [30] = "AT_HWCAP4",
	[AT_EXECFN] = "AT_EXECFN", [AT_SYSINFO] = "AT_SYSINFO",
	[AT_SYSINFO_EHDR] = "AT_SYSINFO_EHDR", [51] = "AT_MINSIGSTKSZ",
};

/* The AT_* name of KEY; NULL when this build does not know it. */
const char *uexec_auxv_name(unsigned long key)
{
	if (key < sizeof(auxv_names) / sizeof(auxv_names[0]))
		return auxv_names[key];
	return NULL;
}

/* Is the value of KEY an address (that the comparison relocates)? */
bool uexec_auxv_is_pointer(unsigned long key)
{
	switch (key) {
	case AT_PHDR: case AT_BASE: case AT_ENTRY: case AT_PLATFORM:
	case AT_BASE_PLATFORM: case AT_RANDOM: case AT_EXECFN:
	case AT_SYSINFO_EHDR: case AT_SYSINFO:
		return true;
	}
	return false;
}

const char *uexec_phdr_type_name(unsigned long type, char *buf, size_t len)
{
	static const struct { unsigned long t; const char *n; } names[] = {
		{ PT_NULL, "PT_NULL" }, { PT_LOAD, "PT_LOAD" },
		{ PT_DYNAMIC, "PT_DYNAMIC" }, { PT_INTERP, "PT_INTERP" },
		{ PT_NOTE, "PT_NOTE" }, { PT_SHLIB, "PT_SHLIB" }, { PT_PHDR, "PT_PHDR" },
		{ PT_TLS, "PT_TLS" }, { PT_GNU_EH_FRAME, "PT_GNU_EH_FRAME" },
		{ PT_GNU_STACK, "PT_GNU_STACK" }, { PT_GNU_RELRO, "PT_GNU_RELRO" },
		{ PT_GNU_PROPERTY, "PT_GNU_PROPERTY" }, { 0x6474e554, "PT_GNU_SFRAME" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].t == type)
			return names[i].n;
	snprintf(buf, len, "0x%lx", type);
	return buf;
}

const char *uexec_prot_string(int prot)
{
	static const char *const t[] = { "---", "r--", "-w-", "rw-", "--x", "r-x",
					 "-wx", "rwx" };

	return t[(prot & PROT_READ ? 1 : 0) | (prot & PROT_WRITE ? 2 : 0) |
		 (prot & PROT_EXEC ? 4 : 0)];
}

bool uexec_auxv_is_string(unsigned long key)
{
	return key == AT_EXECFN || key == AT_PLATFORM || key == AT_BASE_PLATFORM;
}

const char *uexec_pflags_string(unsigned int f)
{
	return uexec_prot_string((f & PF_R ? PROT_READ : 0) | (f & PF_W ? PROT_WRITE : 0) |
				 (f & PF_X ? PROT_EXEC : 0));
}

/*
 * S quoted with C escapes (escape.h) into BUF (truncated with "..." when
 * longer).  Async-signal-safe: used after the point of no return.
 */
const char *uexec_quote(const char *s, char *buf, size_t len)
{
	size_t o, used;

	buf[0] = '"';
	used = uexec_escape_bytes(s, (size_t)-1, buf + 1, len - 5,
				  UEXEC_ESC_BACKSLASH | UEXEC_ESC_QUOTE, &o);
	o++;
	if (s[used]) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = 0;
	return buf;
}

/* ------------------------------------------------------------------ */
/* The handler chain: recorded always (the plan prints it), traced under
 * "handlers".  One exec at a time (the process is single-threaded). */

static struct uexec_handler_step chain[UEXEC_CHAIN_MAX];
static size_t chain_len;
/* The names the files had, one copy each time it changes (a rewrite): the
 * steps point at them, so that a step costs no copy of its own. */
static char chain_files[16][256];
static size_t chain_lens[16], chain_nfiles;

void uexec_trace_reset(void)
{
	chain_len = chain_nfiles = 0;
}

static bool same_tail(const char *a, const char *b, size_t n)
{
	while (n--)
		if (a[n] != b[n])
			return false;
	return true;
}

static const char *chain_file(const char *name)
{
	size_t i = chain_nfiles ? chain_nfiles - 1 : 0, n = strlen(name);

	if (n > sizeof(chain_files[0]) - 1)
		n = sizeof(chain_files[0]) - 1;
	/* The same file as the last step's (every handler tried on it):
	 * compared from its end, where paths differ. */
	if (chain_nfiles && chain_lens[i] == n && same_tail(chain_files[i], name, n))
		return chain_files[i];
	if (chain_nfiles < sizeof(chain_files) / sizeof(chain_files[0]))
		i = chain_nfiles++;			/* else the last slot: the latest */
	memcpy(chain_files[i], name, n);
	chain_files[i][n] = '\0';
	chain_lens[i] = n;
	return chain_files[i];
}

const struct uexec_handler_step *uexec_trace_chain(size_t *n)
{
	*n = chain_len;
	return chain;
}

const char *uexec_trace_file(const struct uexec_binprm *bprm)
{
	return chain_file(bprm->interp_name ? bprm->interp_name : "");
}

/* Record and trace that handler FMT answered RET for the file BPRM has now
 * (FILE: its uexec_trace_file()). */
void uexec_trace_handler(const struct uexec_binprm *bprm, const char *file,
			 const struct uexec_binfmt *fmt, int ret)
{
	char q[300];

	{
		/* When full, the last slot keeps the latest answer. */
		struct uexec_handler_step *s = &chain[chain_len < UEXEC_CHAIN_MAX ?
						       chain_len++ : UEXEC_CHAIN_MAX - 1];

		s->handler = fmt->name;
		s->file = file;
		s->depth = bprm->depth;
		s->ret = ret;
		s->rewrote = ret == 0 && bprm->next_fd >= 0;
	}
	UEXEC_DEBUG(UEXEC_DBG_HANDLERS, "try %s file %s depth %d: %s%s%s", fmt->name,
		    uexec_quote(bprm->interp_name, q, sizeof(q)), bprm->depth,
		    ret == 0 ? (bprm->next_fd >= 0 ? "rewrite" : "accept") :
		    ret == -ENOEXEC ? "decline" : "fail ",
		    ret && ret != -ENOEXEC ? strerrorname_np(-ret) : "",
		    ret == 0 && bprm->next_fd >= 0 ? " next" : "");
	if (ret == 0 && bprm->next_fd >= 0 && bprm->next_name)
		UEXEC_DEBUG(UEXEC_DBG_HANDLERS, "next file %s argc %zu",
			    uexec_quote(bprm->next_name, q, sizeof(q)), bprm->argv.n);
}

/* ------------------------------------------------------------------ */
/* elf: headers and program headers of the plan's images */

static void debug_image(const char *what, const struct uexec_elf_image *img)
{
	const GElf_Phdr *ph = img->phdrs;
	char q[300], t[24];

	UEXEC_DEBUG(UEXEC_DBG_ELF, "ehdr %s %s type %s machine %u entry 0x%lx phnum %zu "
		    "size 0x%llx", what, uexec_quote(img->path, q, sizeof(q)),
		    img->e_type == ET_EXEC ? "ET_EXEC" : "ET_DYN", img->e_machine,
		    (unsigned long)img->e_entry, img->phnum, (unsigned long long)img->file_size);
	for (size_t i = 0; i < img->phnum && ph; i++)
		UEXEC_DEBUG(UEXEC_DBG_ELF, "phdr %s %zu %s offset 0x%llx vaddr 0x%llx filesz "
			    "0x%llx memsz 0x%llx flags %s align 0x%llx", what, i,
			    uexec_phdr_type_name(ph[i].p_type, t, sizeof(t)),
			    (unsigned long long)ph[i].p_offset,
			    (unsigned long long)ph[i].p_vaddr,
			    (unsigned long long)ph[i].p_filesz,
			    (unsigned long long)ph[i].p_memsz, uexec_pflags_string(ph[i].p_flags),
			    (unsigned long long)ph[i].p_align);
	if (img->interp)
		UEXEC_DEBUG(UEXEC_DBG_ELF, "interp %s %s", what,
			    uexec_quote(img->interp, q, sizeof(q)));
	UEXEC_DEBUG(UEXEC_DBG_ELF, "place %s bias 0x%lx extent 0x%lx-0x%lx align 0x%lx "
		    "phdr 0x%lx stack %s", what, (unsigned long)img->load_bias,
		    (unsigned long)(img->lo + img->load_bias),
		    (unsigned long)(img->hi + img->load_bias), (unsigned long)img->max_align,
		    (unsigned long)img->phdr_addr, img->stack_prot ? "rwx" : "rw-");
}

void uexec_debug_images(const struct uexec_plan *plan)
{
	if (!(uexec_debug_mask & UEXEC_DBG_ELF) || !plan->ready)
		return;
	debug_image("exe", &plan->exe);
	if (plan->has_interp)
		debug_image("interp", &plan->interp);
}

/* ------------------------------------------------------------------ */
/* brk, stack, entry: the state handed to the program */

/* One trace line a slot: argv[i]/envp[i] with what they point to, and
 * auxv[i] with its name (and string). */
static void debug_slot(const struct uexec_stack_slot *sl, void *arg)
{
	const struct uexec_stack *st = arg;
	const char *name = uexec_auxv_name(sl->key);
	char q[300];

	if (sl->vector[0] != 'a' || sl->vector[1] != 'u')
		UEXEC_DEBUG(UEXEC_DBG_STACK, "%s[%zu] at 0x%lx -> 0x%lx top-0x%lx %s",
			    sl->vector, sl->index, (unsigned long)sl->at, sl->value,
			    (unsigned long)(st->top - sl->value),
			    uexec_quote(sl->string, q, sizeof(q)));
	else if (sl->string)
		UEXEC_DEBUG(UEXEC_DBG_STACK, "auxv[%zu] at 0x%lx %s(%lu) 0x%lx %s", sl->index,
			    (unsigned long)sl->at, name ? name : "AT_?", sl->key, sl->value,
			    uexec_quote(sl->string, q, sizeof(q)));
	else
		UEXEC_DEBUG(UEXEC_DBG_STACK, "auxv[%zu] at 0x%lx %s(%lu) 0x%lx", sl->index,
			    (unsigned long)sl->at, name ? name : "AT_?", sl->key, sl->value);
	/* The vectors' terminators, after their last slot. */
	if (!strcmp(sl->vector, "argv") && sl->index + 1 == st->argc) {
		UEXEC_DEBUG(UEXEC_DBG_STACK, "argv[%zu] at 0x%lx NULL", st->argc,
			    (unsigned long)(st->argv + st->argc * st->word));
		if (!st->envc)
			UEXEC_DEBUG(UEXEC_DBG_STACK, "envp[0] at 0x%lx NULL",
				    (unsigned long)st->envp);
	}
	if (!strcmp(sl->vector, "envp") && sl->index + 1 == st->envc)
		UEXEC_DEBUG(UEXEC_DBG_STACK, "envp[%zu] at 0x%lx NULL", st->envc,
			    (unsigned long)(st->envp + st->envc * st->word));
}

static void debug_registers(const struct uexec_plan *plan)
{
	struct uexec_reg regs[UEXEC_MAX_REGS];
	size_t n = uexec_arch_entry_registers(plan->entry, plan->stack.sp, regs,
					      UEXEC_MAX_REGS);

	UEXEC_DEBUG(UEXEC_DBG_ENTRY, "jump pc 0x%lx sp 0x%lx", (unsigned long)plan->entry,
		    (unsigned long)plan->stack.sp);
	for (size_t i = 0; i < n; i++)
		UEXEC_DEBUG(UEXEC_DBG_ENTRY, "register %s 0x%lx", regs[i].name, regs[i].value);
}

void uexec_debug_handover(const struct uexec_plan *plan)
{
	const struct uexec_stack *st = &plan->stack;

	UEXEC_DEBUG(UEXEC_DBG_BRK, "brk start_brk 0x%lx brk 0x%lx end_bss 0x%lx",
		    (unsigned long)plan->start_brk, (unsigned long)plan->brk,
		    (unsigned long)plan->exe.elf_brk);
	if (uexec_debug_mask & UEXEC_DBG_STACK) {
		UEXEC_DEBUG(UEXEC_DBG_STACK, "layout top 0x%lx sp 0x%lx size 0x%zx map 0x%lx-0x%lx "
			    "rlimit 0x%zx", (unsigned long)st->top, (unsigned long)st->sp,
			    st->size, (unsigned long)(st->top - st->map_size),
			    (unsigned long)st->top, st->rlimit);
		UEXEC_DEBUG(UEXEC_DBG_STACK, "argc at 0x%lx %zu", (unsigned long)st->sp,
			    st->argc);
		if (!st->argc)	/* never from uexec_bprm_init(), which gives "" */
			UEXEC_DEBUG(UEXEC_DBG_STACK, "argv[0] at 0x%lx NULL",
				    (unsigned long)st->argv);
		if (!st->argc && !st->envc)
			UEXEC_DEBUG(UEXEC_DBG_STACK, "envp[0] at 0x%lx NULL",
				    (unsigned long)st->envp);
		uexec_stack_visit(st, debug_slot, (void *)st);
		UEXEC_DEBUG(UEXEC_DBG_STACK, "random at 0x%lx top-0x%lx 16 bytes",
			    (unsigned long)st->random, (unsigned long)(st->top - st->random));
		UEXEC_DEBUG(UEXEC_DBG_STACK, "strings args 0x%lx-0x%lx env 0x%lx-0x%lx",
			    (unsigned long)st->arg_start, (unsigned long)st->arg_end,
			    (unsigned long)st->env_start, (unsigned long)st->env_end);
	}
	if (uexec_debug_mask & UEXEC_DBG_ENTRY)
		debug_registers(plan);
}

/* ------------------------------------------------------------------ */
/* --break: tell how to attach, then entry.S stops (SIGSTOP) */

static int report_fd = -1;

void uexec_set_break_report_fd(int fd)
{
	report_fd = fd;
}

/* Append "-ex 'add-symbol-file PATH -o BIAS'" for IMG to LINE. */
static int gdb_symbols(char *line, size_t len, int n, const struct uexec_elf_image *img)
{
	n += snprintf(line + n, len - (size_t)n, " -ex 'add-symbol-file %s -o 0x%lx'",
		      img->path, (unsigned long)img->load_bias);
	return n < (int)len ? n : (int)len - 1;
}

/*
 * Called just before the jump, after the point of no return: no malloc,
 * only write(2).  Writes "pid=... entry=... sp=..." and the gdb command
 * to the report descriptor when one is set (and closes it, so that the
 * program does not inherit it), else the human message to stderr.
 */
void uexec_break_announce(const struct uexec_plan *plan)
{
	char gdb[3 * 4096], line[4 * 4096];
	int n = 0, pid = getpid();

	n = snprintf(gdb, sizeof(gdb), "gdb -q -p %d -ex 'handle SIGSTOP nostop noprint "
		     "nopass'", pid);
	n = gdb_symbols(gdb, sizeof(gdb), n, &plan->exe);
	if (plan->has_interp)
		n = gdb_symbols(gdb, sizeof(gdb), n, &plan->interp);
	snprintf(gdb + n, sizeof(gdb) - (size_t)n, " -ex 'tbreak *0x%lx' -ex continue",
		 (unsigned long)plan->entry);
	if (report_fd >= 0) {
		n = snprintf(line, sizeof(line), "pid=%d\nentry=0x%lx\nsp=0x%lx\n"
			     "stack_top=0x%lx\nexe_path=%s\nexe_bias=0x%lx\n", pid,
			     (unsigned long)plan->entry, (unsigned long)plan->stack.sp,
			     (unsigned long)plan->stack.top, plan->exe.path,
			     (unsigned long)plan->exe.load_bias);
		if (plan->has_interp)
			n += snprintf(line + n, sizeof(line) - (size_t)n,
				      "interp_path=%s\ninterp_bias=0x%lx\n", plan->interp.path,
				      (unsigned long)plan->interp.load_bias);
		n += snprintf(line + n, sizeof(line) - (size_t)n, "gdb=%s\n", gdb);
		if (n > (int)sizeof(line) - 1)
			n = (int)sizeof(line) - 1;
		write_all(report_fd, line, (size_t)n);
		close(report_fd);
		report_fd = -1;
		return;
	}
	n = snprintf(line, sizeof(line), "uexec: break: pid %d stopped before the "
		     "program's first instruction 0x%lx (sp 0x%lx); attach with:\n  %s\n",
		     pid, (unsigned long)plan->entry, (unsigned long)plan->stack.sp, gdb);
	write_all(2, line, (size_t)n);
}
