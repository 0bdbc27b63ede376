/* SPDX-License-Identifier: MIT */
/*
 * caller MODE ...: library callers in states the kernel's execve copes with,
 * for tests/core/process-image.sh.  Each mode ends in uexec_execve(); on
 * failure it prints "FAIL: ..." and exits 1.
 *
 *   maps N PROGRAM ARGS   N separate mappings of the caller's own first
 *                         (the kernel's exec starts from a fresh mm; uexec
 *                         must remove them all after the point of no return)
 *   stdio PROGRAM ARGS    text left in stdout's buffer: execve discards it,
 *                         so must uexec (it must not be printed)
 *   loads N FILE          write FILE, an ET_EXEC with N one-page PT_LOADs
 *                         (the first one executable: exit(42)), map a page
 *                         of the caller's at each of their addresses, and
 *                         exec FILE: every segment is staged and moved
 *   nomem FILE            write FILE, an ET_EXEC whose bss is larger than
 *                         the RLIMIT_AS set here, and exec it twice: each
 *                         call must fail with ENOMEM (in the mapping, after
 *                         the plan) and leave the caller's descriptors as
 *                         they were; prints "nomem ok"
 *   timers HOW PROGRAM ARGS  POSIX timers of the caller's, a monotonic one
 *                         and a CPU-clock one, firing SIGALRM and SIGVTALRM
 *                         (deadly by default) every 20 ms from 20 ms on,
 *                         then the exec (HOW: "kernel", execve(); "uexec",
 *                         uexec_execve()): the exec deletes them, and
 *                         PROGRAM must not be killed
 *   dumpable HOW PROGRAM ARGS  PR_SET_DUMPABLE 0, then the exec: the new
 *                         mm is dumpable again (begin_new_exec())
 *   report-dumpable       print "dumpable N" (PR_GET_DUMPABLE)
 *   noeffective HOW PROGRAM ARGS  an empty effective capability set (the
 *                         permitted one kept), then the exec: for root the
 *                         kernel's exec makes it the permitted set again
 *   mlockall HOW PROGRAM ARGS  mlockall(MCL_CURRENT | MCL_FUTURE), then the
 *                         exec: the new mm has no locked memory
 *   sharedfiles HOW PROGRAM ARGS  a close-on-exec pipe, and a child that
 *                         shares the descriptor table (CLONE_FILES, its own
 *                         mm), then the exec: the exec unshares the table
 *                         first, so the child, 200 ms later, still has the
 *                         pipe and prints "sharer: open" (else "closed")
 *   mdwe FLAGS HOW PROGRAM ARGS  PR_SET_MDWE with FLAGS (1: refuse exec
 *                         gain), then the exec: the program starts under it
 *                         (prints "mdwe unsupported" and exits 77 where the
 *                         kernel has no PR_SET_MDWE)
 *   report-mdwe           print "mdwe N" (PR_GET_MDWE)
 *   seccomp NAMES HOW PROGRAM ARGS  a seccomp filter that fails the system
 *                         calls NAMES (comma-separated: rseq, unshare, kcmp,
 *                         munmap, mremap, setresuid, setresgid)
 *                         with EPERM, then the exec; after a failed one it
 *                         prints "caller: still here"
 *   mseal WHAT HOW PROGRAM ARGS  mseal(2) (Linux 6.10) WHAT: "page", a page
 *                         of the caller's own; "vdso", the vDSO and vvar
 *                         pages, as CONFIG_MSEAL_SYSTEM_MAPPINGS seals them;
 *                         then the exec (prints "mseal unsupported" and
 *                         exits 77 where the kernel has no mseal)
 *   personality FLAGS HOW PROGRAM ARGS  FLAGS (hex) added to the
 *                         personality, then the exec
 *   timens DROP HOW PROGRAM ARGS  unshare(CLONE_NEWTIME) with the monotonic
 *                         and boot-time clocks 10^6 s ahead, CAP_SYS_ADMIN
 *                         dropped from the effective set when DROP is 1,
 *                         then the exec: the program runs in that namespace
 *                         (prints "timens unsupported" and exits 77 where
 *                         it cannot be made)
 *   report-clock          print "monotonic S uptime S" (whole seconds:
 *                         clock_gettime(), through the vDSO, and /proc/uptime)
 *   sud HOW PROGRAM ARGS  syscall user dispatch on (selector "allow", in
 *                         the caller's data), then the exec (prints "sud
 *                         unsupported" and exits 77 where the kernel has none)
 *   pending HOW PROGRAM ARGS  SIGCHLD, SIGWINCH, SIGUSR1 (caught) and SIGUSR2
 *                         (ignored, with SA_RESTART) blocked and pending, the
 *                         SIGCHLD from a child that exited with status 3,
 *                         then the exec: all four stay pending
 *   report-pending        print /proc/self/status's SigPnd, ShdPnd and
 *                         SigBlk, then the pending SIGCHLD's si_code and
 *                         si_status
 *   report-rseq           print "rseq registered" when glibc registered
 *                         this thread's rseq area, else "rseq none"
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "uexec/uexec.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

extern char **environ;

#define PG ((size_t)sysconf(_SC_PAGESIZE))	/* the running kernel's page */
#define LOADS_BASE 0x10000000UL	/* segment i at LOADS_BASE + 2 * i pages */

