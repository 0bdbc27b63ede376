/* SPDX-License-Identifier: MIT */
/* no-gnu-stack FILE: turn the PT_GNU_STACK header of a 32- or 64-bit ELF
 * into PT_NULL, in place, so that the program has no PT_GNU_STACK (as old
 * toolchains made them: the kernel then applies its defaults, for i386
 * READ_IMPLIES_EXEC).  Exit 0 when one was changed. */
#include <elf.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned char buf[sizeof(Elf64_Ehdr)];
	const Elf32_Ehdr *e32 = (const Elf32_Ehdr *)buf;
	const Elf64_Ehdr *e64 = (const Elf64_Ehdr *)buf;
	uint64_t phoff;
	unsigned phentsize, phnum, changed = 0;
	uint32_t type, null = PT_NULL;
	int fd;

	if (argc != 2 || (fd = open(argv[1], O_RDWR)) < 0 ||
	    pread(fd, buf, sizeof(buf), 0) != sizeof(buf) || memcmp(buf, ELFMAG, SELFMAG)) {
		fprintf(stderr, "usage: no-gnu-stack ELF-FILE\n");
		return 2;
	}
	if (buf[EI_CLASS] == ELFCLASS32) {
		phoff = e32->e_phoff, phentsize = e32->e_phentsize, phnum = e32->e_phnum;
	} else {
		phoff = e64->e_phoff, phentsize = e64->e_phentsize, phnum = e64->e_phnum;
	}
	/* p_type is the first word of a program header in both classes. */
	for (unsigned i = 0; i < phnum; i++) {
		off_t o = (off_t)(phoff + (uint64_t)i * phentsize);

		if (pread(fd, &type, sizeof(type), o) == sizeof(type) && type == PT_GNU_STACK)
			changed += pwrite(fd, &null, sizeof(null), o) == sizeof(null);
	}
	close(fd);
	return changed ? 0 : 1;
}
