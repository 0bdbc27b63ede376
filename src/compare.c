/* SPDX-License-Identifier: MIT */
/*
 * uexec --compare: run PROGRAM twice, through the kernel's execve(2) and
 * through uexec, each stopped at its first instruction under ptrace, and
 * print every difference between the two initial states.
 *
 * The kernel side: fork, PTRACE_TRACEME, execve: the child stops with
 * SIGTRAP before its first instruction.  The uexec side: fork,
 * PTRACE_TRACEME, execve of uexec itself with --break and a report
 * descriptor; uexec writes the entry and sp it will jump to (report fd),
 * raises SIGSTOP in its final stage, and the tracer single-steps it until
 * rip == entry and rsp == sp: the program's first instruction, with the
 * registers and stack it will see.
 *
 * What is compared, and how (doc/debugging.md has the full table):
 *  - by value: what must be equal byte for byte (argv/env strings, their
 *    distance from the stack top, auxv keys and order and non-address
 *    values, registers but rip/rsp, FPU control, cmdline, comm, signal
 *    masks, descriptors, mapping kinds/protections/offsets/sizes);
 *  - relocated: addresses are shown as "exe+0x1040", "interp+0x1c70",
 *    "stack top-0x1f8", "[vdso]+0x0" and compared in that form;
 *  - by kind: values that are random per run (ASLR'd stack pointer,
 *    AT_RANDOM and its bytes, the brk offset) compare only by what they
 *    point into;
 *  - known differences (built-in list below, and --compare-ignore): shown
 *    as KNOWN or IGNORED, not counted as failures.
 * Exit status: 0 same, 1 different, 2 could not compare.
 *
 * x86_64 only (user_regs_struct); other architectures get a message.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "archdep.h"
#include "binprm.h"
#include "debug.h"
#include "exec.h"
#include "execve.h"
#include "compare.h"

#define MAX_STEPS 1000000L
#define MAX_AUXV 64
#define MAX_FDS 256


/* ------------------------------------------------------------------ */
/* The --break report: "key=value" lines (debug.c writes them) */

struct report {
	char buf[8192];
	size_t len;
};

static int read_all(int fd, struct report *r)
{
	ssize_t n;

	r->len = 0;
	while (r->len + 1 < sizeof(r->buf) &&
	       (n = read(fd, r->buf + r->len, sizeof(r->buf) - 1 - r->len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		r->len += (size_t)n;
	}
	r->buf[r->len] = 0;
	return 0;
}

/* The value of KEY (up to the end of its line) copied to OUT; NULL if absent. */
static const char *report_get(const struct report *r, const char *key, char *out,
			      size_t len)
{
	size_t klen = strlen(key);

	for (const char *p = r->buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			const char *v = p + klen + 1, *e = strchr(v, '\n');
			size_t n = e ? (size_t)(e - v) : strlen(v);

			snprintf(out, len, "%.*s", (int)n, v);
			return out;
		}
	}
	return NULL;
}

static unsigned long report_ulong(const struct report *r, const char *key)
{
	char v[64];

	return report_get(r, key, v, sizeof(v)) ? strtoul(v, NULL, 0) : 0;
}

/* ------------------------------------------------------------------ */
/* --wait-gdb */

static void add_arg(char **argv, int *n, int max, char *s)
{
	if (*n < max - 1)
		argv[(*n)++] = s;
}

/* gdb's argument vector for the stopped child described by R. */
static int gdb_argv(const struct report *r, char **argv, int max, char (*bufs)[4200])
{
	char path[4096];
	int n = 0, b = 0;

	add_arg(argv, &n, max, "gdb");
	add_arg(argv, &n, max, "-q");
	add_arg(argv, &n, max, "-p");
	snprintf(bufs[b], sizeof(bufs[b]), "%lu", report_ulong(r, "pid"));
	add_arg(argv, &n, max, bufs[b++]);
	/* The stop was a SIGSTOP: gdb's attach sees it (twice); swallow it. */
	add_arg(argv, &n, max, "-ex");
	add_arg(argv, &n, max, "handle SIGSTOP nostop noprint nopass");
	if (report_get(r, "exe_path", path, sizeof(path))) {
		snprintf(bufs[b], sizeof(bufs[b]), "add-symbol-file %s -o %#lx", path,
			 report_ulong(r, "exe_bias"));
		add_arg(argv, &n, max, "-ex");
		add_arg(argv, &n, max, bufs[b++]);
	}
	if (report_get(r, "interp_path", path, sizeof(path))) {
		snprintf(bufs[b], sizeof(bufs[b]), "add-symbol-file %s -o %#lx", path,
			 report_ulong(r, "interp_bias"));
		add_arg(argv, &n, max, "-ex");
		add_arg(argv, &n, max, bufs[b++]);
	}
	snprintf(bufs[b], sizeof(bufs[b]), "tbreak *%#lx", report_ulong(r, "entry"));
	add_arg(argv, &n, max, "-ex");
	add_arg(argv, &n, max, bufs[b++]);
	add_arg(argv, &n, max, "-ex");
	add_arg(argv, &n, max, "continue");
	argv[n] = NULL;
	return n;
}

/* The child of --wait-gdb: run the program under --break; the report
 * goes to FD.  Does not return. */
static __attribute__((noreturn)) void wait_gdb_child(const char *prog, char *const argv[],
						      char *const envp[],
						      struct uexec_options *opts, int fd)
{
	uexec_set_break_report_fd(fd);
	opts->flags |= UEXEC_F_BREAK;
	uexec_execve_opts(prog, -1, argv, envp, opts);
	fprintf(stderr, "uexec: %s\n", uexec_strerror());
	_exit(uexec_exit_status(errno));
}

int uexec_wait_gdb_main(const char *prog, char *const argv[], char *const envp[],
			struct uexec_options *opts)
{
	char *gargv[20], bufs[6][4200];
	struct report r;
	int p[2], status;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC)) {
		fprintf(stderr, "uexec: --wait-gdb: pipe: %s\n", strerror(errno));
		return UEXEC_EXIT_CANNOT_EXECUTE;
	}
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "uexec: --wait-gdb: fork: %s\n", strerror(errno));
		return UEXEC_EXIT_CANNOT_EXECUTE;
	}
	if (pid == 0) {
		close(p[0]);
		wait_gdb_child(prog, argv, envp, opts, fcntl(p[1], F_DUPFD, 3));
	}
	close(p[1]);
	read_all(p[0], &r);
	close(p[0]);
	if (waitpid(pid, &status, WUNTRACED) < 0 || !WIFSTOPPED(status))
		return WIFEXITED(status) ? WEXITSTATUS(status) : UEXEC_EXIT_CANNOT_EXECUTE;
	gdb_argv(&r, gargv, 20, bufs);
	fprintf(stderr, "uexec: --wait-gdb: program pid %d stopped before its first "
		"instruction; starting gdb\n", pid);
	execvp("gdb", gargv);
	fprintf(stderr, "uexec: --wait-gdb: gdb: %s; the program (pid %d) is killed\n",
		strerror(errno), pid);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return UEXEC_EXIT_NOT_FOUND;
}

