/* SPDX-License-Identifier: MIT */
/*
 * procself: the kernel's view of this process must be this program's.
 * Checks, each printing "FAIL what" and counting a failure:
 *  - /proc/self/cmdline is argv, /proc/self/environ is envp (PR_SET_MM_MAP
 *    arg_start/arg_end, env_start/env_end);
 *  - /proc/self/auxv equals the auxv on the stack, pair by pair;
 *  - /proc/self/comm is the basename of AT_EXECFN (15 characters), or,
 *    where AT_EXECFN is /dev/fd/N (an exec through a descriptor), the
 *    executable's own name (fexecve()'s AT_EMPTY_PATH since Linux 6.14);
 *  - /proc/self/exe names the same file as AT_EXECFN (dev and inode);
 *  - every file in /proc/self/maps is this program, its interpreter or a
 *    library of its link map (nothing of a loader);
 *  - the stack mapping is named [stack] and holds argv;
 *  - brk (sbrk(0)) lies above the end of this program's bss.
 * Prints "procself ok" and exits 0 when all hold.
 */
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;
extern char end[];
extern const ElfW(Ehdr) __ehdr_start;
static int fails;

#define CHECK(c, ...) do { if (!(c)) { printf("FAIL " __VA_ARGS__); putchar('\n'); fails++; } } while (0)

static size_t slurp(const char *path, char *buf, size_t max)
{
	int fd = open(path, O_RDONLY);
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		return 0;
	while (n < max && (r = read(fd, buf + n, max - n)) > 0)
		n += (size_t)r;
	close(fd);
	return n;
}

/* A vector of strings as the kernel stores it: NUL after each. */
static int same_vector(const char *buf, size_t n, char **v)
{
	size_t off = 0;

	for (; *v; v++) {
		size_t len = strlen(*v) + 1;

		if (off + len > n || memcmp(buf + off, *v, len))
			return 0;
		off += len;
	}
	return off == n;
}

static void check_auxv(char **envp)
{
	static unsigned long proc[256];
	unsigned long *stack;
	size_t n = slurp("/proc/self/auxv", (char *)proc, sizeof(proc));

	while (*envp)
		envp++;
	stack = (unsigned long *)(envp + 1);
	for (size_t i = 0; i + 1 < n / sizeof(long); i += 2) {
		CHECK(stack[i] == proc[i] && stack[i + 1] == proc[i + 1],
		      "auxv[%zu]: stack %lu=%#lx, /proc %lu=%#lx", i / 2, stack[i],
		      stack[i + 1], proc[i], proc[i + 1]);
		if (proc[i] == AT_NULL)
			break;
	}
}

/* The files this program has loaded: itself, its interpreter and the
 * libraries of its link map (none for a static program). */
struct loaded {
	char names[64][4096];
	int n;
};

static int add_loaded(struct dl_phdr_info *info, size_t size, void *data)
{
	struct loaded *l = data;
	char real[4096];

	(void)size;
	if (l->n < 64 && info->dlpi_name && info->dlpi_name[0] &&
	    realpath(info->dlpi_name, real))
		snprintf(l->names[l->n++], sizeof(l->names[0]), "%s", real);
	return 0;
}

static int is_loaded(const struct loaded *l, const char *name)
{
	char real[4096];

	if (!realpath(name, real))
		return 0;
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->names[i], real))
			return 1;
	return 0;
}

/* Every file mapped is one the program loaded: nothing of a loader (its
 * binary, its libraries) is left; argv is on the mapping named [stack]. */
static void check_maps(const char *self, const char *interp, char **argv)
{
	static struct loaded l;
	char line[8192];
	FILE *f = fopen("/proc/self/maps", "r");
	int stack_ok = 0;

	snprintf(l.names[l.n++], sizeof(l.names[0]), "%s", self);
	if (interp && realpath(interp, line))
		snprintf(l.names[l.n++], sizeof(l.names[0]), "%s", line);
	dl_iterate_phdr(add_loaded, &l);
	CHECK(f != NULL, "open /proc/self/maps");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char *name = strchr(line, '/');

		sscanf(line, "%lx-%lx", &lo, &hi);
		if (strstr(line, "[stack]") && (unsigned long)argv >= lo && (unsigned long)argv < hi)
			stack_ok = 1;
		if (!name)
			continue;
		name[strcspn(name, "\n")] = 0;
		CHECK(is_loaded(&l, name), "a mapping of %s, which this program did not load",
		      name);
	}
	fclose(f);
	CHECK(stack_ok, "argv is not in the mapping named [stack]");
}

