/* SPDX-License-Identifier: MIT */
/*
 * gen-odd-loads TEMPLATE /ABSOLUTE/OUTDIR PREFIX: write copies of TEMPLATE
 * (any valid 64-bit ELF program, ET_EXEC or ET_DYN, static or dynamic) with
 * PT_LOADs the kernel accepts and that a linker seldom writes, into OUTDIR
 * as PREFIX-CASE, mode 0755, and print their names.  Each runs under the
 * kernel; tests/bad-elf/odd-loads.sh checks that uexec runs it the same:
 *
 *   class-e1     EI_CLASS 0xe1: the kernel reads the file as the class
 *                its e_machine makes it (and so must --compare);
 *   empty-high   a PT_LOAD with no file bytes and no memory, after the
 *                others and far above them, its p_offset past the end of
 *                the file: nothing is mapped for it, but the kernel counts
 *                it in start_data, end_data and the brk, and in an ET_DYN
 *                image's size (total_mapping_size(): the rest given back);
 *   empty-low    (ET_EXEC only) the same at address 0, out of order;
 *   phdr-unmapped  the PT_LOAD that holds the program headers cut short
 *                before them (its memory size kept): since Linux 5.18 the
 *                kernel's AT_PHDR is then the load bias alone;
 *   entry-not-text  (with PT_INTERP only) e_entry 0, in no executable
 *                PT_LOAD: the kernel starts the interpreter, which jumps
 *                there (SIGSEGV, or an interpreter's own message);
 *   no-text      (with PT_INTERP only) no PT_LOAD executable: the
 *                kernel's start_code and end_code are then ~0 and 0 plus
 *                the load bias (SIGSEGV once the interpreter jumps);
 *   align-2^47   (ET_DYN without PT_INTERP only) a p_align of 2^47: the
 *                kernel aligns the mmap area's address down to 0 and maps
 *                the image there, which only a privileged process may.
 *
 * The new PT_LOAD takes the place of a program header the program can do
 * without: the first PT_NOTE, else PT_GNU_EH_FRAME, else PT_GNU_STACK.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE 4096UL

static unsigned char *tmpl;
static size_t tmpl_len;
static const char *outdir, *prefix;

static Elf64_Ehdr *ehdr(unsigned char *b)
{
	return (Elf64_Ehdr *)b;
}

static Elf64_Phdr *phdr(unsigned char *b, int i)
{
	return (Elf64_Phdr *)(b + ehdr(b)->e_phoff) + i;
}

static unsigned char *copy(void)
{
	unsigned char *b = malloc(tmpl_len);

	if (!b) {
		perror("gen-odd-loads: malloc");
		exit(1);
	}
	return memcpy(b, tmpl, tmpl_len);
}

static void emit(const char *name, unsigned char *b)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s-%s", outdir, prefix, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0 || write(fd, b, tmpl_len) != (ssize_t)tmpl_len || close(fd)) {
		fprintf(stderr, "gen-odd-loads: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	printf("%s-%s\n", prefix, name);
	free(b);
}

/* The program header a new PT_LOAD may replace. */
static Elf64_Phdr *spare(unsigned char *b)
{
	static const uint32_t types[] = { PT_NOTE, PT_GNU_EH_FRAME, PT_GNU_STACK };

	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++)
		for (int i = 0; i < ehdr(b)->e_phnum; i++)
			if (phdr(b, i)->p_type == types[t])
				return phdr(b, i);
	fprintf(stderr, "gen-odd-loads: the template has no spare program header\n");
	exit(1);
}

static uint64_t image_end(unsigned char *b)
{
	uint64_t end = 0;

	for (int i = 0; i < ehdr(b)->e_phnum; i++)
		if (phdr(b, i)->p_type == PT_LOAD &&
		    phdr(b, i)->p_vaddr + phdr(b, i)->p_memsz > end)
			end = phdr(b, i)->p_vaddr + phdr(b, i)->p_memsz;
	return end;
}