#ifdef UEXEC_ARCH_PTRACE_REGS	/* the rest reads this arch's user_regs_struct */

/* ------------------------------------------------------------------ */
/* One side's initial state */

struct map_ent {
	unsigned long lo, hi, off, ino;
	char perms[8];
	char name[PATH_MAX];
	const char *cls;	/* exe, interp, stack, heap, [vdso], ..., other */
	unsigned long base;	/* the start of what it belongs to */
};

struct fd_ent {
	int fd;
	char target[PATH_MAX];
	char flags[32];
};

struct side {
	const char *label;
	pid_t pid;
	bool stopped;
	struct user_regs_struct regs;
	struct user_fpregs_struct fp;
	struct map_ent *maps;
	size_t nmaps;
	unsigned char *stack;	/* bytes [regs.rsp, top) */
	unsigned long top, stack_lo;
	unsigned long argc, envc;
	unsigned long auxv[MAX_AUXV][2];
	size_t auxc;
	unsigned long exe_lo, exe_hi, interp_lo, interp_hi;
	unsigned long stat[53];	/* /proc/PID/stat, 1-based fields */
	char cmdline[8192];
	size_t cmdline_len;
	char comm[64], exe[PATH_MAX], personality[32], status[8192], limits[8192];
	struct fd_ent fds[MAX_FDS];
	size_t nfds;
};

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

static int read_maps(struct side *s)
{
	char path[64], line[PATH_MAX + 128];
	FILE *f;
	size_t cap = 0;

	snprintf(path, sizeof(path), "/proc/%d/maps", s->pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		struct map_ent *m;
		int pos = 0;

		if (s->nmaps == cap) {
			struct map_ent *nm = realloc(s->maps, (cap = cap ? 2 * cap : 64) *
						     sizeof(*nm));

			if (!nm)
				break;
			s->maps = nm;
		}
		m = &s->maps[s->nmaps];
		memset(m, 0, sizeof(*m));
		if (sscanf(line, "%lx-%lx %7s %lx %*s %lu %n", &m->lo, &m->hi, m->perms,
			   &m->off, &m->ino, &pos) < 5)
			continue;
		snprintf(m->name, sizeof(m->name), "%s", line + pos);
		m->name[strcspn(m->name, "\n")] = 0;
		s->nmaps++;
	}
	fclose(f);
	return 0;
}

static const struct map_ent *map_at(const struct side *s, unsigned long addr)
{
	for (size_t i = 0; i < s->nmaps; i++)
		if (addr >= s->maps[i].lo && addr < s->maps[i].hi)
			return &s->maps[i];
	return NULL;
}

static unsigned long aux(const struct side *s, unsigned long key)
{
	for (size_t i = 0; i < s->auxc; i++)
		if (s->auxv[i][0] == key)
			return s->auxv[i][1];
	return 0;
}

/* The page-aligned extent [lo, hi) of the PT_LOADs of the ELF at PATH and
 * its e_entry; -1 when it cannot be read. */
static int elf_extent(const char *path, unsigned long *lo, unsigned long *hi,
		      unsigned long *entry)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = -1;

	*lo = ULONG_MAX;
	*hi = 0;
	if (fd < 0)
		return -1;
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG))
		goto out_close;
	for (unsigned int i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))) !=
		    sizeof(ph))
			goto out_close;
		if (ph.p_type != PT_LOAD)
			continue;
		if ((ph.p_vaddr & ~0xfffUL) < *lo)
			*lo = ph.p_vaddr & ~0xfffUL;
		if (((ph.p_vaddr + ph.p_memsz + 0xfff) & ~0xfffUL) > *hi)
			*hi = (ph.p_vaddr + ph.p_memsz + 0xfff) & ~0xfffUL;
	}
	*entry = eh.e_entry;
	ret = *hi ? 0 : -1;
out_close:
	close(fd);
	return ret;
}

/* Where the program and its interpreter are, from the auxv the program
 * finds (AT_ENTRY, AT_BASE) and their files' program headers. */
static void locate_images(struct side *s, const char *prog)
{
	unsigned long lo, hi, e, base = aux(s, AT_BASE);
	const struct map_ent *m;

	if (!elf_extent(prog, &lo, &hi, &e) && aux(s, AT_ENTRY) >= e) {
		unsigned long bias = aux(s, AT_ENTRY) - e;

		s->exe_lo = lo + bias;
		s->exe_hi = hi + bias;
	}
	m = base ? map_at(s, base) : NULL;
	if (m && m->name[0] == '/' && !elf_extent(m->name, &lo, &hi, &e)) {
		s->interp_lo = lo + base;
		s->interp_hi = hi + base;
	}
}

