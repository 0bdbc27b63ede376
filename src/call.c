/* SPDX-License-Identifier: MIT */
/*
 * uexec --call OBJECT:SYMBOL:SIGNATURE [--] [ARG...]: load OBJECT with the
 * system's dynamic loader, find SYMBOL, call it through libffi with the
 * arguments parsed for SIGNATURE (a C function type), and print what it
 * returns.  A debugging tool (doc/debugging.md, section 5): linked into the
 * CLI only, never into libuexec, and no part of the exec path.
 *
 * The steps, in order, so that a mistake on the command line is reported
 * before OBJECT's constructors run:
 *  1. SPEC is cut at its last two colons (OBJECT may contain colons);
 *  2. SIGNATURE is parsed (C's type specifiers in any order, '*', "...");
 *  3. each ARG is parsed strictly for its parameter's type, or, after the
 *     fixed ones of a variadic function, typed by its form;
 *  4. dlopen(OBJECT, RTLD_NOW), then dlsym, then OBJECT's own .symtab
 *     (libelf, the file of the link_map's l_name, at l_addr);
 *  5. ffi_call, fflush(NULL), the return value on a line of its own.
 * Statuses as the shell's: 127 object or symbol not found, 126 cannot be
 * called as asked; each failure is one line on stderr.
 */
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <ffi.h>
#include <float.h>
#include <gelf.h>
#include <inttypes.h>
#include <limits.h>
#include <link.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "call.h"
#include "call_types.h"
#include "debug.h"


/* Prints "uexec: --call: MESSAGE" on stderr as one line (newlines in the
 * message become spaces); returns STATUS. */
int uexec_call_fail(int status, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = uexec_vformat_line(line, sizeof(line), "--call", fmt, ap);
	va_end(ap);
	for (size_t i = 0; i + 1 < n; i++)
		if (line[i] == '\n')
			line[i] = ' ';
	fwrite(line, 1, n, stderr);
	return status;
}

/* ------------------------------------------------------------------ */
/* The object and the symbol */

static Elf *open_elf(const char *path, int *fd)
{
	Elf *e;

	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return NULL;
	elf_version(EV_CURRENT);
	e = elf_begin(*fd, ELF_C_READ, NULL);
	if (!e)
		close(*fd);
	return e;
}

static void close_elf(Elf *e, int fd)
{
	elf_end(e);
	close(fd);
}

/* The first section of type TYPE in E (its header in *SH), or NULL. */
static Elf_Scn *find_section(Elf *e, GElf_Word type, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(e, scn)))
		if (gelf_getshdr(scn, sh) && sh->sh_type == type && sh->sh_entsize)
			return scn;
	return NULL;
}

/* Whether PATH (a name with a '/') is a position-independent executable:
 * ET_DYN with DF_1_PIE, the objects glibc's dlopen refuses. */
static bool is_pie(const char *path)
{
	GElf_Shdr sh;
	GElf_Ehdr eh;
	GElf_Dyn dyn;
	Elf_Scn *scn;
	Elf_Data *d;
	bool pie = false;
	int fd;
	Elf *e = strchr(path, '/') ? open_elf(path, &fd) : NULL;

	if (!e)
		return false;
	scn = gelf_getehdr(e, &eh) && eh.e_type == ET_DYN ? find_section(e, SHT_DYNAMIC, &sh) : NULL;
	d = scn ? elf_getdata(scn, NULL) : NULL;
	for (size_t i = 0; d && i < sh.sh_size / sh.sh_entsize; i++)
		if (gelf_getdyn(d, (int)i, &dyn) && dyn.d_tag == DT_FLAGS_1)
			pie = dyn.d_un.d_val & DF_1_PIE;
	close_elf(e, fd);
	return pie;
}

static int load_object(const char *object, void **handle)
{
	const char *why;

	*handle = dlopen(object, RTLD_NOW);
	if (*handle)
		return 0;
	why = dlerror();
	if (is_pie(object))
		return uexec_call_fail(126, "%s: a position-independent executable, which dlopen "
				 "refuses (%s)", object, why);
	return uexec_call_fail(127, "%s", why ? why : "dlopen failed");
}

/* 0, or 126 with a message if TYPE (an STT_) is not one of a function. */
static int check_function(const struct call_spec *cs, unsigned int type)
{
	if (type == STT_FUNC || type == STT_GNU_IFUNC || type == STT_NOTYPE)
		return 0;
	return uexec_call_fail(126, "%s: '%s' is %s, not a function", cs->object, cs->symbol,
			 type == STT_OBJECT ? "data (STT_OBJECT)" :
			 type == STT_TLS ? "thread-local data (STT_TLS)" : "not code");
}

