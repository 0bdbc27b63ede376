/* SPDX-License-Identifier: MIT */
/*
 * The "bti" program (aarch64, no libc, static): checks that its text got
 * what the arm64 kernel's exec gives a static program whose GNU property
 * note asks for BTI (fs/binfmt_elf.c parse_elf_properties(),
 * arch_elf_adjust_prot()): PROT_BTI on its executable segments where the
 * CPU has BTI (AT_HWCAP2's HWCAP2_BTI), nothing where it has not.
 *
 *  1. its own PT_GNU_PROPERTY (through AT_PHDR) holds
 *     GNU_PROPERTY_AARCH64_FEATURE_1_AND with the BTI bit: the build kept it;
 *  2. /proc/self/smaps says "bt" in the VmFlags of the mapping of its code
 *     exactly when the CPU has BTI (not checked where smaps does not
 *     describe this process: qemu-user emulates /proc/self/maps, not
 *     smaps, whose header lines then differ from maps');
 *  3. a child that branches to an instruction that is no landing pad
 *     (bti_start.S) dies of SIGILL exactly when the CPU has BTI.
 *
 * Prints one line of what it found (the same under the kernel and uexec)
 * and a "FAIL what" line for each failed check; exits 1 if any failed.
 */
#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include <asm/unistd.h>

#include "nolibc.h"
#include "sys_arch.h"

#define HWCAP2_BTI_BIT	(1UL << 17)
#define SIGILL_NR	4
#define SIGCHLD_NR	17

int bti_main(unsigned long *sp);
int bti_bad_branch(void);

static size_t len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static void say(const char *s)
{
	sys4(__NR_write, 1, (long)s, (long)len(s), 0);
}

static int failed;

static void fail(const char *what)
{
	say("FAIL ");
	say(what);
	say("\n");
	failed = 1;
}

/* The whole of FILE into BUF (NUL-terminated); its length, or -1. */
static long slurp(const char *file, char *buf, size_t size)
{
	long fd = sys4(__NR_openat, -100, (long)file, 0, 0), n, got = 0;

	if (fd < 0)
		return -1;
	while ((size_t)got < size - 1 &&
	       (n = sys4(__NR_read, fd, (long)(buf + got), (long)(size - 1 - got), 0)) > 0)
		got += n;
	sys4(__NR_close, fd, 0, 0, 0);
	buf[got] = 0;
	return got;
}

static unsigned long hex(const char **p)
{
	unsigned long v = 0;

	for (;; (*p)++) {
		char c = **p;
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

		if (d < 0)
			return v;
		v = v * 16 + (unsigned long)d;
	}
}

/* The line of maps text TEXT whose range holds ADDR, or NULL. */
static const char *line_of(const char *text, unsigned long addr)
{
	for (const char *l = text; *l;) {
		const char *p = l;
		unsigned long lo = hex(&p), hi;

		if (*p == '-') {
			p++;
			hi = hex(&p);
			if (lo <= addr && addr < hi)
				return l;
		}
		while (*l && *l != '\n')
			l++;
		if (*l)
			l++;
	}
	return NULL;
}

/* Do A and B agree up to the end of the permissions ("lo-hi rwxp")? */
static int same_head(const char *a, const char *b)
{
	int spaces = 0;

	for (; *a && *a == *b && *a != '\n'; a++, b++)
		if (*a == ' ' && ++spaces == 2)
			return 1;
	return 0;
}

static char maps[65536], smaps[1 << 20];

/* 1: the VmFlags of the smaps entry whose header is at ENTRY say "bt";
 * 0: they do not.  VmFlags is the last line of every entry. */
static int vmflags_bt(const char *entry)
{
	const char *l = entry;

	for (;;) {
		while (*l && *l != '\n')
			l++;
		if (!*l++)
			return 0;
		if (l[0] == 'V' && l[1] == 'm' && l[2] == 'F')
			break;
	}
	for (; *l && *l != '\n'; l++)
		if (l[0] == ' ' && l[1] == 'b' && l[2] == 't' &&
		    (l[3] == ' ' || l[3] == '\n' || !l[3]))
			return 1;
	return 0;
}