static void classify_maps(struct side *s)
{
	for (size_t i = 0; i < s->nmaps; i++) {
		struct map_ent *m = &s->maps[i];

		m->base = m->lo;
		if (s->exe_hi && m->lo >= s->exe_lo && m->hi <= s->exe_hi) {
			m->cls = "exe";
			m->base = s->exe_lo;
		} else if (s->interp_hi && m->lo >= s->interp_lo && m->hi <= s->interp_hi) {
			m->cls = "interp";
			m->base = s->interp_lo;
		} else if (s->regs.rsp >= m->lo && s->regs.rsp < m->hi) {
			m->cls = "stack";
			m->base = m->hi;
		} else if (m->name[0] == '[' && strcmp(m->name, "[heap]")) {
			m->cls = m->name;
		} else if (!strcmp(m->name, "[heap]") ||
			   (s->stat[47] && m->lo == s->stat[47])) {
			m->cls = "heap";
		} else {
			m->cls = "other";
		}
	}
}

/*
 * Describe ADDR by what it points into: "exe+0x40", "interp+0x1c70",
 * "stack top-0x1f8", "[vdso]+0x0", "0", "other+0x10 (NAME)", or
 * "unmapped 0x...".  KIND gets the part before the offset.
 */
static void describe(const struct side *s, unsigned long addr, char *out, size_t len,
		     char *kind, size_t klen)
{
	const struct map_ent *m = addr ? map_at(s, addr) : NULL;

	if (!addr) {
		snprintf(out, len, "0");
		snprintf(kind, klen, "0");
	} else if (!m) {
		snprintf(out, len, "unmapped %#lx", addr);
		snprintf(kind, klen, "unmapped");
	} else if (!strcmp(m->cls, "stack")) {
		snprintf(out, len, "stack top-%#lx", m->hi - addr);
		snprintf(kind, klen, "stack");
	} else if (!strcmp(m->cls, "other")) {
		snprintf(out, len, "other+%#lx (%s)", addr - m->lo, m->name);
		snprintf(kind, klen, "other");
	} else {
		snprintf(out, len, "%s+%#lx", m->cls, addr - m->base);
		snprintf(kind, klen, "%s", m->cls);
	}
}

/* argc, argv, envp, auxv from the stack bytes [rsp, top). */
static int parse_stack(struct side *s)
{
	size_t words = (s->top - s->regs.rsp) / sizeof(long), i = 1;
	const unsigned long *w = (const unsigned long *)s->stack;

	if (!words)
		return -1;
	s->argc = w[0];
	i = 1 + s->argc + 1;
	for (s->envc = 0; i < words && w[i]; i++)
		s->envc++;
	for (i++, s->auxc = 0; i + 1 < words && s->auxc < MAX_AUXV; i += 2) {
		s->auxv[s->auxc][0] = w[i];
		s->auxv[s->auxc][1] = w[i + 1];
		s->auxc++;
		if (w[i] == AT_NULL)
			break;
	}
	return i + 1 < words ? 0 : -1;
}

static int read_stack(struct side *s)
{
	const struct map_ent *m = map_at(s, s->regs.rsp);

	if (!m)
		return -1;
	s->top = m->hi;
	s->stack_lo = m->lo;
	s->stack = malloc(s->top - s->regs.rsp);
	if (!s->stack || mem_read(s->pid, s->regs.rsp, s->stack, s->top - s->regs.rsp))
		return -1;
	return parse_stack(s);
}

/* The string at ADDR in the stack ("" when not in it). */
static const char *stack_str(const struct side *s, unsigned long addr)
{
	if (addr < s->regs.rsp || addr >= s->top || !memchr(s->stack + (addr - s->regs.rsp), 0,
							      s->top - addr))
		return "";
	return (const char *)s->stack + (addr - s->regs.rsp);
}

static unsigned long stack_word(const struct side *s, size_t index)
{
	unsigned long v = 0;

	if ((index + 1) * sizeof(long) <= s->top - s->regs.rsp)
		memcpy(&v, s->stack + index * sizeof(long), sizeof(v));
	return v;
}

static void read_stat(struct side *s)
{
	char buf[4096], *p, *save;
	int field = 3;

	if (proc_read(s->pid, "stat", buf, sizeof(buf), NULL) || !(p = strrchr(buf, ')')))
		return;
	for (char *tok = strtok_r(p + 1, " ", &save); tok && field < 53;
	     tok = strtok_r(NULL, " ", &save))
		s->stat[field++] = strtoul(tok, NULL, 10);
}