static int fail(const char *what)
{
	printf("FAIL: %s: %s (errno %d)\n", what, uexec_strerror(), errno);
	return 1;
}

/* N mappings that cannot merge (one page each, a page apart). */
static int many_maps(long n)
{
	char *area = mmap(NULL, (size_t)n * 2 * PG, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (area == MAP_FAILED)
		return -1;
	for (long i = 0; i < n; i++) {
		munmap(area + (2 * i + 1) * PG, PG);
		if (mprotect(area + 2 * i * PG, PG, PROT_READ))
			return -1;
	}
	return 0;
}

/* exit(42), in the machine's code. */
static size_t exit42(unsigned char *out)
{
#if defined(__x86_64__)
	static const unsigned char code[] = {
		0xb8, 0x3c, 0, 0, 0,		/* mov $60, %eax */
		0xbf, 0x2a, 0, 0, 0,		/* mov $42, %edi */
		0x0f, 0x05,			/* syscall */
	};
#elif defined(__aarch64__)
	static const unsigned char code[] = {
		0x40, 0x05, 0x80, 0xd2,		/* mov x0, #42 */
		0xa8, 0x0b, 0x80, 0xd2,		/* mov x8, #93 */
		0x01, 0x00, 0x00, 0xd4,		/* svc #0 */
	};
#else
	static const unsigned char code[] = { 0 };
#endif
	memcpy(out, code, sizeof(code));
	return sizeof(code);
}

/* FILE: the ELF header and N program headers in the first H pages,
 * segment i the file's page H + i at LOADS_BASE + 2 * i pages; the last
 * one BSS bytes larger in memory (then writable). */
static int write_loads(const char *file, long n, size_t bss)
{
	size_t h = (sizeof(Elf64_Ehdr) + (size_t)n * sizeof(Elf64_Phdr) + PG - 1) / PG;
	size_t size = (h + (size_t)n) * PG;
	unsigned char *img = calloc(1, size);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
	Elf64_Phdr *ph = (Elf64_Phdr *)(img + sizeof(*eh));
	int fd, ok;

	if (!img || n < 1 || n > 1170)
		return -1;
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
#if defined(__aarch64__)
	eh->e_machine = EM_AARCH64;
#else
	eh->e_machine = EM_X86_64;
#endif
	eh->e_version = EV_CURRENT;
	eh->e_entry = LOADS_BASE;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = (Elf64_Half)n;
	for (long i = 0; i < n; i++) {
		ph[i] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | (i ? 0 : PF_X),
				      .p_offset = (h + (size_t)i) * PG,
				      .p_vaddr = LOADS_BASE + 2 * i * PG,
				      .p_paddr = LOADS_BASE + 2 * i * PG,
				      .p_filesz = PG, .p_memsz = PG, .p_align = PG };
	}
	ph[n - 1].p_memsz += bss;
	if (bss)
		ph[n - 1].p_flags |= PF_W;
	exit42(img + h * PG);
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ok = fd >= 0 && write(fd, img, size) == (ssize_t)size;
	if (fd >= 0)
		close(fd);
	free(img);
	return ok ? 0 : -1;
}

