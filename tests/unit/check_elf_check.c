/* SPDX-License-Identifier: MIT */
/*
 * elf_check.c: the identification, the ELF header and the program headers
 * of made-up files.  Every test starts from a valid header or layout and
 * breaks one thing.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "archdep.h"
#include "elf_check.h"
#include "elf_read.h"
#include "kversion.h"
#include "unit.h"

#define PG UEXEC_PAGE_SIZE
/* A 64-bit machine that is not this one. */
#define OTHER_MACHINE (UEXEC_ELF_MACHINE == EM_AARCH64 ? EM_X86_64 : EM_AARCH64)

static char err[512];

static void clear_err(void)
{
	memset(err, 0, sizeof(err));
}

/* ------------------------------------------------------------------ */
/* uexec_elf_check_ident */

/* The first 64 bytes of a valid ELF file of this machine. */
static void make_ident(unsigned char *buf, size_t len)
{
	memset(buf, 0, len);
	memcpy(buf, ELFMAG, SELFMAG);
	buf[EI_CLASS] = ELFCLASS64;
	buf[EI_DATA] = ELFDATA2LSB;
	buf[EI_VERSION] = EV_CURRENT;
	buf[EI_OSABI] = ELFOSABI_SYSV;
	buf[16] = ET_EXEC;		/* e_type, little-endian */
	buf[18] = UEXEC_ELF_MACHINE;	/* e_machine (< 256 on both machines) */
	buf[20] = EV_CURRENT;		/* e_version */
}

START_TEST(ident_valid)
{
	unsigned char buf[64];

	make_ident(buf, sizeof(buf));
	clear_err();
	ck_assert_int_eq(uexec_elf_check_ident(buf, sizeof(buf), err, sizeof(err)), 0);
}
END_TEST

START_TEST(ident_not_elf)
{
	static const unsigned char script[] = "#!/bin/sh\necho hello\n";
	unsigned char buf[64];

	clear_err();
	ck_assert_int_eq(uexec_elf_check_ident(script, sizeof(script) - 1, err,
					       sizeof(err)), -ENOEXEC);
	ck_assert_msg(err[0] == 0, "a reason was written for a non-ELF file: %s", err);

	/* Three bytes of the magic are not ELF either. */
	make_ident(buf, sizeof(buf));
	ck_assert_int_eq(uexec_elf_check_ident(buf, 3, err, sizeof(err)), -ENOEXEC);
	ck_assert_msg(err[0] == 0, "a reason was written for 3 bytes: %s", err);

	/* An empty file. */
	ck_assert_int_eq(uexec_elf_check_ident(buf, 0, err, sizeof(err)), -ENOEXEC);
	ck_assert_msg(err[0] == 0, "a reason was written for 0 bytes: %s", err);

	/* One wrong byte of the magic. */
	buf[3] = 'f';
	ck_assert_int_eq(uexec_elf_check_ident(buf, sizeof(buf), err, sizeof(err)),
			 -ENOEXEC);
	ck_assert_msg(err[0] == 0, "a reason was written for a bad magic: %s", err);
}
END_TEST

START_TEST(ident_short)
{
	unsigned char buf[64];

	make_ident(buf, sizeof(buf));
	for (size_t len = SELFMAG; len < EI_NIDENT; len++) {
		clear_err();
		ck_assert_msg(uexec_elf_check_ident(buf, len, err, sizeof(err)) == -ENOEXEC,
			      "an ELF ident of %zu bytes was accepted", len);
		ck_assert_msg(err[0] != 0, "no reason for an ident of %zu bytes", len);
	}
}
END_TEST

/* A valid ident with byte AT set to VAL (and byte AT2 to VAL2) is refused
 * as ELF this machine does not run: -ENOEXEC, with a reason. */
static void ck_ident_refused(size_t at, unsigned char val, size_t at2,
			     unsigned char val2)
{
	unsigned char buf[64];

	make_ident(buf, sizeof(buf));
	buf[at] = val;
	buf[at2] = val2;
	clear_err();
	ck_assert_int_eq(uexec_elf_check_ident(buf, sizeof(buf), err, sizeof(err)),
			 -ENOEXEC);
	ck_assert_msg(err[0] != 0, "byte %zu = %u refused without a reason", at, val);
}

static void ck_ident_taken(size_t at, unsigned char val);