static void read_fds(struct side *s)
{
	for (int fd = 0; fd < 4096 && s->nfds < MAX_FDS; fd++) {
		char path[64], info[512], *fl;
		struct fd_ent *e = &s->fds[s->nfds];
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

static int snapshot(struct side *s, const char *prog)
{
	char path[64];
	ssize_t n;

	if (ptrace(PTRACE_GETREGS, s->pid, NULL, &s->regs) ||
	    ptrace(PTRACE_GETFPREGS, s->pid, NULL, &s->fp))
		return -1;
	if (read_maps(s) || read_stack(s))
		return -1;
	read_stat(s);
	locate_images(s, prog);
	classify_maps(s);
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
	read_fds(s);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Starting and stopping the two sides */

static void die_errno(const char *what)
{
	fprintf(stderr, "uexec: --compare: %s: %s\n", what, strerror(errno));
}

static void ptrace_denied(const char *what, int err)
{
	fprintf(stderr, "uexec: --compare: ptrace is not permitted here (%s: %s); "
		"check /proc/sys/kernel/yama/ptrace_scope, seccomp, and CAP_SYS_PTRACE "
		"in containers\n", what, strerror(err));
}

/* In the child: PTRACE_TRACEME and execve; a failure goes to ERRFD as
 * "T errno" or "E errno". */
static __attribute__((noreturn)) void traced_exec(const char *path, char *const argv[],
						  char *const envp[], int errfd)
{
	char msg[32];
	int n;

	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL)) {
		n = snprintf(msg, sizeof(msg), "T %d", errno);
		(void)!write(errfd, msg, (size_t)n);
		_exit(125);
	}
	execve(path, argv, envp);
	n = snprintf(msg, sizeof(msg), "E %d", errno);
	(void)!write(errfd, msg, (size_t)n);
	_exit(127);
}

/* Fork a traced child that execs PATH; the child is stopped after its
 * exec's SIGTRAP.  REPORT_FD (or -1) is passed down.  0 or -1. */
static int start_traced(struct side *s, const char *path, char *const argv[],
			char *const envp[])
{
	char msg[32];
	int p[2], status;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC)) {
		die_errno("pipe");
		return -1;
	}
	s->pid = fork();
	if (s->pid < 0) {
		die_errno("fork");
		return -1;
	}
	if (s->pid == 0)
		traced_exec(path, argv, envp, p[1]);
	close(p[1]);
	n = read(p[0], msg, sizeof(msg) - 1);
	close(p[0]);
	if (n > 0) {
		msg[n] = 0;
		waitpid(s->pid, &status, 0);
		s->pid = 0;
		if (msg[0] == 'T')
			ptrace_denied("PTRACE_TRACEME", atoi(msg + 2));
		else
			fprintf(stderr, "uexec: --compare: %s side: execve %s: %s\n",
				s->label, path, strerror(atoi(msg + 2)));
		return -1;
	}
	if (waitpid(s->pid, &status, 0) < 0 || !WIFSTOPPED(status) ||
	    WSTOPSIG(status) != SIGTRAP) {
		fprintf(stderr, "uexec: --compare: %s side: no exec stop (status %#x)\n",
			s->label, status);
		return -1;
	}
	s->stopped = true;
	ptrace(PTRACE_SETOPTIONS, s->pid, NULL, (void *)(long)PTRACE_O_EXITKILL);
	return 0;
}

/* Continue the uexec side to its SIGSTOP (reading the --break report from
 * RFD meanwhile), then single-step it to the entry and sp the report names. */
static int run_to_entry(struct side *s, int rfd)
{
	unsigned long entry, sp;
	struct report r;
	int status;

	s->stopped = false;
	if (ptrace(PTRACE_CONT, s->pid, NULL, NULL) || read_all(rfd, &r) ||
	    waitpid(s->pid, &status, 0) < 0)
		return -1;
	if (!WIFSTOPPED(status)) {
		fprintf(stderr, "uexec: --compare: the uexec run ended before the program's "
			"first instruction (%s %d)\n", WIFEXITED(status) ? "exit status" :
			"signal", WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		s->pid = 0;
		return -1;
	}
	s->stopped = true;
	entry = report_ulong(&r, "entry");
	sp = report_ulong(&r, "sp");
	if (WSTOPSIG(status) != SIGSTOP || !entry) {
		fprintf(stderr, "uexec: --compare: the uexec side stopped by signal %d, "
			"without a report\n", WSTOPSIG(status));
		return -1;
	}
	for (long steps = 0; steps < MAX_STEPS; steps++) {
		if (ptrace(PTRACE_GETREGS, s->pid, NULL, &s->regs))
			return -1;
		if (s->regs.rip == entry && s->regs.rsp == sp)
			return 0;
		if (ptrace(PTRACE_SINGLESTEP, s->pid, NULL, NULL) ||
		    waitpid(s->pid, &status, 0) < 0 || !WIFSTOPPED(status) ||
		    WSTOPSIG(status) != SIGTRAP) {
			fprintf(stderr, "uexec: --compare: single-stepping the uexec side to "
				"%#lx failed (status %#x)\n", entry, status);
			return -1;
		}
	}
	fprintf(stderr, "uexec: --compare: the uexec side did not reach %#lx\n", entry);
	return -1;
}

static void kill_side(struct side *s)
{
	int status;

	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, &status, 0);
		s->pid = 0;
	}
}

/* argv for the uexec side: uexec --report-fd=N --break [-a X] [--interp P] -- PROG ARGS */
static char **uexec_argv(const char *self, int fd, const char *prog, char *const argv[],
			 const struct uexec_compare_opts *co, char *fdopt, size_t fdlen)
{
	size_t n = 0, argc = 0;
	char **v;

	while (argv[argc])
		argc++;
	v = calloc(argc + 10, sizeof(*v));
	if (!v)
		return NULL;
	snprintf(fdopt, fdlen, "--report-fd=%d", fd);
	v[n++] = (char *)self;
	v[n++] = fdopt;
	v[n++] = "--break";
	if (co->argv0) {
		v[n++] = "--argv0";
		v[n++] = (char *)co->argv0;
	}
	if (co->interp) {
		v[n++] = "--interp";
		v[n++] = (char *)co->interp;
	}
	v[n++] = "--";
	v[n++] = (char *)prog;
	for (size_t i = 1; i < argc; i++)
		v[n++] = argv[i];
	v[n] = NULL;
	return v;
}