static int overlapping_loads(long n, const char *file)
{
	if (write_loads(file, n, 0))
		return -1;
	for (long i = 0; i < n; i++)
		if (mmap((void *)(LOADS_BASE + 2 * i * PG), PG, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) ==
		    MAP_FAILED)
			return -1;
	return 0;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* The first call plans in a process that has not planned before (the
 * layout reads /proc/self/maps then), the second one after it. */
static int nomem(const char *file)
{
	struct rlimit rl = { 8UL << 30, 8UL << 30 };
	char *args[] = { (char *)file, NULL };

	if (write_loads(file, 1, 16UL << 30) || setrlimit(RLIMIT_AS, &rl))
		return fail("setting up the file and RLIMIT_AS");
	for (int i = 0; i < 2; i++) {
		int before = count_fds(), after;

		errno = 0;
		if (uexec_execve(file, args, environ) != -1 || errno != ENOMEM)
			return fail("uexec_execve did not fail with ENOMEM");
		after = count_fds();
		if (before < 0 || after != before) {
			printf("FAIL: call %d: %d descriptors before, %d after\n", i + 1,
			       before, after);
			return 1;
		}
		if (strchr(uexec_strerror(), '\n'))
			return fail("the error is more than one line");
	}
	printf("nomem ok: %s\n", uexec_strerror());
	return 0;
}

/* The exec of the modes that compare: execve() for HOW "kernel", else
 * uexec_execve(); returns only on failure. */
static int exec_by(const char *how, char **argv)
{
	if (!strcmp(how, "kernel"))
		execve(argv[0], argv, environ);
	else
		uexec_execve(argv[0], argv, environ);
	return fail("exec");
}

static void caught(int sig)
{
	(void)sig;
}

/* pending HOW PROGRAM ARGS (see the top of the file). */
static int pending(const char *how, char **argv)
{
	struct sigaction sa = { .sa_handler = caught };
	struct sigaction ign = { .sa_handler = SIG_IGN, .sa_flags = SA_RESTART };
	sigset_t m, p;
	pid_t pid;

	sigemptyset(&m);
	sigaddset(&m, SIGCHLD);
	sigaddset(&m, SIGWINCH);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGUSR2);
	sigprocmask(SIG_BLOCK, &m, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGWINCH, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &ign, NULL);
	pid = fork();
	if (pid == 0)
		_exit(3);
	if (pid < 0)
		return fail("fork");
	do
		sigpending(&p);
	while (!sigismember(&p, SIGCHLD));
	kill(getpid(), SIGWINCH);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR2);
	return exec_by(how, argv);
}

static int report_pending(void)
{
	const struct timespec now = { 0, 0 };
	char line[256];
	siginfo_t si;
	sigset_t one;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "SigPnd:", 7) || !strncmp(line, "ShdPnd:", 7) ||
		    !strncmp(line, "SigBlk:", 7))
			fputs(line, stdout);
	if (f)
		fclose(f);
	sigemptyset(&one);
	sigaddset(&one, SIGCHLD);
	if (sigtimedwait(&one, &si, &now) == SIGCHLD)
		printf("SIGCHLD si_code %d si_status %d\n", si.si_code, si.si_status);
	else
		printf("SIGCHLD not pending\n");
	return 0;
}

/* timens DROP HOW PROGRAM ARGS (see the top of the file). */
static int time_ns(int drop, const char *how, char **argv)
{
	static const char offsets[] = "monotonic 1000000 0\nboottime 1000000 0\n";
	int fd;

	if (unshare(CLONE_NEWTIME)) {
		printf("timens unsupported: %s\n", strerror(errno));
		return 77;
	}
	fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, offsets, sizeof(offsets) - 1) != (ssize_t)sizeof(offsets) - 1)
		return fail("timens_offsets");
	close(fd);
	if (drop) {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];

		if (syscall(SYS_capget, &h, d))
			return fail("capget");
		d[CAP_SYS_ADMIN / 32].effective &= ~(1u << (CAP_SYS_ADMIN % 32));
		if (syscall(SYS_capset, &h, d))
			return fail("capset");
	}
	return exec_by(how, argv);
}