START_TEST(ident_32bit)
{
	unsigned char buf[64];

	/* x86_64: i386 is the compat ABI, as in the kernel; x32 (ELFCLASS32
	 * with EM_X86_64) is not run.  aarch64: an EM_AARCH64 file is read
	 * with the 64-bit structs whatever its EI_CLASS says (the kernel has
	 * no ILP32), and AArch32 (EM_ARM) is refused (README). */
	if (UEXEC_ELF_MACHINE == EM_X86_64) {
		make_ident(buf, sizeof(buf));
		buf[EI_CLASS] = ELFCLASS32;
		buf[18] = EM_386;
		clear_err();
		ck_assert_int_eq(uexec_elf_check_ident(buf, sizeof(buf), err, sizeof(err)), 0);
		ck_ident_refused(EI_CLASS, ELFCLASS32, 18, EM_X86_64);
		ck_assert_msg(strstr(err, "32-bit") != NULL, "reason: \"%s\"", err);
	} else {
		ck_ident_taken(EI_CLASS, ELFCLASS32);
	}
	/* A 32-bit ELF of another machine. */
	ck_ident_refused(EI_CLASS, ELFCLASS32, 18, EM_ARM);
	ck_assert_msg(strstr(err, UEXEC_ELF_MACHINE == EM_AARCH64 ? "AArch32" : "32-bit") != NULL,
		      "reason: \"%s\"", err);
}
END_TEST

/* A valid ident with byte AT set to VAL is taken, as the kernel takes it
 * (it looks at no byte of e_ident but the magic: tests/bad-elf/
 * kernel-accepts.sh runs such files natively and under uexec). */
static void ck_ident_taken(size_t at, unsigned char val)
{
	unsigned char buf[64];

	make_ident(buf, sizeof(buf));
	buf[at] = val;
	clear_err();
	ck_assert_msg(uexec_elf_check_ident(buf, sizeof(buf), err, sizeof(err)) == 0,
		      "byte %zu = %u refused: %s", at, val, err);
}

START_TEST(ident_class_ignored)
{
	ck_ident_taken(EI_CLASS, ELFCLASSNONE);
	ck_ident_taken(EI_CLASS, 7);
}
END_TEST

START_TEST(ident_byte_order_ignored)
{
	unsigned char buf[64];
	GElf_Ehdr eh;

	ck_ident_taken(EI_DATA, ELFDATA2MSB);
	ck_ident_taken(EI_DATA, ELFDATANONE);
	/* Read in the machine's order, a big-endian e_machine of this
	 * machine is its number << 8: another machine, refused with the whole
	 * header. */
	make_ident(buf, sizeof(buf));
	buf[EI_DATA] = ELFDATA2MSB;
	buf[18] = 0;
	buf[19] = UEXEC_ELF_MACHINE;
	buf[54] = sizeof(Elf64_Phdr);
	buf[56] = 1;
	clear_err();
	ck_assert_int_eq(uexec_elf_read_ehdr(buf, sizeof(buf), &eh, err, sizeof(err)), 0);
	ck_assert_uint_eq(eh.e_machine, UEXEC_ELF_MACHINE << 8);
	ck_assert_int_eq(uexec_elf_check_ehdr(&eh, (off_t)1 << 20, err, sizeof(err)),
			 -ENOEXEC);
	ck_assert_msg(strstr(err, "machine") != NULL, "reason: \"%s\"", err);
}
END_TEST

START_TEST(ident_version_ignored)
{
	ck_ident_taken(EI_VERSION, EV_NONE);
	ck_ident_taken(EI_VERSION, 2);
}
END_TEST

/* ------------------------------------------------------------------ */
/* uexec_elf_check_ehdr */

#define FILE_SIZE ((off_t)0x10000)

static GElf_Ehdr valid_ehdr(void)
{
	GElf_Ehdr eh;

	memset(&eh, 0, sizeof(eh));
	make_ident(eh.e_ident, EI_NIDENT);
	eh.e_type = ET_EXEC;
	eh.e_machine = UEXEC_ELF_MACHINE;
	eh.e_version = EV_CURRENT;
	eh.e_entry = 0x401000;
	eh.e_phoff = sizeof(Elf64_Ehdr);
	eh.e_ehsize = sizeof(Elf64_Ehdr);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = 4;
	eh.e_shentsize = sizeof(Elf64_Shdr);
	return eh;
}

/* Expect the header to be refused as not executable here, with a reason. */
#define ck_ehdr_refused(eh, size) do {						\
	clear_err();								\
	ck_assert_int_eq(uexec_elf_check_ehdr(&(eh), (size), err, sizeof(err)),	\
			 -ENOEXEC);						\
	ck_assert_msg(err[0] != 0, "refused without a reason");			\
} while (0)

START_TEST(ehdr_valid)
{
	GElf_Ehdr eh = valid_ehdr();

	clear_err();
	ck_assert_int_eq(uexec_elf_check_ehdr(&eh, FILE_SIZE, err, sizeof(err)), 0);
	eh.e_type = ET_DYN;
	ck_assert_int_eq(uexec_elf_check_ehdr(&eh, FILE_SIZE, err, sizeof(err)), 0);
	/* The table may end exactly at the end of the file. */
	eh.e_phoff = (uint64_t)FILE_SIZE - 4 * sizeof(Elf64_Phdr);
	ck_assert_int_eq(uexec_elf_check_ehdr(&eh, FILE_SIZE, err, sizeof(err)), 0);
}
END_TEST