static void empty_load(const char *name, uint64_t vaddr)
{
	unsigned char *b = copy();
	Elf64_Phdr *p = spare(b);

	memset(p, 0, sizeof(*p));
	p->p_type = PT_LOAD;
	p->p_flags = PF_R | PF_W;
	p->p_offset = tmpl_len + 0x123;		/* past the end, not congruent */
	p->p_vaddr = p->p_paddr = vaddr;
	p->p_align = PAGE;
	emit(name, b);
}

static int has_interp(unsigned char *b)
{
	for (int i = 0; i < ehdr(b)->e_phnum; i++)
		if (phdr(b, i)->p_type == PT_INTERP)
			return 1;
	return 0;
}

static void phdr_unmapped(void)
{
	unsigned char *b = copy();
	uint64_t off = ehdr(b)->e_phoff;

	for (int i = 0; i < ehdr(b)->e_phnum; i++) {
		Elf64_Phdr *p = phdr(b, i);

		if (p->p_type == PT_LOAD && p->p_offset <= off && off < p->p_offset + p->p_filesz) {
			p->p_filesz = off - p->p_offset;
			emit("phdr-unmapped", b);
			return;
		}
	}
	fprintf(stderr, "gen-odd-loads: no PT_LOAD holds the program headers\n");
	exit(1);
}

static void align_2_47(void)
{
	unsigned char *b = copy();

	for (int i = 0; i < ehdr(b)->e_phnum; i++)
		if (phdr(b, i)->p_type == PT_LOAD) {
			phdr(b, i)->p_align = 1UL << 47;
			break;
		}
	emit("align-2^47", b);
}

static void read_template(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "gen-odd-loads: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	tmpl_len = (size_t)st.st_size;
	tmpl = malloc(tmpl_len);
	if (!tmpl || read(fd, tmpl, tmpl_len) != (ssize_t)tmpl_len) {
		fprintf(stderr, "gen-odd-loads: %s: short read\n", path);
		exit(1);
	}
	close(fd);
	if (tmpl_len < sizeof(Elf64_Ehdr) || memcmp(tmpl, ELFMAG, SELFMAG) ||
	    tmpl[EI_CLASS] != ELFCLASS64 ||
	    (ehdr(tmpl)->e_type != ET_EXEC && ehdr(tmpl)->e_type != ET_DYN) ||
	    ehdr(tmpl)->e_phentsize != sizeof(Elf64_Phdr) ||
	    ehdr(tmpl)->e_phoff + ehdr(tmpl)->e_phnum * sizeof(Elf64_Phdr) > tmpl_len) {
		fprintf(stderr, "gen-odd-loads: %s: not a 64-bit ELF program\n", path);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	unsigned char *b;

	if (argc != 4 || argv[2][0] != '/' || !argv[3][0]) {
		fprintf(stderr, "usage: gen-odd-loads TEMPLATE /ABSOLUTE/OUTDIR PREFIX\n");
		return 2;
	}
	outdir = argv[2];
	prefix = argv[3];
	read_template(argv[1]);
	b = copy();
	b[EI_CLASS] = 0xe1;
	emit("class-e1", b);
	empty_load("empty-high", (image_end(tmpl) + 17 * PAGE) & ~(PAGE - 1));
	if (ehdr(tmpl)->e_type == ET_EXEC)
		empty_load("empty-low", 0);
	phdr_unmapped();
	if (has_interp(tmpl)) {
		b = copy();
		ehdr(b)->e_entry = 0;
		emit("entry-not-text", b);
		b = copy();
		for (int i = 0; i < ehdr(b)->e_phnum; i++)
			if (phdr(b, i)->p_type == PT_LOAD)
				phdr(b, i)->p_flags &= ~PF_X;
		emit("no-text", b);
	}
	if (ehdr(tmpl)->e_type == ET_DYN && !has_interp(tmpl))
		align_2_47();
	return 0;
}