static int start_uexec_side(struct side *s, const char *prog, char *const argv[],
			    char *const envp[], const struct uexec_compare_opts *co)
{
	char self[PATH_MAX], fdopt[32];
	char **uargv = NULL;
	int p[2], fd, ret = -1;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n < 0) {
		die_errno("/proc/self/exe");
		return -1;
	}
	self[n] = 0;
	if (pipe2(p, O_CLOEXEC)) {
		die_errno("pipe");
		return -1;
	}
	/* Not close-on-exec: the uexec child inherits it and closes it
	 * just before the jump (debug.c, uexec_break_announce). */
	fd = fcntl(p[1], F_DUPFD, 100);
	close(p[1]);
	if (fd >= 0)
		uargv = uexec_argv(self, fd, prog, argv, co, fdopt, sizeof(fdopt));
	if (uargv)
		ret = start_traced(s, self, uargv, envp);
	if (fd >= 0)
		close(fd);
	free(uargv);
	if (!ret)
		ret = run_to_entry(s, p[0]);
	close(p[0]);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The comparison */

enum how { BY_VALUE, BY_KIND };

struct known {
	const char *item;	/* prefix */
	const char *why;
};

/* The built-in list of intended differences (doc/debugging.md). */
static const struct known known_differences[] = {
	{ "exe", "/proc/PID/exe names uexec where the final stage may not set it "
	  "(no CAP_CHECKPOINT_RESTORE or CAP_SYS_RESOURCE)" },
	{ "maps.uexec", "the final stage's mapping stays where the vDSO has no exit "
	  "gadget" },
	{ "regs.eflags.zf-pf", "ZF and PF are set by the vDSO exit gadget's register "
	  "clearing (the psABI leaves rflags unspecified but DF)" },
	{ "maps.stack-size", "the stack mapping's size: uexec maps it at once, the "
	  "kernel's grows from 128 KiB plus the strings" },
	{ "regs.orig_rax", "the system call the kernel side stopped in (execve); "
	  "not visible to the program" },
};

struct cmp {
	const struct uexec_compare_opts *co;
	FILE *out;
	int same, differ, known, ignored;
};

static bool prefix_match(const char *item, const char *prefix, size_t plen)
{
	return !strncmp(item, prefix, plen) &&
	       (item[plen] == 0 || item[plen] == '.' || item[plen] == '[');
}

static bool ignored(const struct cmp *c, const char *item)
{
	const char *p = c->co->ignore;

	while (p && *p) {
		size_t len = strcspn(p, ",");

		if (len && prefix_match(item, p, len))
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

static const char *known_why(const char *item)
{
	for (size_t i = 0; i < sizeof(known_differences) / sizeof(known_differences[0]); i++)
		if (prefix_match(item, known_differences[i].item,
				 strlen(known_differences[i].item)))
			return known_differences[i].why;
	return NULL;
}

/* One row: TAG ITEM KERNEL UEXEC, or, when KERNEL does not fit its
 * column, the two values on lines of their own. */
static void print_row(struct cmp *c, const char *tag, const char *item, const char *k,
		      const char *u)
{
	if (strlen(k) <= 40 && strlen(item) <= 24)
		fprintf(c->out, "%-7s %-24s %-40s %s\n", tag, item, k, u);
	else
		fprintf(c->out, "%-7s %s\n%-7s   kernel: %s\n%-7s   uexec:  %s\n", tag, item,
			"", k, "", u);
}

/* Compare one item, shown as KD/UD, compared by HOW (kinds KK/UK). */
static void item(struct cmp *c, const char *name, enum how how, const char *kd,
		 const char *ud, const char *kk, const char *uk)
{
	bool equal = how == BY_VALUE ? !strcmp(kd, ud) : !strcmp(kk, uk);
	const char *why;

	if (equal) {
		c->same++;
		if (c->co->verbose)
			print_row(c, how == BY_VALUE ? "same" : "kind", name, kd, ud);
		return;
	}
	if (ignored(c, name)) {
		c->ignored++;
		print_row(c, "IGNORED", name, kd, ud);
	} else if ((why = known_why(name))) {
		c->known++;
		print_row(c, "KNOWN", name, kd, ud);
		fprintf(c->out, "%-7s %-24s (%s)\n", "", "", why);
	} else {
		c->differ++;
		print_row(c, "DIFF", name, kd, ud);
	}
}

static void item_value(struct cmp *c, const char *name, const char *kd, const char *ud)
{
	item(c, name, BY_VALUE, kd, ud, kd, ud);
}

static void item_hex(struct cmp *c, const char *name, unsigned long k, unsigned long u)
{
	char kd[32], ud[32];

	snprintf(kd, sizeof(kd), "%#lx", k);
	snprintf(ud, sizeof(ud), "%#lx", u);
	item_value(c, name, kd, ud);
}

/* An address on both sides, compared relocated (or by kind). */
static void item_addr(struct cmp *c, const char *name, enum how how, const struct side *k,
		      unsigned long ka, const struct side *u, unsigned long ua)
{
	char kd[PATH_MAX + 64], ud[PATH_MAX + 64], kk[PATH_MAX], uk[PATH_MAX];

	describe(k, ka, kd, sizeof(kd), kk, sizeof(kk));
	describe(u, ua, ud, sizeof(ud), uk, sizeof(uk));
	item(c, name, how, kd, ud, kk, uk);
}

#define REG(field) { #field, offsetof(struct user_regs_struct, field) }
/* ZF and PF: set by the vDSO exit gadget's xors after the last syscall. */
#define EFLAGS_ZF_PF 0x44UL

static void compare_regs(struct cmp *c, const struct side *k, const struct side *u)
{
	static const struct { const char *name; size_t off; } regs[] = {
		REG(rax), REG(rbx), REG(rcx), REG(rdx), REG(rsi), REG(rdi), REG(rbp),
		REG(r8), REG(r9), REG(r10), REG(r11), REG(r12), REG(r13), REG(r14),
		REG(r15), REG(cs), REG(ss), REG(ds), REG(es), REG(fs),
		REG(gs), REG(fs_base), REG(gs_base), REG(orig_rax),
	};
	char name[48];

	item_addr(c, "regs.rip", BY_VALUE, k, k->regs.rip, u, u->regs.rip);
	/* TF on the uexec side is the tracer's single-stepping, not uexec's. */
	item_hex(c, "regs.eflags", k->regs.eflags & ~EFLAGS_ZF_PF,
		 u->regs.eflags & ~(0x100UL | EFLAGS_ZF_PF));
	item_hex(c, "regs.eflags.zf-pf", k->regs.eflags & EFLAGS_ZF_PF,
		 u->regs.eflags & EFLAGS_ZF_PF);
	item_addr(c, "regs.rsp", BY_KIND, k, k->regs.rsp, u, u->regs.rsp);
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		unsigned long kv, uv;

		memcpy(&kv, (const char *)&k->regs + regs[i].off, sizeof(kv));
		memcpy(&uv, (const char *)&u->regs + regs[i].off, sizeof(uv));
		snprintf(name, sizeof(name), "regs.%s", regs[i].name);
		item_hex(c, name, kv, uv);
	}
	item_hex(c, "fpu.fcw", k->fp.cwd, u->fp.cwd);
	item_hex(c, "fpu.fsw", k->fp.swd, u->fp.swd);
	item_hex(c, "fpu.ftw", k->fp.ftw, u->fp.ftw);
	item_hex(c, "fpu.mxcsr", k->fp.mxcsr, u->fp.mxcsr);
	for (int i = 0; i < 16; i++) {
		char kd[40], ud[40];

		snprintf(name, sizeof(name), "fpu.xmm%d", i);
		snprintf(kd, sizeof(kd), "%08x%08x%08x%08x", k->fp.xmm_space[4 * i + 3],
			 k->fp.xmm_space[4 * i + 2], k->fp.xmm_space[4 * i + 1],
			 k->fp.xmm_space[4 * i]);
		snprintf(ud, sizeof(ud), "%08x%08x%08x%08x", u->fp.xmm_space[4 * i + 3],
			 u->fp.xmm_space[4 * i + 2], u->fp.xmm_space[4 * i + 1],
			 u->fp.xmm_space[4 * i]);
		item_value(c, name, kd, ud);
	}
}

/* The auxv: the sequence of names, then each key's value. */
static void auxv_names(const struct side *s, char *out, size_t len)
{
	size_t o = 0;

	out[0] = 0;
	for (size_t i = 0; i < s->auxc && o + 32 < len; i++) {
		const char *n = uexec_auxv_name(s->auxv[i][0]);

		o += (size_t)snprintf(out + o, len - o, "%s%s", i ? " " : "",
				      n ? n + 3 : "?");
	}
}

static enum how auxv_how(unsigned long key)
{
	return key == AT_RANDOM || key == AT_PLATFORM || key == AT_BASE_PLATFORM ?
	       BY_KIND : BY_VALUE;
}

static void compare_auxv(struct cmp *c, const struct side *k, const struct side *u)
{
	char kn[1024], un[1024], name[64];

	auxv_names(k, kn, sizeof(kn));
	auxv_names(u, un, sizeof(un));
	item_value(c, "auxv.order", kn, un);
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
			item_value(c, name, "present", "missing");
		else if (uexec_auxv_is_pointer(key))
			item_addr(c, name, auxv_how(key), k, kv, u, uv);
		else
			item_hex(c, name, kv, uv);
		if (found && (key == AT_EXECFN || key == AT_PLATFORM || key == AT_BASE_PLATFORM)) {
			snprintf(name + strlen(name), sizeof(name) - strlen(name), ".string");
			item_value(c, name, stack_str(k, kv), stack_str(u, uv));
		}
	}
}