/* NAME's defined entry in the .symtab of E into *SYM, a function before
 * anything else of that name; the first of several.  1 found, 0 not,
 * -1 no .symtab (stripped). */
static int symtab_find(Elf *e, const char *name, GElf_Sym *sym)
{
	GElf_Shdr sh;
	GElf_Sym s;
	Elf_Scn *scn = find_section(e, SHT_SYMTAB, &sh);
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
	int found = 0;

	if (!d)
		return -1;
	for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
		const char *n;
		unsigned int type;

		if (!gelf_getsym(d, (int)i, &s) || s.st_shndx == SHN_UNDEF)
			continue;
		n = elf_strptr(e, sh.sh_link, s.st_name);
		if (!n || strcmp(n, name))
			continue;
		type = GELF_ST_TYPE(s.st_info);
		if (!found || type == STT_FUNC || type == STT_GNU_IFUNC)
			*sym = s;
		found = 1;
		if (type == STT_FUNC || type == STT_GNU_IFUNC)
			break;
	}
	return found;
}

/* CS's symbol in the .symtab of the file LM was loaded from, at LM's
 * l_addr (0 for ET_EXEC).  An IFUNC's resolver is called, with no
 * arguments, for the implementation. */
static int symtab_function(const struct link_map *lm, const struct call_spec *cs, void **fn)
{
	GElf_Sym sym;
	int fd, found, st;
	Elf *e = open_elf(lm->l_name, &fd);

	if (!e)
		return uexec_call_fail(127, "%s: no exported symbol '%s', and %s cannot be read for "
				 "its .symtab", cs->object, cs->symbol, lm->l_name);
	found = symtab_find(e, cs->symbol, &sym);
	close_elf(e, fd);
	if (found < 0)
		return uexec_call_fail(127, "%s: no exported symbol '%s', and no .symtab (stripped)",
				 cs->object, cs->symbol);
	if (!found)
		return uexec_call_fail(127, "%s: no symbol '%s' (neither exported nor in .symtab)",
				 cs->object, cs->symbol);
	st = check_function(cs, GELF_ST_TYPE(sym.st_info));
	if (st)
		return st;
	*fn = (void *)(lm->l_addr + sym.st_value);
	if (GELF_ST_TYPE(sym.st_info) == STT_GNU_IFUNC)
		*fn = ((void *(*)(void))*fn)();
	return 0;
}

/* CS's symbol in HANDLE: dlsym (exported; IFUNCs resolved), else the
 * object's own .symtab.  0 with *FN, or the status after a message. */
static int find_function(void *handle, const struct call_spec *cs, void **fn)
{
	struct link_map *lm = NULL;
	const ElfW(Sym) *sym = NULL;
	Dl_info info;

	dlerror();
	*fn = dlsym(handle, cs->symbol);
	if (*fn) {
		if (dladdr1(*fn, &info, (void **)&sym, RTLD_DL_SYMENT) && sym &&
		    info.dli_saddr == *fn)
			return check_function(cs, GELF_ST_TYPE(sym->st_info));
		return 0;
	}
	if (dlinfo(handle, RTLD_DI_LINKMAP, &lm) || !lm)
		return uexec_call_fail(127, "%s: %s", cs->object, dlerror());
	return symtab_function(lm, cs, fn);
}

/* ------------------------------------------------------------------ */
/* The call and its value */

static bool reads_back(const char *s, long double x, enum call_kind k)
{
	if (k == CK_FLOAT)
		return strtof(s, NULL) == (float)x;
	if (k == CK_DOUBLE)
		return strtod(s, NULL) == (double)x;
	return strtold(s, NULL) == x;
}

/* X (of kind K) as the shortest %g text that reads back as X. */
static void print_shortest(long double x, enum call_kind k)
{
	int max = k == CK_FLOAT ? FLT_DECIMAL_DIG : k == CK_DOUBLE ? DBL_DECIMAL_DIG :
		  LDBL_DECIMAL_DIG;
	char buf[64];

	for (int p = 1; p <= max; p++) {
		snprintf(buf, sizeof(buf), "%.*Lg", p, x);
		if (isnan(x) || reads_back(buf, x, k))
			break;
	}
	puts(buf);
}