START_TEST(ehdr_not_executable_type)
{
	GElf_Ehdr eh = valid_ehdr();

	eh.e_type = ET_REL;
	ck_ehdr_refused(eh, FILE_SIZE);
	eh.e_type = ET_CORE;
	ck_ehdr_refused(eh, FILE_SIZE);
	eh.e_type = ET_NONE;
	ck_ehdr_refused(eh, FILE_SIZE);
}
END_TEST

START_TEST(ehdr_wrong_machine)
{
	GElf_Ehdr eh = valid_ehdr();

	eh.e_machine = OTHER_MACHINE;
	ck_ehdr_refused(eh, FILE_SIZE);
	eh.e_machine = EM_386;
	ck_ehdr_refused(eh, FILE_SIZE);
}
END_TEST

START_TEST(ehdr_phentsize)
{
	GElf_Ehdr eh = valid_ehdr();

	eh.e_phentsize = sizeof(Elf32_Phdr);
	ck_ehdr_refused(eh, FILE_SIZE);
	eh.e_phentsize = sizeof(Elf64_Phdr) + 8;
	ck_ehdr_refused(eh, FILE_SIZE);
	eh.e_phentsize = 0;
	ck_ehdr_refused(eh, FILE_SIZE);
}
END_TEST

START_TEST(ehdr_phnum_zero_or_xnum)
{
	GElf_Ehdr eh = valid_ehdr();

	eh.e_phnum = 0;
	ck_ehdr_refused(eh, FILE_SIZE);
	/* PN_XNUM: the real count is in section 0, which the kernel ignores. */
	eh.e_phnum = PN_XNUM;
	ck_ehdr_refused(eh, (off_t)1 << 30);
}
END_TEST

START_TEST(ehdr_phdrs_beyond_file)
{
	GElf_Ehdr eh = valid_ehdr();

	/* The last entry sticks out by one byte. */
	eh.e_phoff = (uint64_t)FILE_SIZE - 4 * sizeof(Elf64_Phdr) + 1;
	ck_ehdr_refused(eh, FILE_SIZE);
	/* Starts at the end of the file. */
	eh.e_phoff = (uint64_t)FILE_SIZE;
	ck_ehdr_refused(eh, FILE_SIZE);
	/* A file shorter than the ELF header itself. */
	eh.e_phoff = sizeof(Elf64_Ehdr);
	ck_ehdr_refused(eh, 100);
}
END_TEST

START_TEST(ehdr_phoff_overflow)
{
	GElf_Ehdr eh = valid_ehdr();

	/* e_phoff + e_phnum * 56 wraps around to a small number. */
	eh.e_phoff = UINT64_MAX - sizeof(Elf64_Phdr) + 1;
	ck_ehdr_refused(eh, FILE_SIZE);
	eh.e_phoff = UINT64_MAX;
	ck_ehdr_refused(eh, FILE_SIZE);
	eh.e_phoff = (uint64_t)INT64_MAX + 1;
	ck_ehdr_refused(eh, FILE_SIZE);
}
END_TEST

START_TEST(ehdr_too_many_phdrs)
{
	GElf_Ehdr eh = valid_ehdr();

	/* 2000 * 56 bytes: more than any kernel reads (65536). */
	eh.e_phnum = 2000;
	ck_ehdr_refused(eh, (off_t)1 << 30);
	eh.e_phnum = PN_XNUM - 1;
	ck_ehdr_refused(eh, (off_t)1 << 30);
	/* 73 * 56 = 4088 bytes fits every kernel's limit (a page, before 6.17). */
	eh.e_phnum = 73;
	clear_err();
	ck_assert_int_eq(uexec_elf_check_ehdr(&eh, (off_t)1 << 30, err, sizeof(err)), 0);
	/* 1171 * 56 bytes > 65536: Linux 6.18 refuses it (kernel-accepts.sh). */
	eh.e_phnum = 1171;
	ck_ehdr_refused(eh, (off_t)1 << 30);
}
END_TEST

static int version_6_16(void) { return UEXEC_KVERSION(6, 16); }
static int version_6_17(void) { return UEXEC_KVERSION(6, 17); }
static int version_4_19(void) { return UEXEC_KVERSION(4, 19); }
static int version_unknown(void) { return 0; }
static int version_not_asked(void)
{
	ck_abort_msg("the kernel's version was asked for a table of at most a page");
	return 0;
}

/*
 * load_elf_phdrs() reads up to 64 KiB of program headers; before Linux
 * 6.17 they also had to fit in ELF_MIN_ALIGN, a page (measured on 6.1:
 * 74 entries refused; on 6.18: 74, 1000 and 1170 entries run, 1171 do
 * not: tests/bad-elf/kernel-accepts.sh).  uexec takes what the running
 * kernel takes.
 */
