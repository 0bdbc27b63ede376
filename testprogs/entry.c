/* SPDX-License-Identifier: MIT */
/*
 * The "entry" program (-nostdlib, -static, no libc): checks the state a
 * program finds at its first instruction against what the kernel's execve
 * gives an ELF program, which uexec promises too (see the register contract
 * in src/arch/ARCH/entry.S and the stack layout in src/stack.c).  The
 * arch part (testprogs/arch/ARCH/entry_arch.h: system calls, the page size,
 * the register checks) is included below; entry_start.S there saved the
 * registers before anything could change them.
 *
 * Usage: entry [ARG...]; ENTRY_EXECFN=PATH names the path the exec was
 * asked to run when it is not argv[0] (uexec -a).  It prints its
 * arguments, the count of its environment and the order of its auxv keys
 * (facts that must not differ between the kernel and uexec), a "FAIL what"
 * line for each failed check, and exits 1 if any failed.
 */
#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include <asm/unistd.h>

#define MAX_AUXV 64

#include "entry_arch.h"
#include "nolibc.h"

extern const Elf64_Ehdr __ehdr_start;
extern char _start[], _edata[], end[];

/* Odd-sized .data: the file bytes of the data segment end mid-page. */
char entry_data[777] = { 1 };

int entry_main(unsigned long *sp);
static size_t slen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static int seq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* Output is buffered and written at the end (and when full). */
static char out[16384];
static size_t outn;

static void flush(void)
{
	size_t done = 0;

	while (done < outn) {
		long r = sys3(__NR_write, 1, (long)(out + done), (long)(outn - done));

		if (r <= 0)
			break;
		done += (size_t)r;
	}
	outn = 0;
}

static void puts_(const char *s)
{
	while (*s) {
		if (outn == sizeof(out))
			flush();
		out[outn++] = *s++;
	}
}

