/* SPDX-License-Identifier: MIT */
/*
 * The exec in progress (the kernel's linux_binprm) and the load plan.
 *
 * Ownership: a binprm owns its file descriptor(s), its argv/envp copies,
 * and the plan; uexec_binprm_free() releases all of it.  Nothing here
 * touches the caller's address space: that happens only in mm.c (reversibly)
 * and after the point of no return in commit.c.
 */
#ifndef UEXEC_BINPRM_H
#define UEXEC_BINPRM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "uexec/uexec.h"
#include "uexec/binfmt.h"

#define UEXEC_BINPRM_INTERP_MAX 4096	/* PT_INTERP path bound (PATH_MAX) */
#define UEXEC_MAX_AUXV 64		/* pairs, AT_NULL included */
#define UEXEC_MAX_MAPS 512		/* mapping steps in one plan (73 PT_LOADs x 4 + more) */

/* A growable NULL-terminated vector of owned strings. */
struct uexec_final;
struct uexec_abi;

struct uexec_strv {
	char **v;
	size_t n, cap;
};

/* One step of building the new address space, in order. */
enum uexec_map_kind {
	UEXEC_MAP_RESERVE,	/* PROT_NONE reservation of a whole image */
	UEXEC_MAP_FILE,		/* MAP_PRIVATE|MAP_FIXED of the file */
	UEXEC_MAP_ZERO_TAIL,	/* zero [addr, addr+len) inside a file map */
	UEXEC_MAP_ANON,		/* MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED: bss */
	UEXEC_MAP_UNMAP,	/* a hole between segments */
	UEXEC_MAP_STACK,	/* the new stack, MAP_GROWSDOWN */
};

struct uexec_map {
	enum uexec_map_kind kind;
	uintptr_t addr;
	size_t len;
	int prot;
	int fd;			/* UEXEC_MAP_FILE: borrowed from the image */
	off_t off;
	const char *what;	/* "exe", "interp", "stack" */
	uintptr_t stage;	/* RESERVE only: where the image was staged
				 * because its range was in use by uexec
				 * (0: in place); see mm.c */
};

/* One ELF object of the exec: the program or its interpreter. */
struct uexec_elf_image {
	const struct uexec_abi *abi;	/* arch.h: native or compat */
	char *path;		/* owned; what messages and AT_EXECFN say */
	int fd;			/* owned */
	off_t file_size;
	unsigned int e_type;	/* ET_EXEC or ET_DYN */
	unsigned int e_machine;
	uintptr_t e_entry;	/* as in the header (unbiased) */
	size_t phnum;		/* e_phnum (what AT_PHNUM says) */
	void *phdrs;		/* owned copy, GElf_Phdr[phnum] */
	uintptr_t lo, hi;	/* page-aligned extent of the PT_LOADs, unbiased */
	uintptr_t max_align;	/* largest power-of-two p_align of a PT_LOAD */
	uintptr_t load_bias;
	uintptr_t phdr_addr;	/* AT_PHDR, biased; 0 when not in memory */
	uintptr_t start_code, end_code, start_data, end_data;
	uintptr_t elf_bss, elf_brk;	/* biased end of file data / of memory */
	int stack_prot;		/* PT_GNU_STACK: PROT_EXEC when executable */
	bool fixed;		/* ET_EXEC: addresses are absolute */
	bool top_down;		/* placed below mmap_base, as by mmap(NULL) */
	char *interp;		/* PT_INTERP string, owned, or NULL */
};

/* The stack image: built in a buffer, copied to TOP - size at commit. */
struct uexec_stack {
	uintptr_t top;		/* page-aligned end of the stack mapping */
	size_t map_size;	/* initial mapping (grows down to rlimit) */
	size_t rlimit;		/* RLIMIT_STACK as in force */
	unsigned char *image;	/* owned: bytes [sp, top) */
	size_t size;		/* top - sp */
	uintptr_t sp;		/* where argc is */
	uintptr_t argv, envp, auxv;	/* addresses of the vectors */
	uintptr_t arg_start, arg_end, env_start, env_end;
	uintptr_t execfn, platform, random;
	size_t auxc;		/* pairs written, AT_NULL included */
	unsigned int word;	/* bytes of a pointer: 8, or 4 (compat) */
	unsigned long auxv_pairs[UEXEC_MAX_AUXV][2];
};

/* The load plan: everything the commit needs, decided before it. */
struct uexec_plan {
	bool ready;
	struct uexec_elf_image exe;
	struct uexec_elf_image interp;
	bool has_interp;
	uintptr_t entry;		/* where the trampoline jumps */
	uintptr_t start_brk;		/* the program's heap start */
	uintptr_t brk;
	unsigned long personality;
	bool randomize;
	struct uexec_stack stack;
	struct uexec_map maps[UEXEC_MAX_MAPS];
	size_t nmaps;
	size_t nmapped;			/* steps already applied (mm.c) */
	/* The vDSO and vvar: where they are now, and how far the final stage
	 * moves them so that they sit below the images, as the kernel's
	 * exec maps them (0: they stay). */
	uintptr_t kmaps[8][2];
	size_t nkmaps;
	intptr_t vdso_delta;
	/* A compat program's 32-bit vDSO, mapped by the final stage at
	 * vdso32_block (its text at vdso32_text); 0: none. */
	uintptr_t vdso32_block, vdso32_text, vdso32_entry;
	size_t vdso32_size;
	struct uexec_final *final;	/* in the blob; see final.h */
	uintptr_t blob;			/* the final stage's mapping */
	int maps_fd;			/* with blob: /proc/self/maps, opened
					 * before the point of no return, or -1 */
	size_t blob_len;
};