/* Does the program's own PT_GNU_PROPERTY ask for BTI? */
static int note_asks_bti(const Elf64_Phdr *ph, unsigned long phnum)
{
	for (unsigned long i = 0; i < phnum; i++) {
		const uint32_t *n = (const uint32_t *)ph[i].p_vaddr;

		if (ph[i].p_type != PT_GNU_PROPERTY)
			continue;
		/* namesz 4, type 5, "GNU", then the first property. */
		return n[0] == 4 && n[2] == 5 && n[4] == 0xc0000000u && n[5] == 4 && (n[6] & 1);
	}
	return 0;
}

/* How a child that branches to no landing pad ends: the signal that
 * killed it, 0 when it exited 0, -1 otherwise. */
static int bad_branch_status(void)
{
	int status = -1;
	long pid = sys4(__NR_clone, SIGCHLD_NR, 0, 0, 0);

	if (pid == 0)
		sys4(__NR_exit_group, bti_bad_branch() == 0 ? 0 : 2, 0, 0, 0);
	if (pid < 0 || sys4(__NR_wait4, pid, (long)&status, 0, 0) != pid)
		return -1;
	if (status & 0x7f)
		return status & 0x7f;	/* WTERMSIG */
	return status ? -1 : 0;
}

int bti_main(unsigned long *sp)
{
	unsigned long argc = sp[0], *p = sp + argc + 2, hwcap2 = 0, phnum = 0;
	const Elf64_Phdr *phdr = NULL;
	const char *m, *s;
	int cpu, status;

	while (*p++)
		;
	for (; p[0] != AT_NULL; p += 2) {
		if (p[0] == AT_HWCAP2)
			hwcap2 = p[1];
		else if (p[0] == AT_PHDR)
			phdr = (const Elf64_Phdr *)p[1];
		else if (p[0] == AT_PHNUM)
			phnum = p[1];
	}
	cpu = (hwcap2 & HWCAP2_BTI_BIT) != 0;
	say(cpu ? "bti: the CPU has BTI\n" : "bti: the CPU has no BTI\n");
	if (!phdr || !note_asks_bti(phdr, phnum))
		fail("no PT_GNU_PROPERTY asking for BTI in this program (the build lost it)");

	m = slurp("/proc/self/maps", maps, sizeof(maps)) > 0 ?
	    line_of(maps, (unsigned long)bti_bad_branch) : NULL;
	s = NULL;
	if (m && slurp("/proc/self/smaps", smaps, sizeof(smaps)) > 0)
		for (const char *l = smaps; *l && !s; l++)
			if ((l == smaps || l[-1] == '\n') && same_head(m, l))
				s = l;
	if (!m)
		fail("the code is in no line of /proc/self/maps");
	else if (!s)
		say("bti: VmFlags not checked (smaps does not describe this process)\n");
	else if (vmflags_bt(s) != cpu)
		fail(cpu ? "the code's mapping has no \"bt\" in its VmFlags" :
		     "the code's mapping has \"bt\" in its VmFlags on a CPU without BTI");
	else
		say(cpu ? "bti: the code's VmFlags say bt\n" : "bti: the code's VmFlags do not say bt\n");

	status = bad_branch_status();
	if (status == SIGILL_NR)
		say("bti: a branch to no landing pad: SIGILL\n");
	else if (status == 0)
		say("bti: a branch to no landing pad: no fault\n");
	else
		say("bti: a branch to no landing pad: another end\n");
	if (status != (cpu ? SIGILL_NR : 0))
		fail(cpu ? "a branch to no landing pad did not raise SIGILL: the code is not guarded" :
		     "a branch to no landing pad did not run on a CPU without BTI");
	return failed;
}