static void putnum(unsigned long v, unsigned int base)
{
	char buf[24];
	int i = sizeof(buf);

	buf[--i] = 0;
	do {
		buf[--i] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (base == 16)
		puts_("0x");
	puts_(buf + i);
}

static int failures;

/* A failed check: "FAIL WHAT [VALUE]". */
static int expect(int ok, const char *what, unsigned long value, int show)
{
	if (ok)
		return 1;
	puts_("FAIL ");
	puts_(what);
	if (show) {
		puts_(" (");
		putnum(value, 16);
		puts_(")");
	}
	puts_("\n");
	failures++;
	return 0;
}

/*
 * padzero(): the rest of the page holding the last file byte of the data
 * segment is .bss, though the file has other bytes there; the loader must
 * zero it.  Nothing but _start (entry_regs, and what ENTRY_ARCH_SAVED()
 * names) has written to .bss yet.
 */
static void check_bss_tail(void)
{
	uintptr_t e = (uintptr_t)_edata, stop = (e + PAGE - 1) & ~(PAGE - 1);
	uintptr_t regs = (uintptr_t)entry_regs, regs_end = regs + sizeof(entry_regs);
	unsigned long bad = 0;

	expect(e % PAGE != 0, "layout: .data ends on a page boundary", e % PAGE, 1);
	if (stop > (uintptr_t)end)
		stop = (uintptr_t)end;
	for (uintptr_t p = e; p < stop; p++)
		if ((p < regs || p >= regs_end) && !ENTRY_ARCH_SAVED(p) && *(volatile char *)p)
			bad++;
	expect(bad == 0, "bytes of .bss in the last file page are not zero", bad, 1);
	expect(entry_data[0] == 1 && entry_data[776] == 0, ".data is not the file's", 0, 0);
}

struct startup {
	long argc;
	char **argv, **envp;
	int envc;
	Elf64_auxv_t *auxv;
	int auxc;		/* AT_NULL included */
};

static unsigned long aux(const struct startup *s, unsigned long key, int *found)
{
	for (int i = 0; i < s->auxc; i++) {
		if (s->auxv[i].a_type == key) {
			if (found)
				*found = 1;
			return s->auxv[i].a_un.a_val;
		}
	}
	if (found)
		*found = 0;
	return 0;
}

static const char *env_get(const struct startup *s, const char *name)
{
	size_t n = slen(name);

	for (int i = 0; i < s->envc; i++) {
		const char *e = s->envp[i];
		size_t k = 0;

		while (k < n && e[k] == name[k])
			k++;
		if (k == n && e[n] == '=')
			return e + n + 1;
	}
	return NULL;
}

/* argc at rsp, then argv[] NULL, envp[] NULL, auxv ending in AT_NULL. */
static int parse_stack(unsigned long *sp, struct startup *s)
{
	s->argc = (long)sp[0];
	s->argv = (char **)(sp + 1);
	expect(s->argc >= 1 && s->argc < 100000, "argc is implausible",
	       (unsigned long)s->argc, 1);
	if (s->argc < 0 || s->argc >= 100000)
		return 0;
	for (long i = 0; i < s->argc; i++)
		if (!expect(s->argv[i] != NULL, "argv has a NULL before argc", i, 1))
			return 0;
	if (!expect(s->argv[s->argc] == NULL, "argv[argc] is not NULL", 0, 0))
		return 0;
	s->envp = s->argv + s->argc + 1;
	for (s->envc = 0; s->envp[s->envc]; s->envc++)
		;
	s->auxv = (Elf64_auxv_t *)(s->envp + s->envc + 1);
	for (s->auxc = 0; s->auxc < MAX_AUXV; ) {
		if (s->auxv[s->auxc++].a_type == AT_NULL)
			return 1;
	}
	expect(0, "auxv has no AT_NULL within 64 entries", 0, 0);
	return 0;
}

/* What the kernel derives from the program's own headers. */
static void check_auxv_values(const struct startup *s)
{
	const Elf64_Ehdr *eh = &__ehdr_start;
	const char *vdso;
	int found;

	expect(ENTRY_PAGESZ_OK(aux(s, AT_PAGESZ, &found)) && found, ENTRY_PAGESZ_WHAT,
	       aux(s, AT_PAGESZ, NULL), 1);
	expect(aux(s, AT_PHDR, NULL) == (unsigned long)eh + eh->e_phoff,
	       "AT_PHDR is not the address of the program headers", aux(s, AT_PHDR, NULL), 1);
	expect(aux(s, AT_PHENT, NULL) == sizeof(Elf64_Phdr) &&
	       eh->e_phentsize == sizeof(Elf64_Phdr), "AT_PHENT is not 56",
	       aux(s, AT_PHENT, NULL), 1);
	expect(aux(s, AT_PHNUM, NULL) == eh->e_phnum, "AT_PHNUM is not e_phnum",
	       aux(s, AT_PHNUM, NULL), 1);
	expect(aux(s, AT_ENTRY, NULL) == (unsigned long)_start,
	       "AT_ENTRY is not _start", aux(s, AT_ENTRY, NULL), 1);
	aux(s, AT_BASE, &found);
	expect(found && aux(s, AT_BASE, NULL) == 0, "AT_BASE is not 0 (no interpreter)",
	       aux(s, AT_BASE, NULL), 1);
	vdso = (const char *)aux(s, AT_SYSINFO_EHDR, &found);
	expect(found && vdso, "AT_SYSINFO_EHDR is missing", 0, 0);
	if (vdso)
		expect(vdso[0] == 0x7f && vdso[1] == 'E' && vdso[2] == 'L' && vdso[3] == 'F',
		       "AT_SYSINFO_EHDR does not point at an ELF header", 0, 0);
}

/*
 * The strings, as copy_strings() leaves them: argv[0..] then the
 * environment, contiguous and ascending, then the AT_EXECFN string, then 8
 * zero bytes ending exactly at the top of the stack (a page boundary).
 * AT_RANDOM's 16 bytes lie between the end of the auxv and the strings.
 */
static void check_strings(const struct startup *s)
{
	const char *want = env_get(s, "ENTRY_EXECFN");
	const char *execfn = (const char *)aux(s, AT_EXECFN, NULL);
	const unsigned char *rnd = (const unsigned char *)aux(s, AT_RANDOM, NULL);
	const char *next = s->argv[0];
	uintptr_t top;
	int nonzero = 0;

	for (long i = 0; i < s->argc; i++) {
		if (!expect(s->argv[i] == next, "argv strings are not contiguous", i, 1))
			return;
		next += slen(next) + 1;
	}
	for (int i = 0; i < s->envc; i++) {
		if (!expect(s->envp[i] == next, "env strings do not follow argv's", i, 1))
			return;
		next += slen(next) + 1;
	}
	if (!expect(execfn == next, "AT_EXECFN does not follow the env strings", 0, 0))
		return;
	expect(seq(execfn, want ? want : s->argv[0]),
	       "AT_EXECFN is not the path given to exec", 0, 0);
	top = (uintptr_t)execfn + slen(execfn) + 1 + 8;
	expect((top & (PAGE - 1)) == 0, "the 8 bytes after AT_EXECFN do not end at a page "
	       "boundary", top & (PAGE - 1), 1);
	for (int i = 0; i < 8; i++)
		if (!expect(execfn[slen(execfn) + 1 + i] == 0, "end marker is not 8 zero "
			    "bytes", (unsigned long)i, 1))
			break;
	if (!expect(rnd != NULL, "AT_RANDOM is missing", 0, 0))
		return;
	expect((uintptr_t)rnd >= (uintptr_t)(s->auxv + s->auxc) &&
	       (uintptr_t)rnd + 16 <= (uintptr_t)s->argv[0],
	       "AT_RANDOM is not between the auxv and the strings", 0, 0);
	for (int i = 0; i < 16; i++)
		nonzero |= rnd[i];
	expect(nonzero, "AT_RANDOM bytes are all zero", 0, 0);
}

/* The auxv on the stack is the one the kernel reports for this process. */
static void check_proc_auxv(const struct startup *s)
{
	static unsigned char buf[MAX_AUXV * 16 + 16];
	const unsigned char *mine = (const unsigned char *)s->auxv;
	size_t got = 0, want = (size_t)s->auxc * sizeof(Elf64_auxv_t);
	long fd, r;

	fd = ENTRY_OPEN("/proc/self/auxv");
	if (!expect(fd >= 0, "cannot open /proc/self/auxv", (unsigned long)-fd, 1))
		return;
	while (got < sizeof(buf) &&
	       (r = sys3(__NR_read, fd, (long)(buf + got), (long)(sizeof(buf) - got))) > 0)
		got += (size_t)r;
	sys3(__NR_close, fd, 0, 0);
	if (!expect(got == want, "/proc/self/auxv size differs from the stack's auxv",
		    got, 1))
		return;
	for (size_t i = 0; i < want; i++)
		if (!expect(buf[i] == mine[i], "/proc/self/auxv differs from the stack's "
			    "auxv at byte", i, 1))
			return;
}

static void print_facts(const struct startup *s)
{
	puts_("argc=");
	putnum((unsigned long)s->argc, 10);
	puts_("\n");
	for (long i = 0; i < s->argc; i++) {
		puts_("argv[");
		putnum((unsigned long)i, 10);
		puts_("]=");
		puts_(s->argv[i]);
		puts_("\n");
	}
	puts_("envc=");
	putnum((unsigned long)s->envc, 10);
	puts_("\nauxv keys:");
	for (int i = 0; i < s->auxc; i++) {
		puts_(" ");
		putnum(s->auxv[i].a_type, 10);
	}
	puts_("\n");
}

int entry_main(unsigned long *sp)
{
	struct startup s;

	entry_arch_init(sp);	/* writes .data only */
	check_bss_tail();	/* first: reporting writes to .bss */
	check_registers();
	if (parse_stack(sp, &s)) {
		print_facts(&s);
		check_auxv_values(&s);
		check_strings(&s);
		check_proc_auxv(&s);
	}
	flush();
	return failures ? 1 : 0;
}
