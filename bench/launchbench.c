/* SPDX-License-Identifier: MIT */
/*
 * launchbench: the cost of one launch through uexec against the kernel's own
 * exec of the same program, measured in the same run.
 *
 * Each case forks a child that execs PROGRAM either with execve(2) (the
 * kernel), with execve of the uexec CLI, or with uexec_execve() (the
 * library).  Runs alternate kernel/uexec, RUNS pairs a case; the figure of
 * a run is the child's CPU time (user + system, from wait4), which is
 * steadier on a loaded machine than wall time; wall time is shown too.
 * Printed: medians, and the ratio of the medians uexec/kernel.
 *
 * Usage: launchbench UEXEC EXIT0_STATIC EXIT0_DYNAMIC [RUNS]
 * (EXIT0_*: a program whose main returns 0; bench/launch.sh builds them.)
 *
 * With LAUNCHBENCH_PHASES=LAST or =A,B,... (a build configured with
 * --enable-bench-phases; bench/phases.sh), the launch of the static program
 * instead, by the library (or by the CLI with LAUNCHBENCH_PHASES_CLI=1),
 * stopped at each of its phases 0..LAST, or at the points listed
 * (UEXEC_BENCH_PHASE, src/debug.h)
 * and run whole, all in one round-robin with the kernel's exec: the medians
 * a phase, and what each phase adds to the one before.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "uexec/uexec.h"

enum how { KERNEL, CLI, LIB };

/* Whether the library linked in has the exit points (src/debug.h). */
#ifdef UEXEC_BENCH_PHASES
#define HAVE_PHASES 1
#else
#define HAVE_PHASES 0
#endif

