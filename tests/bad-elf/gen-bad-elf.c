/* SPDX-License-Identifier: MIT */
/*
 * gen-bad-elf TEMPLATE OUTDIR: write mutated copies of TEMPLATE (a valid,
 * small, static, non-PIE x86_64 or aarch64 ELF with a PT_GNU_STACK header,
 * such as testprogs/tiny) into OUTDIR, one file per case, mode 0755, and print
 * their names.  Each mutant breaks exactly one rule that uexec must
 * enforce before the point of no return; tests/bad-elf/bad-elf.sh says what
 * uexec must answer for each.  OUTDIR must be absolute: PT_INTERP cases
 * name files in it.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE 4096UL

struct image {
	unsigned char *buf;
	size_t len;
};

static const char *outdir;
static struct image tmpl;

static Elf64_Ehdr *ehdr(struct image *im)
{
	return (Elf64_Ehdr *)im->buf;
}

static Elf64_Phdr *phdr(struct image *im, int i)
{
	return (Elf64_Phdr *)(im->buf + ehdr(im)->e_phoff) + i;
}

/* The Nth PT_LOAD (from the end if N < 0), or the first with P_FLAGS. */
static Elf64_Phdr *load_n(struct image *im, int n)
{
	int count = 0, i;

	for (i = 0; i < ehdr(im)->e_phnum; i++)
		count += phdr(im, i)->p_type == PT_LOAD;
	if (n < 0)
		n += count;
	for (i = 0; i < ehdr(im)->e_phnum; i++)
		if (phdr(im, i)->p_type == PT_LOAD && n-- == 0)
			return phdr(im, i);
	fprintf(stderr, "gen-bad-elf: template has too few PT_LOADs\n");
	exit(1);
}

static Elf64_Phdr *exec_load(struct image *im)
{
	for (int i = 0; i < ehdr(im)->e_phnum; i++)
		if (phdr(im, i)->p_type == PT_LOAD && (phdr(im, i)->p_flags & PF_X))
			return phdr(im, i);
	fprintf(stderr, "gen-bad-elf: template has no executable PT_LOAD\n");
	exit(1);
}

static struct image copy_of_template(size_t extra)
{
	struct image im = { malloc(tmpl.len + extra), tmpl.len };

	if (!im.buf) {
		perror("gen-bad-elf: malloc");
		exit(1);
	}
	memcpy(im.buf, tmpl.buf, tmpl.len);
	return im;
}