/* mseal WHAT HOW PROGRAM ARGS (see the top of the file). */
static int seal(const char *what, const char *how, char **argv)
{
	char line[512];
	FILE *f;

	if (syscall(462 /* SYS_mseal */, 0L, 0L, 0L)) {
		printf("mseal unsupported: %s\n", strerror(errno));
		return 77;
	}
	if (!strcmp(what, "page")) {
		void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED || syscall(462, p, 4096L, 0L))
			return fail("mseal page");
		return exec_by(how, argv);
	}
	f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if ((strstr(line, "[vvar") || strstr(line, "[vdso]")) &&
		    (sscanf(line, "%lx-%lx", &lo, &hi) != 2 || syscall(462, lo, hi - lo, 0L)))
			return fail("mseal vdso");
	}
	if (f)
		fclose(f);
	return exec_by(how, argv);
}

/* seccomp NAMES HOW PROGRAM ARGS (see the top of the file). */
static int seccomp_deny(char *names, const char *how, char **argv)
{
	static const struct { const char *name; long nr; } calls[] = {
		{ "rseq", SYS_rseq }, { "unshare", SYS_unshare }, { "kcmp", SYS_kcmp },
		{ "munmap", SYS_munmap }, { "mremap", SYS_mremap },
		{ "setresuid", SYS_setresuid }, { "setresgid", SYS_setresgid },
	};
	struct sock_filter f[2 + 2 * 8];
	struct sock_fprog prog = { 0, f };
	int k = 0;

	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	for (char *n = strtok(names, ","); n && k < 2 + 2 * 7; n = strtok(NULL, ",")) {
		size_t i = 0;

		while (i < sizeof(calls) / sizeof(calls[0]) && strcmp(calls[i].name, n))
			i++;
		if (i == sizeof(calls) / sizeof(calls[0])) {
			fprintf(stderr, "caller: no system call %s here\n", n);
			return 2;
		}
		f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						      (uint32_t)calls[i].nr, 0, 1);
		f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						      SECCOMP_RET_ERRNO | EPERM);
	}
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog.len = (unsigned short)k;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0))
		return fail("seccomp");
	exec_by(how, argv);
	printf("caller: still here\n");
	return 1;
}

/* glibc >= 2.35 says where it registered the thread's rseq area. */
extern const ptrdiff_t __rseq_offset __attribute__((weak));
extern const unsigned int __rseq_size __attribute__((weak));

/* report-rseq: whether the kernel updates this thread's rseq area (its
 * cpu_id, the second 32-bit word, is not negative). */
static int report_rseq(void)
{
	int32_t cpu_id = -1;

	if (&__rseq_size && &__rseq_offset && __rseq_size)
		memcpy(&cpu_id, (char *)__builtin_thread_pointer() + __rseq_offset + 4,
		       sizeof(cpu_id));
	printf("rseq %s\n", cpu_id >= 0 ? "registered" : "none");
	return 0;
}

static int sharer_fd;

static int sharer(void *arg)
{
	(void)arg;
	usleep(200000);
	dprintf(2, "sharer: %s\n", fcntl(sharer_fd, F_GETFD) >= 0 ? "open" : "closed");
	return 0;
}

/* sharedfiles HOW PROGRAM ARGS (see the top of the file). */
static int shared_files(const char *how, char **argv)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	int p[2];

	if (pipe2(p, O_CLOEXEC))
		return fail("pipe2");
	sharer_fd = p[0];
	if (clone(sharer, stack + sizeof(stack), CLONE_FILES | SIGCHLD, NULL) < 0)
		return fail("clone");
	return exec_by(how, argv);
}

/* noeffective HOW PROGRAM ARGS (see the top of the file). */
static int no_effective(const char *how, char **argv)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return fail("capget");
	d[0].effective = d[1].effective = 0;
	if (syscall(SYS_capset, &h, d))
		return fail("capset");
	return exec_by(how, argv);
}