START_TEST(ehdr_phdrs_over_elf_min_align)
{
	GElf_Ehdr eh = valid_ehdr();
	size_t n = PG / sizeof(Elf64_Phdr) + 1;	/* just over a page */

	eh.e_phnum = (uint16_t)(PG / sizeof(Elf64_Phdr));
	ck_assert_int_eq(uexec_elf_check_phdrs_size(&eh, version_not_asked, err,
						    sizeof(err)), 0);
	if (n * sizeof(Elf64_Phdr) <= 65536) {
		eh.e_phnum = (uint16_t)n;
		ck_assert_int_eq(uexec_elf_check_phdrs_size(&eh, version_6_17, err, sizeof(err)), 0);
		ck_assert_int_eq(uexec_elf_check_phdrs_size(&eh, version_unknown, err,
							    sizeof(err)), 0);
		clear_err();
		ck_assert_int_eq(uexec_elf_check_phdrs_size(&eh, version_6_16, err, sizeof(err)),
				 -ENOEXEC);
		ck_assert_msg(strstr(err, "more than a page for Linux 6.16") != NULL,
			      "reason: \"%s\"", err);
		ck_assert_int_eq(uexec_elf_check_phdrs_size(&eh, version_4_19, err, sizeof(err)),
				 -ENOEXEC);
	}
	eh.e_phnum = 1170;	/* 65520 bytes */
	ck_assert_int_eq(uexec_elf_check_phdrs_size(&eh, version_6_17, err, sizeof(err)), 0);
	eh.e_phnum = 1171;
	ck_assert_int_eq(uexec_elf_check_phdrs_size(&eh, version_6_17, err, sizeof(err)),
			 -ENOEXEC);
	/* The header as this kernel takes it; e_ehsize is not looked at. */
	eh.e_phnum = 74;	/* 4144 bytes */
	eh.e_ehsize = 0;
	ck_assert_int_eq(uexec_elf_check_ehdr(&eh, (off_t)1 << 30, err, sizeof(err)),
			 74 * sizeof(Elf64_Phdr) <= PG ||
			 uexec_kernel_version() >= UEXEC_KVERSION(6, 17) ? 0 : -ENOEXEC);
}
END_TEST

START_TEST(kernel_version_parse)
{
	ck_assert_int_eq(uexec_kernel_version_of("6.1.0-57-arm64"), 6001);
	ck_assert_int_eq(uexec_kernel_version_of("6.18.2"), 6018);
	ck_assert_int_eq(uexec_kernel_version_of("4.19"), 4019);
	ck_assert_int_eq(uexec_kernel_version_of("5"), 5000);
	ck_assert_int_eq(uexec_kernel_version_of(""), 0);
	ck_assert_int_eq(uexec_kernel_version_of("x6.1"), 0);
	ck_assert_int_eq(uexec_kernel_version_of("6.1000"), 0);
	ck_assert_int_gt(uexec_kernel_version(), UEXEC_KVERSION(2, 6));
}
END_TEST

/* ------------------------------------------------------------------ */
/* uexec_elf_check_phdrs */

static GElf_Phdr phdr(uint32_t type, uint32_t flags, uint64_t off,
		      uint64_t vaddr, uint64_t filesz, uint64_t memsz,
		      uint64_t align)
{
	GElf_Phdr p = {
		.p_type = type, .p_flags = flags, .p_offset = off,
		.p_vaddr = vaddr, .p_paddr = vaddr, .p_filesz = filesz,
		.p_memsz = memsz, .p_align = align,
	};

	return p;
}

/* A static ET_EXEC: PHDR, R, RX, RW with bss, GNU_STACK, laid out in the
 * machine's pages as a linker lays it out (PG: 4 KiB on x86_64, the running
 * kernel's on aarch64), so that only the change a test makes is wrong. */
#define S_BASE 0x400000UL			/* R */
#define S_TEXT (S_BASE + PG)			/* RX, at file offset PG */
#define S_TEXT_SIZE 0x2345UL
#define S_DATA_OFF (4 * PG + 0xe10)		/* RW: 0x200 file bytes */
#define S_DATA (S_BASE + 5 * PG + 0xe10)	/* and 0x3000 in memory */
#define STATIC_FILE_SIZE ((off_t)(6 * PG))
#define STATIC_N 5

static void static_layout(GElf_Ehdr *eh, GElf_Phdr ph[STATIC_N])
{
	*eh = valid_ehdr();
	eh->e_entry = S_TEXT + 0x20;
	eh->e_phnum = STATIC_N;
	ph[0] = phdr(PT_PHDR, PF_R, 64, S_BASE + 64, 5 * 56, 5 * 56, 8);
	ph[1] = phdr(PT_LOAD, PF_R, 0, S_BASE, 0x500, 0x500, PG);
	ph[2] = phdr(PT_LOAD, PF_R | PF_X, PG, S_TEXT, S_TEXT_SIZE, S_TEXT_SIZE, PG);
	ph[3] = phdr(PT_LOAD, PF_R | PF_W, S_DATA_OFF, S_DATA, 0x200, 0x3000, PG);
	ph[4] = phdr(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);
}