struct uexec_binprm {
	unsigned char buf[UEXEC_BINPRM_BUF_SIZE];
	size_t buf_len;
	int fd;				/* the current file, owned */
	char *filename;			/* what was asked to run (AT_EXECFN) */
	char *interp_name;		/* the name the current file has */
	struct uexec_strv argv, envp;
	int depth;			/* rewrites so far */
	bool point_of_no_return;
	bool path_inaccessible;		/* BINPRM_FLAGS_PATH_INACCESSIBLE, set once by bprm_init */

	/* Set by a rewriting handler; consumed by exec_binprm(). */
	int next_fd;
	char *next_name;

	unsigned int interp_flags;	/* UEXEC_BINPRM_F_* */
	int execfd;			/* AT_EXECFD, or -1 */
	const struct uexec_options *opts;
	struct uexec_binfmt *handler;
	struct uexec_plan plan;

	char err[512];			/* the reason, one line */
};

#define UEXEC_BINPRM_F_PRESERVE_ARGV0 0x1u
#define UEXEC_BINPRM_F_EXECFD 0x2u

/* exec.c */
int uexec_strv_init(struct uexec_strv *sv, char *const *src);
int uexec_strv_push_front(struct uexec_strv *sv, const char *s);
void uexec_strv_free(struct uexec_strv *sv);
void uexec_binprm_free(struct uexec_binprm *bprm);
int uexec_open_exec(const char *path, int *fd_out, char *err, size_t errlen);
int uexec_check_exec_fd(int fd, char *err, size_t errlen);
int uexec_search_binary_handler(struct uexec_binprm *bprm);
void uexec_set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool uexec_binprm_path_inaccessible(const struct uexec_binprm *bprm);
int uexec_execve_mem_opts(const void *buf, size_t len, const char *name,
			  char *const argv[], char *const envp[],
			  const struct uexec_options *opts);

/* binfmt_elf.c */
extern struct uexec_binfmt uexec_elf_format;

/* stack.c */
struct uexec_stack_input {
	char *const *argv;
	char *const *envp;
	const char *execfn;
	const char *platform;		/* AT_PLATFORM string or NULL */
	const char *base_platform;	/* AT_BASE_PLATFORM or NULL */
	unsigned char random[16];	/* AT_RANDOM bytes */
	size_t sub_page_offset;		/* arch_align_stack's random part */
	unsigned int word;		/* bytes of a pointer; 0 means 8 */
	/* The auxv to write, in order, AT_NULL excluded; values that point
	 * into the stack (AT_RANDOM, AT_EXECFN, AT_PLATFORM,
	 * AT_BASE_PLATFORM) are filled in by the builder. */
	const unsigned long (*auxv)[2];
	size_t auxc;
};
int uexec_create_elf_tables(struct uexec_stack *st,
			    const struct uexec_stack_input *in,
			    char *err, size_t errlen);
size_t uexec_stack_strings_size(char *const *argv, char *const *envp,
				const char *execfn);
unsigned long uexec_stack_word(const struct uexec_stack *st, uintptr_t addr);

/* auxv.c */
int uexec_auxv_template(unsigned long (*out)[2], size_t max, size_t *n);

/* mm.c: reversible mapping of a plan, and its undo */
int uexec_plan_map(struct uexec_plan *plan, char *err, size_t errlen);
void uexec_plan_unmap(struct uexec_plan *plan);
uintptr_t uexec_plan_find_free(const struct uexec_plan *plan, size_t len);
int uexec_plan_add_map(struct uexec_plan *plan, enum uexec_map_kind kind,
		       uintptr_t addr, size_t len, int prot, int fd, off_t off,
		       const char *what);

/* commit.c: the final stage's blob (before the point of no return), then
 * the point of no return */
int uexec_final_prepare(struct uexec_plan *plan, char *err, size_t errlen);
__attribute__((noreturn)) void uexec_commit(struct uexec_binprm *bprm);

/* plan.c */
void uexec_plan_free(struct uexec_plan *plan);
void uexec_plan_print(const struct uexec_binprm *bprm, FILE *out);

/* debug.c */
size_t uexec_vformat_line(char *buf, size_t size, const char *what, const char *fmt,
			  va_list ap);
const char *uexec_debug_category_name(unsigned int bit);
int uexec_debug_parse(const char *spec, unsigned int *mask, const char **bad);
void uexec_debug_help(FILE *out);
const char *uexec_map_kind_name(enum uexec_map_kind k);
extern unsigned int uexec_debug_mask;
extern FILE *uexec_debug_file;
void uexec_debug(unsigned int cat, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define UEXEC_DEBUG(cat, ...) \
	do { if (uexec_debug_mask & (cat)) uexec_debug((cat), __VA_ARGS__); } while (0)
void uexec_trace_reset(void);
void uexec_trace_handler(const struct uexec_binprm *bprm,
			 const struct uexec_binfmt *fmt, int ret);
void uexec_debug_images(const struct uexec_binprm *bprm);
void uexec_debug_handover(const struct uexec_binprm *bprm);
void uexec_break_announce(const struct uexec_binprm *bprm);
const char *uexec_auxv_name(unsigned long key);
bool uexec_auxv_is_pointer(unsigned long key);
const char *uexec_phdr_type_name(unsigned long type, char *buf, size_t len);
const char *uexec_prot_string(int prot);
const char *uexec_quote(const char *s, char *buf, size_t len);
const char *uexec_stack_string(const struct uexec_stack *st, uintptr_t addr);

#endif