/* One argv/envp string: its text and its distance from the stack top. */
static void stack_string_item(struct cmp *c, const char *name, const struct side *k,
			      unsigned long kp, const struct side *u, unsigned long up)
{
	char kd[600], ud[600], q[512];

	snprintf(kd, sizeof(kd), "%s top-%#lx", uexec_quote(stack_str(k, kp), q, sizeof(q)),
		 k->top - kp);
	snprintf(ud, sizeof(ud), "%s top-%#lx", uexec_quote(stack_str(u, up), q, sizeof(q)),
		 u->top - up);
	item_value(c, name, kd, ud);
}

static void compare_vector(struct cmp *c, const char *what, const struct side *k,
			   size_t kbase, size_t kn, const struct side *u, size_t ubase,
			   size_t un)
{
	char name[64];

	for (size_t i = 0; i < kn || i < un; i++) {
		snprintf(name, sizeof(name), "stack.%s[%zu]", what, i);
		if (i >= kn || i >= un)
			item_value(c, name, i < kn ? "present" : "-", i < un ? "present" : "-");
		else
			stack_string_item(c, name, k, stack_word(k, kbase + i), u,
					  stack_word(u, ubase + i));
	}
}

static void random_bytes(const struct side *s, char *out, size_t len, char *kind,
			 size_t klen)
{
	unsigned long a = aux(s, AT_RANDOM);
	bool zero = true;

	out[0] = 0;
	snprintf(kind, klen, "unreadable");
	if (a < s->regs.rsp || a + 16 > s->top)
		return;
	for (int i = 0; i < 16; i++) {
		snprintf(out + 2 * i, len - 2 * i, "%02x", s->stack[a - s->regs.rsp + i]);
		zero &= !s->stack[a - s->regs.rsp + i];
	}
	snprintf(kind, klen, zero ? "16 zero bytes" : "16 bytes");
}