/* A PIE: R at 0, RX, RW; a 2 MiB p_align, and a bigger one that is not a
 * power of two (which does not count). */
#define P_DATA_OFF (4 * PG + 0xde8)
#define P_DATA (0x200000 + PG + P_DATA_OFF)
#define PIE_FILE_SIZE ((off_t)(9 * PG))
#define PIE_N 4

static void pie_layout(GElf_Ehdr *eh, GElf_Phdr ph[PIE_N])
{
	*eh = valid_ehdr();
	eh->e_type = ET_DYN;
	eh->e_entry = PG + 0x40;
	eh->e_phnum = PIE_N;
	ph[0] = phdr(PT_LOAD, PF_R, 0, 0, 0x800, 0x800, PG);
	ph[1] = phdr(PT_LOAD, PF_R | PF_X, PG, PG, 0x3000, 0x3000, 0x200000);
	ph[2] = phdr(PT_LOAD, PF_R | PF_W, P_DATA_OFF, P_DATA, 0x400, 0x10a18, 0x300000);
	ph[3] = phdr(PT_DYNAMIC, PF_R | PF_W, P_DATA_OFF + 0x18, P_DATA + 0x18, 0x100, 0x100, 8);
}

/* The headers of an image the exec jumps to: its program headers, then
 * its entry point. */
static int check_phdrs(const GElf_Ehdr *eh, const GElf_Phdr *ph, size_t n,
		       off_t size, struct uexec_elf_extent *ext)
{
	int ret;

	clear_err();
	memset(ext, 0xa5, sizeof(*ext));
	ret = uexec_elf_check_phdrs(eh, ph, n, size, ext, err, sizeof(err));
	return ret ? ret : uexec_elf_check_entry(eh->e_entry, ext->entry_ok, err, sizeof(err));
}

/* Expect the layout to be refused, with a reason. */
#define ck_phdrs_refused(eh, ph, n, size) do {					\
	struct uexec_elf_extent ext_;						\
	int ret_ = check_phdrs(&(eh), (ph), (n), (size), &ext_);		\
	ck_assert_msg(ret_ < 0, "layout accepted (returned %d)", ret_);		\
	ck_assert_msg(err[0] != 0, "refused (%d) without a reason", ret_);	\
} while (0)

START_TEST(phdrs_valid_static)
{
	GElf_Ehdr eh;
	GElf_Phdr ph[STATIC_N];
	struct uexec_elf_extent ext;

	static_layout(&eh, ph);
	ck_assert_int_eq(check_phdrs(&eh, ph, STATIC_N, STATIC_FILE_SIZE, &ext), 0);
	ck_assert_uint_eq(ext.lo, S_BASE);
	ck_assert_uint_eq(ext.hi, uexec_page_align(S_DATA + 0x3000));	/* 0x409000 */
	ck_assert_uint_eq(ext.max_align, PG);
	ck_assert_uint_eq(ext.nload, 3);
}
END_TEST

START_TEST(phdrs_valid_pie)
{
	GElf_Ehdr eh;
	GElf_Phdr ph[PIE_N];
	struct uexec_elf_extent ext;

	pie_layout(&eh, ph);
	ck_assert_int_eq(check_phdrs(&eh, ph, PIE_N, PIE_FILE_SIZE, &ext), 0);
	ck_assert_uint_eq(ext.lo, 0);
	ck_assert_uint_eq(ext.hi, uexec_page_align(P_DATA + 0x10a18));	/* 0x217000 */
	ck_assert_uint_eq(ext.max_align, 0x200000);
	ck_assert_uint_eq(ext.nload, 3);
}
END_TEST

START_TEST(phdrs_unaligned_extent)
{
	GElf_Ehdr eh;
	GElf_Phdr ph[STATIC_N];
	struct uexec_elf_extent ext;

	/* The first PT_LOAD starts inside a page: lo is rounded down. */
	static_layout(&eh, ph);
	ph[1] = phdr(PT_LOAD, PF_R, 0x123, S_BASE + 0x123, 0x300, 0x300, PG);
	ck_assert_int_eq(check_phdrs(&eh, ph, STATIC_N, STATIC_FILE_SIZE, &ext), 0);
	ck_assert_uint_eq(ext.lo, S_BASE);
	ck_assert_uint_eq(ext.hi, uexec_page_align(S_DATA + 0x3000));
	ck_assert_uint_eq(ext.lo % PG, 0);
	ck_assert_uint_eq(ext.hi % PG, 0);
}
END_TEST