static void write_file(const char *name, const void *buf, size_t len)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0 || (len && write(fd, buf, len) != (ssize_t)len) || close(fd)) {
		fprintf(stderr, "gen-bad-elf: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	printf("%s\n", name);
}

static void emit(const char *name, struct image *im)
{
	write_file(name, im->buf, im->len);
	free(im->buf);
}

/* Turn the PT_GNU_STACK header into a PT_INTERP of LEN bytes of S,
 * appended to the file. */
static void add_interp(struct image *im, const char *s, size_t len)
{
	for (int i = 0; i < ehdr(im)->e_phnum; i++) {
		Elf64_Phdr *p = phdr(im, i);

		if (p->p_type != PT_GNU_STACK)
			continue;
		memset(p, 0, sizeof(*p));
		p->p_type = PT_INTERP;
		p->p_flags = PF_R;
		p->p_offset = im->len;
		p->p_filesz = len;
		p->p_align = 1;
		memcpy(im->buf + im->len, s, len);
		im->len += len;
		return;
	}
	fprintf(stderr, "gen-bad-elf: template has no PT_GNU_STACK to reuse\n");
	exit(1);
}

static void gen_header_cases(void)
{
	struct image im;

	write_file("trunc20", tmpl.buf, 20);
	write_file("trunc63", tmpl.buf, 63);
	im = copy_of_template(0);
	im.buf[EI_MAG3] = 'X';
	emit("badmagic", &im);
	im = copy_of_template(0);
	im.buf[EI_CLASS] = ELFCLASS32;
	emit("class32", &im);
	im = copy_of_template(0);
	im.buf[EI_DATA] = ELFDATA2MSB;
	emit("msb", &im);
	/* The other machine: aarch64 for an x86_64 template and the reverse. */
	im = copy_of_template(0);
	ehdr(&im)->e_machine = ehdr(&im)->e_machine == EM_AARCH64 ? EM_X86_64 : EM_AARCH64;
	emit("foreign-machine", &im);
	im = copy_of_template(0);
	ehdr(&im)->e_type = ET_REL;
	emit("et-rel", &im);
	im = copy_of_template(0);
	ehdr(&im)->e_type = ET_CORE;
	emit("et-core", &im);
	im = copy_of_template(0);
	ehdr(&im)->e_phentsize = 32;
	emit("phentsize", &im);
	im = copy_of_template(0);
	ehdr(&im)->e_phnum = 0;
	emit("phnum0", &im);
	im = copy_of_template(0);
	ehdr(&im)->e_phoff = im.len - 8;
	emit("phdrs-beyond-eof", &im);
	im = copy_of_template(0);
	ehdr(&im)->e_phoff = 0;
	emit("phoff0", &im);
	im = copy_of_template(0);
	ehdr(&im)->e_entry = 0x10;
	emit("entry-outside", &im);
}

static void gen_load_cases(void)
{
	struct image im;
	Elf64_Phdr *p;

	im = copy_of_template(0);
	p = exec_load(&im);
	p->p_memsz = p->p_filesz - 1;
	emit("filesz-gt-memsz", &im);
	/* Past the user address space: 47 bits on x86_64, at most 52 on arm64. */
	im = copy_of_template(0);
	p = load_n(&im, -1);
	p->p_vaddr = p->p_paddr = (1UL << (ehdr(&im)->e_machine == EM_AARCH64 ? 52 : 47)) |
				  (p->p_offset & (PAGE - 1));
	emit("vaddr-beyond-task-size", &im);
	im = copy_of_template(0);
	p = load_n(&im, -1);
	p->p_memsz = ~0UL - PAGE;
	emit("memsz-wraps", &im);
	im = copy_of_template(0);
	p = exec_load(&im);
	p->p_vaddr += 1;
	p->p_paddr += 1;
	emit("offset-vaddr-incongruent", &im);
	im = copy_of_template(0);
	p = load_n(&im, -1);
	p->p_filesz = p->p_memsz = im.len * 2;
	emit("load-beyond-eof", &im);
	im = copy_of_template(0);
	for (int i = 0; i < ehdr(&im)->e_phnum; i++)
		if (phdr(&im, i)->p_type == PT_LOAD)
			phdr(&im, i)->p_type = PT_NULL;
	emit("no-load", &im);
}

static void gen_interp_cases(void)
{
	static const char missing[] = "/nonexistent/uexec-test/ld.so";
	static const char hostile[] = "/nonexistent/ld.so\nuexec: forged \x1b[31mline\x1b[0m\r";
	char path[4096];
	struct image im;
	int n;

	im = copy_of_template(64);
	add_interp(&im, "/lib64/ld-linux-x86-64.so.2XXXXXXX", 32);
	emit("interp-unterminated", &im);
	im = copy_of_template(sizeof(missing));
	add_interp(&im, missing, sizeof(missing));
	emit("interp-missing", &im);
	/* An empty name: the current directory for the kernel's open_exec(). */
	im = copy_of_template(8);
	add_interp(&im, "\0", 2);	/* at least 2 bytes, as the kernel wants */
	emit("interp-empty", &im);
	n = snprintf(path, sizeof(path), "%s/notelf-interp", outdir);
	write_file("notelf-interp", "#!/bin/sh\necho interp ran\n", 26);
	im = copy_of_template((size_t)n + 1);
	add_interp(&im, path, (size_t)n + 1);
	emit("interp-notelf", &im);
	/* A missing interpreter whose name would forge a second message line
	 * and drive the terminal (tests/bad-elf/hostile-bytes.sh). */
	im = copy_of_template(sizeof(hostile));
	add_interp(&im, hostile, sizeof(hostile));
	emit("interp-hostile", &im);
	/* A missing interpreter and a PT_LOAD that uexec refuses: the kernel
	 * opens PT_INTERP before its point of no return and meets its
	 * PT_LOADs after it, so the missing interpreter is the answer. */
	im = copy_of_template(sizeof(missing));
	add_interp(&im, missing, sizeof(missing));
	exec_load(&im)->p_memsz = exec_load(&im)->p_filesz - 1;
	emit("interp-missing-filesz-gt-memsz", &im);
}

/* Files the kernel starts although their identification or header is odd:
 * it checks only the magic, e_type, e_machine (elf_check_arch) and
 * e_phentsize, and reads the headers in the machine's byte order
 * (tests/bad-elf/kernel-accepts.sh runs each natively and under uexec). */
static void gen_ident_cases(void)
{
	static const struct { const char *name; int at, value; } cases[] = {
		{ "accept-class0", EI_CLASS, ELFCLASSNONE },
		{ "accept-class3", EI_CLASS, 3 },
		{ "accept-msb", EI_DATA, ELFDATA2MSB },
		{ "accept-data0", EI_DATA, ELFDATANONE },
		{ "accept-version0", EI_VERSION, EV_NONE },
	};
	struct image im;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		im = copy_of_template(0);
		im.buf[cases[i].at] = (unsigned char)cases[i].value;
		emit(cases[i].name, &im);
	}
	im = copy_of_template(0);
	ehdr(&im)->e_ehsize = 0;
	emit("accept-ehsize0", &im);
	im = copy_of_template(0);
	ehdr(&im)->e_version = EV_NONE;
	emit("accept-e-version0", &im);
}

/* The template's program headers moved to the end of the file and padded
 * with PT_NULL entries to N of them. */