static void compare_stack(struct cmp *c, const struct side *k, const struct side *u)
{
	char kd[64], ud[64], kk[32], uk[32];

	item_hex(c, "stack.argc", k->argc, u->argc);
	item_hex(c, "stack.envc", k->envc, u->envc);
	item_hex(c, "stack.alignment", k->regs.rsp % 16, u->regs.rsp % 16);
	compare_vector(c, "argv", k, 1, k->argc, u, 1, u->argc);
	compare_vector(c, "envp", k, k->argc + 2, k->envc, u, u->argc + 2, u->envc);
	item_hex(c, "stack.end-marker", stack_word(k, (k->top - k->regs.rsp) / 8 - 1),
		 stack_word(u, (u->top - u->regs.rsp) / 8 - 1));
	random_bytes(k, kd, sizeof(kd), kk, sizeof(kk));
	random_bytes(u, ud, sizeof(ud), uk, sizeof(uk));
	item(c, "stack.random-bytes", BY_KIND, kd, ud, kk, uk);
	item_addr(c, "mm.start_stack", BY_KIND, k, k->stat[28], u, u->stat[28]);
	item_value(c, "mm.start_stack-is-sp", k->stat[28] == k->regs.rsp ? "yes" : "no",
		   u->stat[28] == u->regs.rsp ? "yes" : "no");
}

/* The brk: where it starts relative to the end of the program's image. */
static void describe_brk(const struct side *s, char *out, size_t len, char *kind,
			 size_t klen)
{
	unsigned long b = s->stat[47];

	if (s->exe_hi && b >= s->exe_hi && b - s->exe_hi < (1UL << 32)) {
		snprintf(out, len, "exe end+%#lx%s", b - s->exe_hi, b & 0xfff ? "" : " (paged)");
		snprintf(kind, klen, "after the program%s", b & 0xfff ? "" : ", page-aligned");
	} else {
		describe(s, b, out, len, kind, klen);
	}
}

static void compare_mm(struct cmp *c, const struct side *k, const struct side *u)
{
	static const struct { const char *name; int field; bool stack; } f[] = {
		{ "mm.start_code", 26, false }, { "mm.end_code", 27, false },
		{ "mm.start_data", 45, false }, { "mm.end_data", 46, false },
		{ "mm.arg_start", 48, true }, { "mm.arg_end", 49, true },
		{ "mm.env_start", 50, true }, { "mm.env_end", 51, true },
	};
	char kd[PATH_MAX], ud[PATH_MAX], kk[PATH_MAX], uk[PATH_MAX];

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		item_addr(c, f[i].name, BY_VALUE, k, k->stat[f[i].field], u,
			  u->stat[f[i].field]);
	describe_brk(k, kd, sizeof(kd), kk, sizeof(kk));
	describe_brk(u, ud, sizeof(ud), uk, sizeof(uk));
	item(c, "mm.start_brk", BY_KIND, kd, ud, kk, uk);
}

/* ------------------------------------------------------------------ */
/* Mappings: a sequence of records, diffed in order */

struct records {
	char (*v)[PATH_MAX + 96];
	size_t n;
};

static void map_record(const struct map_ent *m, char *out, size_t len)
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

/* The records of S; on the uexec side, "other" mappings are uexec's own
 * and are reported (as known) instead. */
static int map_records(struct cmp *c, const struct side *s, struct records *r, bool uexec)
{
	r->v = calloc(s->nmaps ? s->nmaps : 1, sizeof(*r->v));
	r->n = 0;
	if (!r->v)
		return -1;
	for (size_t i = 0; i < s->nmaps; i++) {
		const struct map_ent *m = &s->maps[i];

		if (uexec && !strcmp(m->cls, "other")) {
			char d[PATH_MAX + 96];

			map_record(m, d, sizeof(d));
			item_value(c, "maps.uexec", "-", d);
			continue;
		}
		map_record(m, r->v[r->n++], sizeof(*r->v));
	}
	return 0;
}

/* Longest common subsequence diff of K and U, printed as items "maps". */
static void diff_records(struct cmp *c, const struct records *k, const struct records *u)
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
			item_value(c, "maps", k->v[i], u->v[j]);
			i++, j++;
		} else if (i < n && j < m && T(i + 1, j) == T(i, j + 1)) {
			item_value(c, "maps", k->v[i++], u->v[j++]);	/* side by side */
		} else if (j >= m || (i < n && T(i + 1, j) >= T(i, j + 1))) {
			item_value(c, "maps", k->v[i++], "-");
		} else {
			item_value(c, "maps", "-", u->v[j++]);
		}
	}
#undef T
	free(t);
}

static void compare_maps(struct cmp *c, const struct side *k, const struct side *u)
{
	struct records kr, ur;

	if (map_records(c, k, &kr, false) || map_records(c, u, &ur, true))
		return;
	diff_records(c, &kr, &ur);
	item_hex(c, "maps.stack-size", k->top - k->stack_lo, u->top - u->stack_lo);
	free(kr.v);
	free(ur.v);
}

/* ------------------------------------------------------------------ */
/* The rest of the process: /proc/PID/{cmdline,comm,exe,status,fd,...} */

static void status_field(const struct side *s, const char *key, char *out, size_t len)
{
	const char *p = strstr(s->status, key);

	out[0] = 0;
	if (p && (p == s->status || p[-1] == '\n')) {
		p += strlen(key);
		p += strspn(p, " \t");
		snprintf(out, len, "%.*s", (int)strcspn(p, "\n"), p);
	}
}

static void cmdline_string(const struct side *s, char *out, size_t len)
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

static const struct fd_ent *find_fd(const struct side *s, int fd)
{
	for (size_t i = 0; i < s->nfds; i++)
		if (s->fds[i].fd == fd)
			return &s->fds[i];
	return NULL;
}

static void compare_fds(struct cmp *c, const struct side *k, const struct side *u)
{
	for (int fd = 0; fd < 4096; fd++) {
		const struct fd_ent *kf = find_fd(k, fd), *uf = find_fd(u, fd);
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
			item(c, name, BY_KIND, kd, ud, kk, uk);
		} else {
			item_value(c, name, kd, ud);
		}
	}
}