START_TEST(phdrs_filesz_gt_memsz)
{
	GElf_Ehdr eh;
	GElf_Phdr ph[STATIC_N];

	static_layout(&eh, ph);
	ph[3].p_memsz = ph[3].p_filesz - 1;
	ck_phdrs_refused(eh, ph, STATIC_N, STATIC_FILE_SIZE);
}
END_TEST

START_TEST(phdrs_file_range_beyond_eof)
{
	GElf_Ehdr eh;
	GElf_Phdr ph[STATIC_N];
	struct uexec_elf_extent ext;

	/* Exactly at the end of the file is fine... */
	static_layout(&eh, ph);
	ph[3].p_filesz = (uint64_t)STATIC_FILE_SIZE - ph[3].p_offset;
	ph[3].p_memsz = ph[3].p_filesz + 0x3000;
	ck_assert_int_eq(check_phdrs(&eh, ph, STATIC_N, STATIC_FILE_SIZE, &ext), 0);
	/* ... one byte more is not. */
	ph[3].p_filesz++;
	ck_phdrs_refused(eh, ph, STATIC_N, STATIC_FILE_SIZE);

	/* An offset past the end with no file bytes at all is not either. */
	static_layout(&eh, ph);
	ph[3].p_offset = (uint64_t)STATIC_FILE_SIZE + PG + 0xe10;	/* congruent */
	ph[3].p_filesz = 0x10;
	ck_phdrs_refused(eh, ph, STATIC_N, STATIC_FILE_SIZE);
}
END_TEST

START_TEST(phdrs_file_range_overflow)
{
	GElf_Ehdr eh;
	GElf_Phdr ph[STATIC_N];

	/* p_offset + p_filesz wraps to a small number. */
	static_layout(&eh, ph);
	ph[3].p_offset = UINT64_MAX - (PG - 1) + 0xe10;	/* congruent with S_DATA */
	ph[3].p_filesz = 0x2000;
	ph[3].p_memsz = 0x3000;
	ck_phdrs_refused(eh, ph, STATIC_N, STATIC_FILE_SIZE);

	/* A small offset and a huge p_filesz (memsz as big). */
	static_layout(&eh, ph);
	ph[3].p_filesz = UINT64_MAX - S_DATA_OFF + 0x100;
	ph[3].p_memsz = ph[3].p_filesz;
	ck_phdrs_refused(eh, ph, STATIC_N, STATIC_FILE_SIZE);
}
END_TEST

START_TEST(phdrs_vaddr_overflow)
{
	GElf_Ehdr eh;
	GElf_Phdr ph[STATIC_N];

	/* p_vaddr + p_memsz wraps around. */
	static_layout(&eh, ph);
	ph[3].p_memsz = UINT64_MAX - S_DATA + 0x1000;
	ck_phdrs_refused(eh, ph, STATIC_N, STATIC_FILE_SIZE);
	/* A p_vaddr in the kernel's half. */
	static_layout(&eh, ph);
	ph[3].p_vaddr = 0xffffffff80000e10ULL;	/* congruent with S_DATA_OFF */
	ck_phdrs_refused(eh, ph, STATIC_N, STATIC_FILE_SIZE);
}
END_TEST

START_TEST(phdrs_beyond_task_size)
{
	GElf_Ehdr eh;
	GElf_Phdr ph[STATIC_N];

	/* The bss ends beyond TASK_SIZE. */
	static_layout(&eh, ph);
	ph[3].p_vaddr = UEXEC_TASK_SIZE - PG + 0xe10;
	ph[3].p_memsz = PG;
	ck_phdrs_refused(eh, ph, STATIC_N, STATIC_FILE_SIZE);
	/* Starts at TASK_SIZE. */
	static_layout(&eh, ph);
	ph[3].p_vaddr = UEXEC_TASK_SIZE + 0xe10;
	ck_phdrs_refused(eh, ph, STATIC_N, STATIC_FILE_SIZE);
	/* A p_memsz larger than the whole address space. */
	static_layout(&eh, ph);
	ph[3].p_memsz = UEXEC_TASK_SIZE + 1;
	ck_phdrs_refused(eh, ph, STATIC_N, STATIC_FILE_SIZE);
}
END_TEST

START_TEST(phdrs_incongruent)
{
	GElf_Ehdr eh;
	GElf_Phdr ph[STATIC_N];

	static_layout(&eh, ph);
	ph[2].p_vaddr = S_TEXT + 0x10;	/* p_offset PG */
	eh.e_entry = S_TEXT + 0x20;
	ck_phdrs_refused(eh, ph, STATIC_N, STATIC_FILE_SIZE);
}
END_TEST

START_TEST(phdrs_unsorted)
{
	GElf_Ehdr eh;
	GElf_Phdr ph[STATIC_N], tmp;

	static_layout(&eh, ph);
	tmp = ph[2];
	ph[2] = ph[3];
	ph[3] = tmp;
	ck_phdrs_refused(eh, ph, STATIC_N, STATIC_FILE_SIZE);
}
END_TEST