/* Prints return value V of type T on a line of its own (nothing for void). */
static void print_value(const struct call_type *t, union call_value *v)
{
	if ((t->kind == CK_SINT || t->kind == CK_UINT) && t->size < sizeof(ffi_arg))
		uexec_call_store_int(v, t->size, (uint64_t)v->ret);
	switch (t->kind) {
	case CK_VOID: break;
	case CK_SINT: printf("%" PRId64 "\n", uexec_call_load_sint(v, t->size)); break;
	case CK_UINT: printf("%" PRIu64 "\n", uexec_call_load_uint(v, t->size)); break;
	case CK_FLOAT: print_shortest(v->f, CK_FLOAT); break;
	case CK_DOUBLE: print_shortest(v->d, CK_DOUBLE); break;
	case CK_LDOUBLE: print_shortest(v->ld, CK_LDOUBLE); break;
	case CK_STR: puts(v->s ? v->s : "(null)"); break;
	case CK_PTR: printf("0x%" PRIxPTR "\n", (uintptr_t)v->p); break;
	}
}

/* Calls FN as SIG with ARGS[0..N), then flushes every stdio stream (the
 * function's output first) and prints the return value. */
static int call_and_print(void *fn, const struct call_spec *cs, const struct call_sig *sig,
			  struct call_arg *args, size_t n)
{
	ffi_type **types = calloc(n + 1, sizeof(*types));
	void **values = calloc(n + 1, sizeof(*values));
	union call_value ret;
	ffi_status st;
	ffi_cif cif;
	char q[160];

	for (size_t i = 0; types && values && i < n; i++) {
		types[i] = args[i].type.ffi;
		values[i] = &args[i].v;
	}
	if (!types || !values)
		st = FFI_BAD_TYPEDEF;
	else if (sig->variadic)
		st = ffi_prep_cif_var(&cif, FFI_DEFAULT_ABI, (unsigned int)sig->nparams,
				      (unsigned int)n, sig->ret.ffi, types);
	else
		st = ffi_prep_cif(&cif, FFI_DEFAULT_ABI, (unsigned int)n, sig->ret.ffi, types);
	if (st == FFI_OK) {
		memset(&ret, 0, sizeof(ret));
		ffi_call(&cif, FFI_FN(fn), &ret, values);
	}
	free(types);
	free(values);
	if (st != FFI_OK)
		return uexec_call_fail(126, "%s: libffi cannot prepare this call (ffi_status %d)",
				 uexec_quote(cs->signature, q, sizeof(q)), (int)st);
	fflush(NULL);
	print_value(&sig->ret, &ret);
	return 0;
}

/* ------------------------------------------------------------------ */

/* SPEC cut at its last two colons into CS. */
static int split_spec(const char *spec, struct call_spec *cs)
{
	char *sig, *sym;
	char q[300];

	cs->buf = strdup(spec);
	if (!cs->buf)
		return uexec_call_fail(126, "out of memory");
	sig = strrchr(cs->buf, ':');
	if (sig)
		*sig++ = 0;
	sym = sig ? strrchr(cs->buf, ':') : NULL;
	if (sym)
		*sym++ = 0;
	if (!sym || !*cs->buf || !*sym || !*sig)
		return uexec_call_fail(126, "%s: expected OBJECT:SYMBOL:SIGNATURE, as in "
				 "libm.so.6:cos:double(double)", uexec_quote(spec, q, sizeof(q)));
	cs->object = cs->buf;
	cs->symbol = sym;
	cs->signature = sig;
	return 0;
}

int uexec_call_main(const char *spec, int argc, char **argv)
{
	struct call_sig sig = { 0 };
	struct call_spec cs = { 0 };
	struct call_arg *args = NULL;
	char err[ERRLEN], q[160];
	void *handle, *fn;
	int st;

	if (argc > 0 && !strcmp(argv[0], "--")) {
		argc--;
		argv++;
	}
	st = split_spec(spec, &cs);
	if (!st && !uexec_call_parse_signature(cs.signature, &sig, err))
		st = uexec_call_fail(126, "signature %s: %s", uexec_quote(cs.signature, q, sizeof(q)),
			       err);
	if (!st && !(args = calloc((size_t)argc + 1, sizeof(*args))))
		st = uexec_call_fail(126, "out of memory");
	if (!st)
		st = uexec_call_parse_args(&cs, &sig, argc, argv, args);
	if (!st)
		st = load_object(cs.object, &handle);
	if (!st)
		st = find_function(handle, &cs, &fn);
	if (!st)
		st = call_and_print(fn, &cs, &sig, args, (size_t)argc);
	free(args);
	free(cs.buf);
	return st;
}