/* Whether NAME is /dev/fd/N. */
static int fd_name(const char *name)
{
	if (strncmp(name, "/dev/fd/", 8) || !name[8])
		return 0;
	return strspn(name + 8, "0123456789") == strlen(name + 8);
}

/* The executable's own name, as /proc/self/exe leads to it, without a
 * " (deleted)" mark, cut to LEN - 1 characters, into BUF (PATH_MAX). */
static int exe_name(char *buf, size_t len)
{
	char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	const char *mark = " (deleted)", *base;
	size_t m;

	if (n <= 0)
		return 0;
	path[n] = 0;
	m = strlen(mark);
	if ((size_t)n > m && !strcmp(path + n - m, mark) && access(path, F_OK))
		path[n - m] = 0;
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	snprintf(buf, len, "%s", base);
	return 1;
}

int main(int argc, char **argv, char **envp)
{
	static char buf[1 << 16];
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	char self[4096], comm[32], expect[16], *copy;
	struct stat a, b;
	size_t n;

	CHECK(argc >= 1, "argc");
	n = slurp("/proc/self/cmdline", buf, sizeof(buf));
	CHECK(same_vector(buf, n, argv), "/proc/self/cmdline is not argv");
	n = slurp("/proc/self/environ", buf, sizeof(buf));
	CHECK(same_vector(buf, n, envp), "/proc/self/environ is not envp");
	check_auxv(envp);

	copy = strdup(execfn);
	snprintf(expect, sizeof(expect), "%s", basename(copy));
	n = slurp("/proc/self/comm", comm, sizeof(comm) - 1);
	comm[n] = 0;
	comm[strcspn(comm, "\n")] = 0;
	if (strcmp(comm, expect) && fd_name(execfn) && exe_name(self, 16))
		snprintf(expect, sizeof(expect), "%s", self);
	CHECK(!strcmp(comm, expect), "comm is '%s', not '%s'", comm, expect);

	CHECK(stat("/proc/self/exe", &a) == 0 && stat(execfn, &b) == 0 &&
	      a.st_dev == b.st_dev && a.st_ino == b.st_ino,
	      "/proc/self/exe is not %s", execfn);
	CHECK(realpath(execfn, self) != NULL, "realpath %s", execfn);
	{
		char interp[4096];
		const char *ip = NULL;

		if (getauxval(AT_BASE)) {
			/* The interpreter's mapping starts at AT_BASE. */
			FILE *f = fopen("/proc/self/maps", "r");
			char line[8192];

			while (f && fgets(line, sizeof(line), f)) {
				unsigned long lo = strtoul(line, NULL, 16);
				char *name = strchr(line, '/');

				if (lo == getauxval(AT_BASE) && name) {
					name[strcspn(name, "\n")] = 0;
					snprintf(interp, sizeof(interp), "%s", name);
					ip = interp;
				}
			}
			if (f)
				fclose(f);
			CHECK(ip != NULL, "no file mapped at AT_BASE %#lx", getauxval(AT_BASE));
		}
		check_maps(self, ip, argv);
	}
	/* The kernel moves a static PIE's brk away from it (to ELF_ET_DYN_BASE,
	 * below); everyone else's starts above the bss. */
	if (!(__ehdr_start.e_type == ET_DYN && !getauxval(AT_BASE)))
		CHECK((char *)sbrk(0) >= end, "brk %p below the end of bss %p", sbrk(0),
		      (void *)end);
	free(copy);
	if (!fails)
		printf("procself ok\n");
	return fails ? 1 : 0;
}