/* A PT_LOAD that maps nothing (no file bytes, no memory) after the first:
 * the kernel maps nothing for it, so its order and p_offset do not matter;
 * an ET_DYN image is still sized by it, and placed by its first. */
START_TEST(phdrs_load_maps_nothing)
{
	GElf_Ehdr eh;
	GElf_Phdr ph[STATIC_N + 1];
	GElf_Phdr pp[PIE_N + 1];
	struct uexec_elf_extent ext;

	/* ET_EXEC: at 0 after the others, at an offset past the end of the
	 * file, not congruent: taken, and not part of the extent. */
	static_layout(&eh, ph);
	ph[STATIC_N] = phdr(PT_LOAD, PF_R | PF_W, (uint64_t)STATIC_FILE_SIZE + 0x123, 0, 0, 0, PG);
	eh.e_phnum = STATIC_N + 1;
	ck_assert_int_eq(check_phdrs(&eh, ph, STATIC_N + 1, STATIC_FILE_SIZE, &ext), 0);
	ck_assert_uint_eq(ext.lo, S_BASE);
	ck_assert_uint_eq(ext.hi, uexec_page_align(S_DATA + 0x3000));
	ck_assert_uint_eq(ext.nload, 4);
	/* Beyond TASK_SIZE it is refused, as the kernel's BAD_ADDR() does. */
	ph[STATIC_N].p_vaddr = UEXEC_TASK_SIZE;
	ck_phdrs_refused(eh, ph, STATIC_N + 1, STATIC_FILE_SIZE);
	/* With memory it is an unsorted segment again. */
	ph[STATIC_N] = phdr(PT_LOAD, PF_R | PF_W, 0, 0, 0, 0x10, PG);
	ck_phdrs_refused(eh, ph, STATIC_N + 1, STATIC_FILE_SIZE);
	/* As the first PT_LOAD it is checked as any. */
	static_layout(&eh, ph);
	ph[1] = phdr(PT_LOAD, PF_R, (uint64_t)STATIC_FILE_SIZE + 0x123, S_BASE, 0, 0, PG);
	ck_phdrs_refused(eh, ph, STATIC_N, STATIC_FILE_SIZE);

	/* ET_DYN: above the others it ends the extent... */
	pie_layout(&eh, pp);
	pp[PIE_N] = phdr(PT_LOAD, PF_R, 0, 0x800000, 0, 0, PG);
	eh.e_phnum = PIE_N + 1;
	ck_assert_int_eq(check_phdrs(&eh, pp, PIE_N + 1, PIE_FILE_SIZE, &ext), 0);
	ck_assert_uint_eq(ext.lo, 0);
	ck_assert_uint_eq(ext.hi, 0x800000);
	/* ... below the first it is refused (the kernel places the image by
	 * the first and sizes it from the lowest). */
	for (size_t i = 0; i < PIE_N; i++)
		pp[i].p_vaddr += 0x10000;
	pp[PIE_N] = phdr(PT_LOAD, PF_R, 0, 0x8000, 0, 0, PG);
	eh.e_entry += 0x10000;
	ck_assert_int_eq(check_phdrs(&eh, pp, PIE_N, PIE_FILE_SIZE, &ext), 0);
	ck_phdrs_refused(eh, pp, PIE_N + 1, PIE_FILE_SIZE);
	ck_assert_msg(strstr(err, "below the first one"), "reason: %s", err);
}
END_TEST

START_TEST(phdrs_no_load)
{
	GElf_Ehdr eh;
	GElf_Phdr ph[STATIC_N];

	static_layout(&eh, ph);
	for (size_t i = 0; i < STATIC_N; i++)
		if (ph[i].p_type == PT_LOAD)
			ph[i].p_type = PT_NOTE;
	ck_phdrs_refused(eh, ph, STATIC_N, STATIC_FILE_SIZE);
	/* No program header at all. */
	ck_phdrs_refused(eh, ph, 0, STATIC_FILE_SIZE);
}
END_TEST

START_TEST(phdrs_entry_outside)
{
	GElf_Ehdr eh;
	GElf_Phdr ph[STATIC_N];

	static_layout(&eh, ph);
	eh.e_entry = uexec_page_align(S_DATA + 0x3000) + PG;
	ck_phdrs_refused(eh, ph, STATIC_N, STATIC_FILE_SIZE);
	/* The first byte after the executable segment. */
	eh.e_entry = S_TEXT + S_TEXT_SIZE;
	ck_phdrs_refused(eh, ph, STATIC_N, STATIC_FILE_SIZE);
	eh.e_entry = 0;
	ck_phdrs_refused(eh, ph, STATIC_N, STATIC_FILE_SIZE);
}
END_TEST