struct bcase {
	const char *title;
	enum how how;
	char **argv;		/* argv[0] is the program (for CLI: uexec) */
	char **envp;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One launch; the child's CPU seconds into *cpu, wall into *wall, its minor
 * page faults into *flt. */
static int launch(enum how how, char **argv, char **envp, double *cpu, double *wall,
		  double *flt)
{
	double t0 = now();
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (how == LIB)
			uexec_execve(argv[0], argv, envp);
		else
			execve(argv[0], argv, envp);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid)
		return -1;
	*wall = now() - t0;
	*cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
	*flt = (double)ru.ru_minflt;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* LAUNCHBENCH_ONLY: a part of the title, or the whole title then '$'. */
static int title_matches(const char *title, const char *only)
{
	size_t n = strlen(only);

	if (n && only[n - 1] == '$')
		return strlen(title) == n - 1 && !strncmp(title, only, n - 1);
	return strstr(title, only) != NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* RUNS alternating pairs of K (the kernel's) and U; one line of figures. */
static int measure(const char *title, const struct bcase *k, const struct bcase *u, int runs)
{
	double *kc = calloc((size_t)runs, sizeof(double)), *uc = calloc((size_t)runs, sizeof(double));
	double *kw = calloc((size_t)runs, sizeof(double)), *uw = calloc((size_t)runs, sizeof(double));
	double *kf = calloc((size_t)runs, sizeof(double)), *uf = calloc((size_t)runs, sizeof(double));
	int bad = 0;

	for (int i = 0; i < runs && !bad; i++) {
		bad |= launch(k->how, k->argv, k->envp, &kc[i], &kw[i], &kf[i]);
		bad |= launch(u->how, u->argv, u->envp, &uc[i], &uw[i], &uf[i]);
	}
	if (bad) {
		printf("%-44s  FAILED (a launch did not exit 0)\n", title);
	} else {
		double mk = median(kc, runs), mu = median(uc, runs);
		double wk = median(kw, runs), wu = median(uw, runs);

		printf("%-44s %8.0f %8.0f %6.2f   %8.0f %8.0f %6.2f   %5.0f %5.0f\n", title,
		       mk * 1e6, mu * 1e6, mk > 0 ? mu / mk : 0, wk * 1e6, wu * 1e6,
		       wk > 0 ? wu / wk : 0, median(kf, runs), median(uf, runs));
	}
	fflush(stdout);
	free(kc); free(uc); free(kw); free(uw); free(kf); free(uf);
	return bad;
}

/*
 * The points to stop at, from LAUNCHBENCH_PHASES: LAST for 0..LAST, or a
 * list "A,B,..." (points an experiment added, in the order they come in a
 * launch); into P (CAP entries), returning how many.
 */
static int phase_list(const char *spec, int *p, int cap)
{
	int n = 0;

	if (!strchr(spec, ',')) {
		for (int last = atoi(spec); n < cap && n <= last; n++)
			p[n] = n;
		return n;
	}
	for (const char *s = spec; *s && n < cap; s = strchr(s, ',') ? strchr(s, ',') + 1 : "")
		p[n++] = atoi(s);
	return n;
}

/*
 * The launch of KARGV by HOW (UARGV: the same, or the CLI's command line)
 * stopped at each of the NP points P, then whole, with the kernel's exec of
 * KARGV in the same round-robin, RUNS rounds.  The point goes to the child
 * in the environment, set in the parent before the fork (a child that set
 * it would pay for it).
 */
static int measure_phases(enum how how, char **kargv, char **uargv, const int *p, int np,
			  int runs)
{
	int nrow = np + 2, bad = 0;	/* the kernel, the points, whole */
	double *cpu = calloc((size_t)(nrow * runs), sizeof(double));
	double *flt = calloc((size_t)(nrow * runs), sizeof(double));
	double wall, prev_c = 0, prev_f = 0;
	extern char **environ;
	char num[16];

	for (int i = 0; i < runs && !bad; i++) {
		for (int r = 0; r < nrow && !bad; r++) {
			if (r >= 1 && r <= np) {
				snprintf(num, sizeof(num), "%d", p[r - 1]);
				setenv("UEXEC_BENCH_PHASE", num, 1);
			} else {
				unsetenv("UEXEC_BENCH_PHASE");
			}
			bad |= launch(r ? how : KERNEL, r ? uargv : kargv, environ,
				      &cpu[r * runs + i], &wall, &flt[r * runs + i]);
		}
	}
	unsetenv("UEXEC_BENCH_PHASE");
	if (bad) {
		printf("phases: FAILED (a launch did not exit 0)\n");
		goto free_figures;
	}
	printf("%-38s %8s %8s   %6s %6s\n", how == CLI ? "CLI, static program: stopped at" :
	       "library, static program: stopped at", "CPU us", "+us", "faults", "+");
	for (int r = 0; r < nrow; r++) {
		static const char *const what[] = {
			"0 uexec_execve() entered", "1 on uexec's own stack",
			"2 system rules loaded", "3 file opened and checked", "4 plan made",
			"5 plan mapped", "6 final stage prepared", "7 commit done",
		};
		double c = median(&cpu[r * runs], runs) * 1e6, f = median(&flt[r * runs], runs);
		char label[64];

		if (r == 0)
			snprintf(label, sizeof(label), "(the kernel's exec, whole)");
		else if (r == nrow - 1)
			snprintf(label, sizeof(label), "(uexec, whole: final stage, program)");
		else if (p[r - 1] >= 0 && p[r - 1] < (int)(sizeof(what) / sizeof(what[0])))
			snprintf(label, sizeof(label), "%s", what[p[r - 1]]);
		else
			snprintf(label, sizeof(label), "%d", p[r - 1]);
		if (r <= 1)
			printf("%-38s %8.0f %8s   %6.0f %6s\n", label, c, "", f, "");
		else
			printf("%-38s %8.0f %+8.0f   %6.0f %+6.0f\n", label, c, c - prev_c, f,
			       f - prev_f);
		if (r > 0) {
			prev_c = c;
			prev_f = f;
		}
	}
	if (how == CLI)
		printf("(the first phase's figure is the fork's child that execs the CLI: "
		       "uexec's own exec and start, and the system's rules)\n");
	else
		printf("(the first phase's figure is a fork's child that exits at once: "
		       "what the kernel's child pays too)\n");
free_figures:
	free(cpu);
	free(flt);
	return bad;
}

/* An ET_EXEC that exits 0: one R+X page at 0x400000 with the code, and one
 * PT_LOAD of FILESZ file bytes (a sparse file: nothing is written) and
 * MEMSZ bytes of memory at 0x10000000. */
static int write_big(const char *path, unsigned long filesz, unsigned long memsz)
{
	static const unsigned char exit0[] = {
		0xb8, 0x3c, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05,	/* exit(0), x86_64 */
	};
	unsigned char page[4096] = { 0 };
	Elf64_Ehdr *eh = (Elf64_Ehdr *)page;
	Elf64_Phdr *ph = (Elf64_Phdr *)(page + sizeof(*eh));
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755), ok;

	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = 0x400000 + 0x200;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 2;
	ph[0] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x400000, 4096, 4096, 4096 };
	ph[1] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_W, filesz ? 4096 : 0, 0x10000000, 0x10000000,
			      filesz, memsz, 4096 };
	memcpy(page + 0x200, exit0, sizeof(exit0));
	ok = fd >= 0 && fchmod(fd, 0755) == 0 &&
	     write(fd, page, sizeof(page)) == (ssize_t)sizeof(page) &&
	     ftruncate(fd, (off_t)(4096 + filesz)) == 0;
	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* The FIRST strings, then N more: "x" * LEN as arguments, or
 * "Vnnnnnn=" + "x" * LEN as environment strings; NULL-terminated. */
static char **strings(char **first, size_t nfirst, size_t n, size_t len, int env)
{
	char **v = calloc(nfirst + n + 1, sizeof(*v));
	char *fill = malloc(len + 1);

	memset(fill, 'x', len);
	fill[len] = 0;
	if (nfirst)
		memcpy(v, first, nfirst * sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		v[nfirst + i] = malloc(len + 16);
		if (env)
			snprintf(v[nfirst + i], len + 16, "V%06zu=%s", i, fill);
		else
			snprintf(v[nfirst + i], len + 16, "%s", fill);
	}
	free(fill);
	return v;
}

int main(int argc, char **argv)
{
	extern char **environ;
	int runs = argc > 4 ? atoi(argv[4]) : 200, bad = 0;
	char *uexec = argv[1], *st = argv[2], *dyn = argv[3];
	char *k_st[] = { st, NULL }, *k_dyn[] = { dyn, NULL }, *k_work[] = { st, "work", NULL };
	char *c_st[] = { uexec, st, NULL }, *c_dyn[] = { uexec, dyn, NULL };
	char *c_norules[] = { uexec, "--no-system-binfmt", st, NULL };
	char big_file[] = "/tmp/launchbench-file-XXXXXX", big_bss[] = "/tmp/launchbench-bss-XXXXXX";
	char *k_file[] = { big_file, NULL }, *k_bss[] = { big_bss, NULL };
	char **argv1m = strings(k_st, 1, 1024, 1023, 0), **env10k = strings(NULL, 0, 10000, 8, 1);
	const char *only = getenv("LAUNCHBENCH_ONLY");	/* the cases to run (title_matches) */

	if (argc < 4) {
		fprintf(stderr, "usage: launchbench UEXEC EXIT0_STATIC EXIT0_DYNAMIC [RUNS]\n");
		return 2;
	}
	close(mkstemp(big_file));
	close(mkstemp(big_bss));
	if (write_big(big_file, 1UL << 30, 1UL << 30) || write_big(big_bss, 0, 1UL << 30)) {
		perror("launchbench: writing the 1 GiB programs");
		return 2;
	}
	if (getenv("LAUNCHBENCH_PHASES")) {
		const char *cli = getenv("LAUNCHBENCH_PHASES_CLI");
		bool by_cli = cli && *cli && strcmp(cli, "0");
		int points[64], np = phase_list(getenv("LAUNCHBENCH_PHASES"), points, 64);

		if (!HAVE_PHASES) {
			/* Without exit points every launch would run whole,
			 * and each row would show the whole launch. */
			fprintf(stderr, "launchbench: LAUNCHBENCH_PHASES needs a build configured "
				"with --enable-bench-phases (bench/phases.sh makes one)\n");
			bad = 2;
		} else {
			bad = measure_phases(by_cli ? CLI : LIB, k_st, by_cli ? c_st : k_st, points,
					     np, runs);
		}
		goto unlink_programs;
	}
	printf("%d paired runs a case; medians of the child's CPU time (wait4), of wall time\n"
	       "(both us), and of its minor page faults\n", runs);
	printf("%-44s %8s %8s %6s   %8s %8s %6s   %5s %5s\n", "case", "kernel", "uexec", "ratio",
	       "kernel", "uexec", "ratio", "k.flt", "u.flt");
	{
		/* Each case: the kernel's exec of KARGV, against uexec's (HOW). */
		const struct {
			const char *title;
			char **kargv, **envp;
			enum how how;
			char **uargv;
			enum how khow;		/* KERNEL but for the rules' own case */
		} cases[] = {
			{ "CLI, static program, system rules", k_st, environ, CLI, c_st, KERNEL },
			{ "CLI, static program, --no-system-binfmt", k_st, environ, CLI, c_norules, KERNEL },
			{ "CLI rules against CLI --no-system-binfmt", c_norules, environ, CLI, c_st,
			  CLI },
			{ "CLI, dynamic program, system rules", k_dyn, environ, CLI, c_dyn, KERNEL },
			{ "library, static program", k_st, environ, LIB, k_st, KERNEL },
			{ "library, dynamic program", k_dyn, environ, LIB, k_dyn, KERNEL },
			{ "library, static program, 1 MiB of argv", argv1m, environ, LIB, argv1m, KERNEL },
			{ "library, static program, 10000 env vars", k_st, env10k, LIB, k_st, KERNEL },
			{ "library, 1 GiB executable (file-backed)", k_file, environ, LIB, k_file, KERNEL },
			{ "library, 1 GiB bss", k_bss, environ, LIB, k_bss, KERNEL },
			/* the program's own run time: its work, not its launch */
			{ "library, static program that works ~10 ms", k_work, environ, LIB,
			  k_work, KERNEL },
		};

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct bcase k = { NULL, cases[i].khow, cases[i].kargv, cases[i].envp };
			struct bcase u = { NULL, cases[i].how, cases[i].uargv, cases[i].envp };

			if (only && !title_matches(cases[i].title, only))
				continue;
			bad |= measure(cases[i].title, &k, &u, runs);
		}
	}
unlink_programs:
	unlink(big_file);
	unlink(big_bss);
	return bad == 2 ? 2 : bad ? 1 : 0;
}