static void gen_phnum(const char *name, unsigned int n)
{
	size_t off = (tmpl.len + 7) & ~7UL;
	struct image im = copy_of_template(off - tmpl.len + n * sizeof(Elf64_Phdr));
	unsigned int old = ehdr(&im)->e_phnum;

	memset(im.buf + tmpl.len, 0, off - tmpl.len + n * sizeof(Elf64_Phdr));
	memcpy(im.buf + off, im.buf + ehdr(&im)->e_phoff, old * sizeof(Elf64_Phdr));
	ehdr(&im)->e_phoff = off;
	ehdr(&im)->e_phnum = (Elf64_Half)n;
	im.len = off + n * sizeof(Elf64_Phdr);
	emit(name, &im);
}

/* The template moved to ADDR. */
static void move_image(struct image *im, uint64_t to)
{
	uint64_t lo = load_n(im, 0)->p_vaddr & ~(PAGE - 1), delta = to - lo;

	for (int i = 0; i < ehdr(im)->e_phnum; i++) {
		Elf64_Phdr *p = phdr(im, i);

		if (p->p_type == PT_LOAD || p->p_type == PT_PHDR) {
			p->p_vaddr += delta;
			p->p_paddr += delta;
		}
	}
	ehdr(im)->e_entry += delta;
}

/* Where a PIE uexec is loaded when randomisation is off: ELF_ET_DYN_BASE,
 * 2/3 of the default mmap window, down to a page.  x86_64: 47 bits.  arm64:
 * the window is 1 << VA_BITS_MIN, found as uexec finds it (src/arch/aarch64,
 * the power of two at or above the stack top): 48 bits with 4 and 64 KiB
 * pages, 47 on a 16 KiB kernel built for 52 bits (Debian's), whatever
 * TASK_SIZE is. */
static uint64_t collide_addr(void)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), window = 1ULL << 36;
	uintptr_t top = (uintptr_t)getauxval(AT_EXECFN);

	if (ehdr(&tmpl)->e_machine != EM_AARCH64)
		return 0x555555554000ULL;
	if (!top)
		top = (uintptr_t)&page;
	while (window < top && window < (1ULL << 52))
		window <<= 1;
	return (2 * window / 3) & ~(page - 1);
}

/* The template where a PIE uexec sits under setarch -R.  Valid: the kernel
 * runs it. */
static void gen_collision(void)
{
	struct image im = copy_of_template(0);

	move_image(&im, collide_addr());
	emit("collision", &im);
}

/* A PT_INTERP with a NUL inside: the kernel checks only the last byte and
 * opens the string before the first NUL, here the template moved out of
 * the program's way (an ET_EXEC interpreter, run instead of the program). */
static void gen_interp_nul(void)
{
	char path[4096];
	struct image im = copy_of_template(0);
	int n;

	move_image(&im, 0x10000000UL);
	emit("interp-target", &im);
	n = snprintf(path, sizeof(path), "%s/interp-target%cjunk", outdir, 0);
	im = copy_of_template((size_t)n + 1);
	add_interp(&im, path, (size_t)n + 1);
	emit("accept-interp-nul", &im);
	/* The same interpreter, to be made execute-only (mode 0711). */
	im = copy_of_template(0);
	move_image(&im, 0x10000000UL);
	emit("interp-x-only", &im);
	n = snprintf(path, sizeof(path), "%s/interp-x-only", outdir);
	im = copy_of_template((size_t)n + 1);
	add_interp(&im, path, (size_t)n + 1);
	emit("interp-0711", &im);
}

static void read_template(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "gen-bad-elf: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	tmpl.len = (size_t)st.st_size;
	tmpl.buf = malloc(tmpl.len);
	if (!tmpl.buf || read(fd, tmpl.buf, tmpl.len) != (ssize_t)tmpl.len) {
		fprintf(stderr, "gen-bad-elf: %s: short read\n", path);
		exit(1);
	}
	close(fd);
	if (tmpl.len < sizeof(Elf64_Ehdr) || memcmp(tmpl.buf, ELFMAG, SELFMAG) ||
	    ehdr(&tmpl)->e_type != ET_EXEC ||
	    ehdr(&tmpl)->e_phoff + ehdr(&tmpl)->e_phnum * sizeof(Elf64_Phdr) > tmpl.len) {
		fprintf(stderr, "gen-bad-elf: %s: not a static ET_EXEC template\n", path);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	if (argc != 3 || argv[2][0] != '/') {
		fprintf(stderr, "usage: gen-bad-elf TEMPLATE /ABSOLUTE/OUTDIR\n");
		return 2;
	}
	outdir = argv[2];
	read_template(argv[1]);
	gen_header_cases();
	gen_load_cases();
	gen_interp_cases();
	gen_collision();
	gen_ident_cases();
	gen_interp_nul();
	gen_phnum("phnum74", 74);
	gen_phnum("phnum1000", 1000);
	gen_phnum("phnum1170", 1170);
	gen_phnum("phnum1171", 1171);
	return 0;
}