/* The program headers alone accept any entry point (a program with an
 * interpreter is started at the interpreter's) and say where it lies. */
START_TEST(phdrs_entry_only_noted)
{
	GElf_Ehdr eh;
	GElf_Phdr ph[STATIC_N];
	struct uexec_elf_extent ext;

	static_layout(&eh, ph);
	eh.e_entry = 0;
	memset(&ext, 0xa5, sizeof(ext));
	ck_assert_int_eq(uexec_elf_check_phdrs(&eh, ph, STATIC_N, STATIC_FILE_SIZE, &ext,
					       err, sizeof(err)), 0);
	ck_assert(!ext.entry_ok);
	eh.e_entry = S_TEXT + 0x20;
	ck_assert_int_eq(uexec_elf_check_phdrs(&eh, ph, STATIC_N, STATIC_FILE_SIZE, &ext,
					       err, sizeof(err)), 0);
	ck_assert(ext.entry_ok);
	ck_assert_int_eq(uexec_elf_check_entry(0x1234, false, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, "entry point 0x1234"), "reason: %s", err);
	ck_assert_int_eq(uexec_elf_check_entry(0x1234, true, err, sizeof(err)), 0);
}
END_TEST

START_TEST(phdrs_entry_not_executable)
{
	GElf_Ehdr eh;
	GElf_Phdr ph[STATIC_N];

	static_layout(&eh, ph);
	eh.e_entry = S_BASE + 0x10;		/* in the R segment */
	ck_phdrs_refused(eh, ph, STATIC_N, STATIC_FILE_SIZE);
	eh.e_entry = S_DATA + 0x1000;		/* in the RW bss */
	ck_phdrs_refused(eh, ph, STATIC_N, STATIC_FILE_SIZE);
}
END_TEST

START_TEST(phdrs_entry_last_byte)
{
	GElf_Ehdr eh;
	GElf_Phdr ph[STATIC_N];
	struct uexec_elf_extent ext;

	static_layout(&eh, ph);
	eh.e_entry = S_TEXT + S_TEXT_SIZE - 1;
	ck_assert_int_eq(check_phdrs(&eh, ph, STATIC_N, STATIC_FILE_SIZE, &ext), 0);
	eh.e_entry = S_TEXT;
	ck_assert_int_eq(check_phdrs(&eh, ph, STATIC_N, STATIC_FILE_SIZE, &ext), 0);
}
END_TEST

Suite *elf_check_suite(bool known_bugs)
{
	Suite *s = suite_create("elf_check");
	TCase *tc;

	tc = tcase_create("ident");
	tcase_add_test(tc, ident_valid);
	tcase_add_test(tc, ident_not_elf);
	tcase_add_test(tc, ident_short);
	tcase_add_test(tc, ident_32bit);
	tcase_add_test(tc, ident_class_ignored);
	tcase_add_test(tc, ident_byte_order_ignored);
	tcase_add_test(tc, ident_version_ignored);
	suite_add_tcase(s, tc);

	tc = tcase_create("ehdr");
	tcase_add_test(tc, ehdr_valid);
	tcase_add_test(tc, ehdr_not_executable_type);
	tcase_add_test(tc, ehdr_wrong_machine);
	tcase_add_test(tc, ehdr_phentsize);
	tcase_add_test(tc, ehdr_phnum_zero_or_xnum);
	tcase_add_test(tc, ehdr_phdrs_beyond_file);
	tcase_add_test(tc, ehdr_phoff_overflow);
	tcase_add_test(tc, ehdr_too_many_phdrs);
	tcase_add_test(tc, ehdr_phdrs_over_elf_min_align);
	tcase_add_test(tc, kernel_version_parse);
	suite_add_tcase(s, tc);

	tc = tcase_create("phdrs");
	tcase_add_test(tc, phdrs_valid_static);
	tcase_add_test(tc, phdrs_valid_pie);
	tcase_add_test(tc, phdrs_unaligned_extent);
	tcase_add_test(tc, phdrs_filesz_gt_memsz);
	tcase_add_test(tc, phdrs_file_range_beyond_eof);
	tcase_add_test(tc, phdrs_file_range_overflow);
	tcase_add_test(tc, phdrs_vaddr_overflow);
	tcase_add_test(tc, phdrs_beyond_task_size);
	tcase_add_test(tc, phdrs_incongruent);
	tcase_add_test(tc, phdrs_unsorted);
	tcase_add_test(tc, phdrs_load_maps_nothing);
	tcase_add_test(tc, phdrs_no_load);
	tcase_add_test(tc, phdrs_entry_outside);
	tcase_add_test(tc, phdrs_entry_only_noted);
	tcase_add_test(tc, phdrs_entry_not_executable);
	tcase_add_test(tc, phdrs_entry_last_byte);
	suite_add_tcase(s, tc);

	(void)known_bugs;	/* none left */
	return s;
}