/* timers HOW PROGRAM ARGS (see the top of the file). */
static int timers(const char *how, char **argv)
{
	const clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID };
	const int sigs[] = { SIGALRM, SIGVTALRM };
	struct itimerspec every = { { 0, 20000000 }, { 0, 20000000 } };

	for (int i = 0; i < 2; i++) {
		struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = sigs[i] };
		timer_t t;

		if (timer_create(clocks[i], &ev, &t) || timer_settime(t, 0, &every, NULL))
			return fail("timer_create");
	}
	return exec_by(how, argv);
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "maps")) {
		if (many_maps(atol(argv[2])))
			return fail("setting up the mappings");
		uexec_execve(argv[3], argv + 3, environ);
		return fail("uexec_execve");
	}
	if (argc >= 3 && !strcmp(argv[1], "stdio")) {
		printf("UNFLUSHED TEXT ");	/* no newline: stays in the buffer */
		uexec_execve(argv[2], argv + 2, environ);
		return fail("uexec_execve");
	}
	if (argc == 4 && !strcmp(argv[1], "loads")) {
		char *args[] = { argv[3], NULL };

		if (overlapping_loads(atol(argv[2]), argv[3]))
			return fail("setting up the segments");
		uexec_execve(argv[3], args, environ);
		return fail("uexec_execve");
	}
	if (argc == 3 && !strcmp(argv[1], "nomem"))
		return nomem(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "timers"))
		return timers(argv[2], argv + 3);
	if (argc >= 4 && !strcmp(argv[1], "dumpable")) {
		if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
			return fail("PR_SET_DUMPABLE");
		return exec_by(argv[2], argv + 3);
	}
	if (argc >= 4 && !strcmp(argv[1], "mlockall")) {
		if (mlockall(MCL_CURRENT | MCL_FUTURE))
			return fail("mlockall");
		return exec_by(argv[2], argv + 3);
	}
	if (argc >= 4 && !strcmp(argv[1], "noeffective"))
		return no_effective(argv[2], argv + 3);
	if (argc >= 4 && !strcmp(argv[1], "sharedfiles"))
		return shared_files(argv[2], argv + 3);
	if (argc >= 5 && !strcmp(argv[1], "mdwe")) {
		if (prctl(65 /* PR_SET_MDWE */, atol(argv[2]), 0, 0, 0)) {
			printf("mdwe unsupported: %s\n", strerror(errno));
			return 77;
		}
		return exec_by(argv[3], argv + 4);
	}
	if (argc >= 5 && !strcmp(argv[1], "personality")) {
		if (personality((unsigned long)personality(0xffffffff) |
				strtoul(argv[2], NULL, 16)) == -1)
			return fail("personality");
		return exec_by(argv[3], argv + 4);
	}
	if (argc >= 4 && !strcmp(argv[1], "pending"))
		return pending(argv[2], argv + 3);
	if (argc == 2 && !strcmp(argv[1], "report-pending"))
		return report_pending();
	if (argc >= 4 && !strcmp(argv[1], "sud")) {
		static volatile char selector;	/* SYSCALL_DISPATCH_FILTER_ALLOW */

		if (prctl(59 /* PR_SET_SYSCALL_USER_DISPATCH */, 1 /* ON */, 0L, 0L, &selector)) {
			printf("sud unsupported: %s\n", strerror(errno));
			return 77;
		}
		return exec_by(argv[2], argv + 3);
	}
	if (argc >= 5 && !strcmp(argv[1], "timens"))
		return time_ns(atoi(argv[2]), argv[3], argv + 4);
	if (argc == 2 && !strcmp(argv[1], "report-clock")) {
		struct timespec ts;
		double up = 0;
		FILE *f = fopen("/proc/uptime", "r");

		if (!f || fscanf(f, "%lf", &up) != 1 || clock_gettime(CLOCK_MONOTONIC, &ts))
			return fail("report-clock");
		printf("monotonic %lld uptime %lld\n", (long long)ts.tv_sec, (long long)up);
		return 0;
	}
	if (argc >= 5 && !strcmp(argv[1], "mseal"))
		return seal(argv[2], argv[3], argv + 4);
	if (argc >= 5 && !strcmp(argv[1], "seccomp"))
		return seccomp_deny(argv[2], argv[3], argv + 4);
	if (argc == 2 && !strcmp(argv[1], "report-rseq"))
		return report_rseq();
	if (argc == 2 && !strcmp(argv[1], "report-mdwe")) {
		printf("mdwe %d\n", prctl(66 /* PR_GET_MDWE */, 0, 0, 0, 0));
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "report-dumpable")) {
		printf("dumpable %d\n", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
		return 0;
	}
	fprintf(stderr, "usage: caller maps N PROG ... | stdio PROG ... | loads N FILE | "
		"nomem FILE | timers kernel|uexec PROG ... | dumpable kernel|uexec PROG ... | "
		"report-dumpable | mdwe FLAGS kernel|uexec PROG ... | report-mdwe | mseal page|vdso kernel|uexec PROG ... | sharedfiles|noeffective|mlockall kernel|uexec PROG ...\n");
	return 2;
}