/* /proc/PID/limits, one item a limit ("limits.Max stack size"). */
static void compare_limits(struct cmp *c, const struct side *k, const struct side *u)
{
	const char *kl = strchr(k->limits, '\n'), *ul = strchr(u->limits, '\n');

	while (kl && ul && kl[1] && ul[1]) {
		size_t kn = strcspn(kl + 1, "\n"), un = strcspn(ul + 1, "\n");
		char name[48], kd[128], ud[128];

		snprintf(name, sizeof(name), "limits.%.*s", 25, kl + 1);
		while (name[strlen(name) - 1] == ' ')
			name[strlen(name) - 1] = 0;
		snprintf(kd, sizeof(kd), "%.*s", (int)(kn > 26 ? kn - 26 : 0), kl + 27);
		snprintf(ud, sizeof(ud), "%.*s", (int)(un > 26 ? un - 26 : 0), ul + 27);
		item_value(c, name, kd, ud);
		kl = strchr(kl + 1, '\n');
		ul = strchr(ul + 1, '\n');
	}
}

static void compare_process(struct cmp *c, const struct side *k, const struct side *u)
{
	static const char *const status_keys[] = {
		"SigBlk:", "SigIgn:", "SigCgt:", "SigPnd:", "ShdPnd:", "NoNewPrivs:",
		"Seccomp:", "CapEff:", "Umask:",
	};
	char kd[8192], ud[8192], name[48];

	cmdline_string(k, kd, sizeof(kd));
	cmdline_string(u, ud, sizeof(ud));
	item_value(c, "cmdline", kd, ud);
	item_value(c, "comm", k->comm, u->comm);
	item_value(c, "exe", k->exe, u->exe);
	item_value(c, "personality", k->personality, u->personality);
	for (size_t i = 0; i < sizeof(status_keys) / sizeof(status_keys[0]); i++) {
		status_field(k, status_keys[i], kd, sizeof(kd));
		status_field(u, status_keys[i], ud, sizeof(ud));
		snprintf(name, sizeof(name), "status.%.*s", (int)strlen(status_keys[i]) - 1,
			 status_keys[i]);
		item_value(c, name, kd, ud);
	}
	compare_limits(c, k, u);
	compare_fds(c, k, u);
}

/* ------------------------------------------------------------------ */

static void free_side(struct side *s)
{
	kill_side(s);
	free(s->maps);
	free(s->stack);
}

static int compare_sides(const struct uexec_compare_opts *co, const char *prog,
			 struct side *k, struct side *u)
{
	struct cmp c = { .co = co, .out = co->out ? co->out : stdout };

	fprintf(c.out, "uexec --compare: %s (kernel pid %d, uexec pid %d)\n", prog, k->pid,
		u->pid);
	print_row(&c, "", "item", "kernel", "uexec");
	compare_regs(&c, k, u);
	compare_auxv(&c, k, u);
	compare_stack(&c, k, u);
	compare_mm(&c, k, u);
	compare_maps(&c, k, u);
	compare_process(&c, k, u);
	fprintf(c.out, "result: %d items: %d same, %d different, %d known differences, "
		"%d ignored: %s\n", c.same + c.differ + c.known + c.ignored, c.same, c.differ,
		c.known, c.ignored, c.differ ? "DIFFERENT" : "SAME");
	fflush(c.out);
	return c.differ ? 1 : 0;
}

/* Is PROG a 32-bit ELF (run in the compat ABI)? */
static bool is_compat_elf(const char *prog)
{
	unsigned char id[EI_NIDENT];
	int fd = open(prog, O_RDONLY | O_CLOEXEC);
	bool compat;

	if (fd < 0)
		return false;
	compat = read(fd, id, sizeof(id)) == (ssize_t)sizeof(id) &&
		 !memcmp(id, ELFMAG, SELFMAG) && id[EI_CLASS] == ELFCLASS32;
	close(fd);
	return compat;
}

int uexec_compare_main(const char *prog, char *const argv[], char *const envp[],
		       const struct uexec_compare_opts *co)
{
	struct side k = { .label = "kernel" }, u = { .label = "uexec" };
	char *const *kargv = argv;
	char **copy = NULL;
	int ret = 2;

	if (is_compat_elf(prog)) {
		fprintf(stderr, "uexec: --compare: %s: 32-bit programs cannot be compared "
			"(the comparison reads 64-bit stacks and registers)\n", prog);
		return 2;
	}
	if (co->argv0) {	/* -a applies to both sides */
		size_t n = 0;

		while (argv[n])
			n++;
		copy = calloc(n + 2, sizeof(*copy));
		if (!copy)
			return 2;
		memcpy(copy, argv, n * sizeof(*copy));
		copy[0] = (char *)co->argv0;
		kargv = copy;
	}
	if (start_traced(&k, prog, kargv, envp) ||
	    start_uexec_side(&u, prog, argv, envp, co))
		goto out_kill;
	if (snapshot(&k, prog) || snapshot(&u, prog)) {
		die_errno("reading the stopped processes");
		goto out_kill;
	}
	ret = compare_sides(co, prog, &k, &u);
out_kill:
	free_side(&k);
	free_side(&u);
	free(copy);
	return ret;
}

#else	/* no register layer for --compare on this architecture */

int uexec_compare_main(const char *prog, char *const argv[], char *const envp[],
		       const struct uexec_compare_opts *co)
{
	(void)prog; (void)argv; (void)envp; (void)co;
	fprintf(stderr, "uexec: --compare: not implemented on this architecture (%s)\n",
		UEXEC_ARCH_NAME);
	return 2;
}

#endif
