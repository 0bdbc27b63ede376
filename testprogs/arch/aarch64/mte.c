/* SPDX-License-Identifier: MIT */
/*
 * The "mte" program (aarch64): a program that tags its own memory with MTE
 * runs as under the kernel's exec.  The exec leaves MTE off (the kernel's
 * mte_thread_init_user(), uexec's final stage: tests/core/execstate.c
 * checks that), and the program turns it on itself:
 *
 *  1. PR_SET_TAGGED_ADDR_CTRL with synchronous tag checks succeeds;
 *  2. an anonymous PROT_MTE mapping says "mt" in its VmFlags (not checked
 *     where /proc/self/smaps does not describe this process: qemu-user);
 *  3. a granule tagged with stg is written and read through a pointer
 *     with that tag;
 *  4. a child that writes through a pointer with another tag gets SIGSEGV
 *     with si_code SEGV_MTESERR.
 *
 * On a CPU without MTE (AT_HWCAP2 without HWCAP2_MTE) it says so and
 * passes.  Prints facts only; a "FAIL what" line for each failed check.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define TAGGED(p, t) ((void *)(((uintptr_t)(p) & ~(0xfUL << 56)) | ((uintptr_t)(t) << 56)))

/* Set the allocation tag of the 16-byte granule at P to P's tag: stg x0,
 * [x0], as its encoding, since GNU as takes the mnemonic only for
 * -march=armv8.5-a and later (.arch_extension memtag is not enough for
 * binutils 2.40), which the rest of the program must not be built for. */
static void set_tag(void *p)
{
	register void *x0 __asm__("x0") = p;

	__asm__ volatile(".inst 0xd9200800" : : "r"(x0) : "memory");
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	_exit(si->si_code == SEGV_MTESERR ? 42 : 43);
}

/* Is LINE a maps or smaps header ("lo-hi perms ...")?  Its range in LO, HI. */
static int header(const char *line, unsigned long *lo, unsigned long *hi)
{
	return sscanf(line, "%lx-%lx ", lo, hi) == 2 && strcspn(line, "-") < strcspn(line, " :");
}

/* Does the smaps entry of the mapping at ADDR say "mt"?  1 yes, 0 no, -1
 * where smaps does not describe this process (qemu-user: its maps are the
 * guest's, its smaps the host process's, with other mappings).  The heap
 * is warmed first, so that stdio's buffers change no mapping between the
 * two reads. */
static int vmflags_mt(uintptr_t addr)
{
	char line[512];
	FILE *f;
	int n_maps = 0, n_smaps = 0, r = -1;
	unsigned long lo, hi;

	free(malloc(65536));
	f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof(line), f))
		n_maps += header(line, &lo, &hi);
	if (f)
		fclose(f);
	f = fopen("/proc/self/smaps", "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (header(line, &lo, &hi)) {
			n_smaps++;
			r = lo <= addr && addr < hi ? -2 : r == -2 ? -3 : r;
		} else if (r == -2 && !strncmp(line, "VmFlags:", 8)) {
			r = strstr(line, " mt") != NULL;
		}
	}
	if (f)
		fclose(f);
	return n_maps == n_smaps && r >= 0 ? r : -1;
}

int main(void)
{
	long page = sysconf(_SC_PAGESIZE);
	volatile unsigned char *p, *bad;
	int status = 0, mt;
	pid_t pid;

	if (!(getauxval(AT_HWCAP2) & HWCAP2_MTE)) {
		printf("mte: the CPU has no MTE\n");
		return 0;
	}
	printf("mte: the CPU has MTE\n");
	CHECK(prctl(PR_GET_TAGGED_ADDR_CTRL, 0, 0, 0, 0) == 0, "the exec left the tagged address ABI on");
	CHECK(prctl(PR_SET_TAGGED_ADDR_CTRL, PR_TAGGED_ADDR_ENABLE | PR_MTE_TCF_SYNC |
		    (0xfffeUL << PR_MTE_TAG_SHIFT), 0, 0, 0) == 0,
	      "PR_SET_TAGGED_ADDR_CTRL with synchronous tag checks failed");
	p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE | PROT_MTE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!CHECK(p != MAP_FAILED, "mmap PROT_MTE failed"))
		return check_exit();
	mt = vmflags_mt((uintptr_t)p);
	if (mt < 0)
		printf("mte: VmFlags not checked (smaps does not describe this process)\n");
	else if (CHECK(mt == 1, "the PROT_MTE mapping has no \"mt\" in its VmFlags"))
		printf("mte: the PROT_MTE mapping's VmFlags say mt\n");
	p = TAGGED(p, 3);
	set_tag((void *)p);
	p[0] = 0x5a;
	CHECK(p[0] == 0x5a, "a write through the granule's own tag did not read back");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };

		sigaction(SIGSEGV, &sa, NULL);
		bad = TAGGED(p, 5);
		bad[0] = 1;
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid, "fork or waitpid failed");
	if (CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42,
		  "a write through another tag did not fault with SEGV_MTESERR (status %#x)", status))
		printf("mte: a write through another tag: SIGSEGV, SEGV_MTESERR\n");
	return check_exit();
}
