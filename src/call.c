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

#include "binprm.h"
#include "debug.h"
#include "call.h"

#define ERRLEN 512
#define CALL_MAX_PARAMS 64

/* long double is callable when libffi has a type for it, or when it is
 * double on this machine anyway. */
#if FFI_TYPE_LONGDOUBLE == FFI_TYPE_DOUBLE && LDBL_MANT_DIG != DBL_MANT_DIG
#define CALL_HAVE_LONG_DOUBLE 0
#else
#define CALL_HAVE_LONG_DOUBLE 1
#endif

enum call_kind { CK_VOID, CK_SINT, CK_UINT, CK_FLOAT, CK_DOUBLE, CK_LDOUBLE, CK_STR, CK_PTR };

/* One C type: what libffi passes, how an argument is parsed, how a return
 * value is printed.  TEXT/LEN: its spelling on the command line. */
struct call_type {
	enum call_kind kind;
	size_t size;		/* bytes: 1, 2, 4 or 8 for integers */
	ffi_type *ffi;
	const char *text;
	int len;
};

/* An argument or a return value, stored as its type's own member (an
 * integer in the uN member of its size). */
union call_value {
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	float f;
	double d;
	long double ld;
	char *s;
	void *p;
	ffi_arg ret;		/* integer returns narrower than ffi_arg */
};

struct call_sig {
	struct call_type ret;
	struct call_type params[CALL_MAX_PARAMS];
	size_t nparams;
	bool variadic;
};

struct call_arg {
	struct call_type type;
	union call_value v;
};

/* SPEC cut in three (in a malloc'd copy, BUF). */
struct call_spec {
	char *buf;
	const char *object, *symbol, *signature;
};

/* Prints "uexec: --call: MESSAGE" on stderr as one line (newlines in the
 * message become spaces); returns STATUS. */
__attribute__((format(printf, 2, 3)))
static int call_fail(int status, const char *fmt, ...)
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
/* Integers in a call_value */

static void store_int(union call_value *v, size_t size, uint64_t x)
{
	switch (size) {
	case 1: v->u8 = (uint8_t)x; break;
	case 2: v->u16 = (uint16_t)x; break;
	case 4: v->u32 = (uint32_t)x; break;
	default: v->u64 = x; break;
	}
}

static uint64_t load_uint(const union call_value *v, size_t size)
{
	return size == 1 ? v->u8 : size == 2 ? v->u16 : size == 4 ? v->u32 : v->u64;
}

static int64_t load_sint(const union call_value *v, size_t size)
{
	return size == 1 ? (int8_t)v->u8 : size == 2 ? (int16_t)v->u16 :
	       size == 4 ? (int32_t)v->u32 : (int64_t)v->u64;
}

/* ------------------------------------------------------------------ */
/* Signature tokens: words, '*', '(', ')', ',', "..." */

enum tok_kind { T_END, T_WORD, T_STAR, T_LPAREN, T_RPAREN, T_COMMA, T_ELLIPSIS, T_BAD };

struct tok {
	enum tok_kind kind;
	const char *s;
	int len;
};

/* Reads the text from P up to LIM (or its NUL); T is the current token. */
struct lexer {
	const char *p, *lim;
	struct tok t;
};

static void lex_next(struct lexer *lx)
{
	const char *p = lx->p;
	struct tok *t = &lx->t;

	while (p < lx->lim && isspace((unsigned char)*p))
		p++;
	t->s = p;
	t->len = 1;
	if (p >= lx->lim || !*p) {
		t->kind = T_END;
		t->len = 0;
	} else if (isalpha((unsigned char)*p) || *p == '_') {
		while (p + t->len < lx->lim && (isalnum((unsigned char)p[t->len]) || p[t->len] == '_'))
			t->len++;
		t->kind = T_WORD;
	} else if (lx->lim - p >= 3 && !strncmp(p, "...", 3)) {
		t->kind = T_ELLIPSIS;
		t->len = 3;
	} else {
		t->kind = *p == '*' ? T_STAR : *p == '(' ? T_LPAREN : *p == ')' ? T_RPAREN :
			  *p == ',' ? T_COMMA : T_BAD;
	}
	lx->p = p + t->len;
}

static void lex_start(struct lexer *lx, const char *text, size_t len)
{
	lx->p = text;
	lx->lim = text + len;
	lex_next(lx);
}

static bool word_is(const struct tok *t, const char *w)
{
	return t->kind == T_WORD && (size_t)t->len == strlen(w) && !strncmp(t->s, w, (size_t)t->len);
}

/* "'TOKEN'" or "the end", for messages. */
static const char *tok_name(const struct tok *t, char *buf, size_t len)
{
	if (t->kind == T_END)
		return "the end";
	snprintf(buf, len, "'%.*s'", t->len, t->s);
	return buf;
}

/* ------------------------------------------------------------------ */
/* Types: C's specifiers in any order ("long unsigned int"), the typedef
 * names of <stddef.h> and <stdint.h>, then '*'s; const/volatile ignored. */

static const struct {
	const char *name;
	enum call_kind kind;
	size_t size;
} call_typedefs[] = {
	{ "size_t", CK_UINT, sizeof(size_t) }, { "ssize_t", CK_SINT, sizeof(ssize_t) },
	{ "ptrdiff_t", CK_SINT, sizeof(ptrdiff_t) }, { "intptr_t", CK_SINT, sizeof(intptr_t) },
	{ "uintptr_t", CK_UINT, sizeof(uintptr_t) }, { "intmax_t", CK_SINT, sizeof(intmax_t) },
	{ "uintmax_t", CK_UINT, sizeof(uintmax_t) },
	{ "int8_t", CK_SINT, 1 }, { "uint8_t", CK_UINT, 1 },
	{ "int16_t", CK_SINT, 2 }, { "uint16_t", CK_UINT, 2 },
	{ "int32_t", CK_SINT, 4 }, { "uint32_t", CK_UINT, 4 },
	{ "int64_t", CK_SINT, 8 }, { "uint64_t", CK_UINT, 8 },
};

/* The specifiers seen so far.  BASE: 0, 'c' char, 'i' int, 'f' float,
 * 'd' double, 'v' void, 't' typedef (TDEF its index). */
struct spec {
	int sign;		/* 0, 's' signed, 'u' unsigned */
	int shorts, longs, base, tdef, words;
};

enum spec_result { SPEC_OK, SPEC_CONFLICT, SPEC_UNKNOWN };

static int find_typedef(const struct tok *t)
{
	for (size_t i = 0; i < sizeof(call_typedefs) / sizeof(call_typedefs[0]); i++)
		if (word_is(t, call_typedefs[i].name))
			return (int)i;
	return -1;
}

/* Whether base type B may join the modifiers of S. */
static bool base_fits(int b, const struct spec *s)
{
	bool bare = !s->sign && !s->shorts && !s->longs;

	return b == 'i' || (b == 'c' && !s->shorts && !s->longs) ||
	       (b == 'd' && !s->sign && !s->shorts && s->longs <= 1) || bare;
}

/* Adds the word T to S, by C's rules of combination. */
static enum spec_result spec_add(struct spec *s, const struct tok *t)
{
	int b = s->base, td = find_typedef(t), nb;

	if (word_is(t, "const") || word_is(t, "volatile"))
		return SPEC_OK;
	s->words++;
	if (word_is(t, "signed") || word_is(t, "unsigned")) {
		if (s->sign || (b && b != 'c' && b != 'i'))
			return SPEC_CONFLICT;
		s->sign = t->s[0];
		return SPEC_OK;
	}
	if (word_is(t, "short")) {
		if (s->shorts || s->longs || (b && b != 'i'))
			return SPEC_CONFLICT;
		s->shorts = 1;
		return SPEC_OK;
	}
	if (word_is(t, "long")) {
		if (s->shorts || s->longs == 2 || (b && b != 'i' && b != 'd') ||
		    (b == 'd' && s->longs))
			return SPEC_CONFLICT;
		s->longs++;
		return SPEC_OK;
	}
	nb = word_is(t, "char") ? 'c' : word_is(t, "int") ? 'i' : word_is(t, "float") ? 'f' :
	     word_is(t, "double") ? 'd' : word_is(t, "void") ? 'v' : td >= 0 ? 't' : 0;
	if (!nb)
		return SPEC_UNKNOWN;
	if (b || !base_fits(nb, s))
		return SPEC_CONFLICT;
	s->base = nb;
	s->tdef = td;
	return SPEC_OK;
}

static ffi_type *ffi_for(enum call_kind k, size_t size)
{
	static ffi_type *const sints[9] = {
		[1] = &ffi_type_sint8, [2] = &ffi_type_sint16,
		[4] = &ffi_type_sint32, [8] = &ffi_type_sint64,
	};
	static ffi_type *const uints[9] = {
		[1] = &ffi_type_uint8, [2] = &ffi_type_uint16,
		[4] = &ffi_type_uint32, [8] = &ffi_type_uint64,
	};

	switch (k) {
	case CK_VOID: return &ffi_type_void;
	case CK_SINT: return sints[size];
	case CK_UINT: return uints[size];
	case CK_FLOAT: return &ffi_type_float;
	case CK_DOUBLE: return &ffi_type_double;
	case CK_LDOUBLE: return &ffi_type_longdouble;
	default: return &ffi_type_pointer;
	}
}

static void set_kind(struct call_type *t, enum call_kind k, size_t size)
{
	t->kind = k;
	t->size = size;
	t->ffi = ffi_for(k, size);
}

/* The type S with STARS levels of pointer: char * (const or not) is a
 * string, any other pointer an address; plain char has the machine's
 * signedness. */
static void spec_finish(const struct spec *s, int stars, struct call_type *t)
{
	enum call_kind sk = s->sign == 'u' ? CK_UINT : CK_SINT;

	if (stars)
		set_kind(t, stars == 1 && s->base == 'c' && !s->sign ? CK_STR : CK_PTR,
			 sizeof(void *));
	else if (s->base == 'v')
		set_kind(t, CK_VOID, 0);
	else if (s->base == 'f')
		set_kind(t, CK_FLOAT, sizeof(float));
	else if (s->base == 'd')
		set_kind(t, s->longs ? CK_LDOUBLE : CK_DOUBLE, s->longs ? sizeof(long double) :
			 sizeof(double));
	else if (s->base == 't')
		set_kind(t, call_typedefs[s->tdef].kind, call_typedefs[s->tdef].size);
	else if (s->base == 'c')
		set_kind(t, s->sign ? sk : CHAR_MIN < 0 ? CK_SINT : CK_UINT, 1);
	else
		set_kind(t, sk, s->shorts ? sizeof(short) : s->longs == 2 ? sizeof(long long) :
			 s->longs ? sizeof(long) : sizeof(int));
}

/* Parses one type at LX's token into T: specifiers, then '*'s (with their
 * qualifiers).  False with a message naming the token in ERR. */
static bool parse_type(struct lexer *lx, struct call_type *t, char *err)
{
	struct spec s = { 0 };
	const char *start = lx->t.s, *end = start;
	enum spec_result r = SPEC_OK;
	int stars = 0;
	char nm[80];

	for (; lx->t.kind == T_WORD || (lx->t.kind == T_STAR && s.words); lex_next(lx)) {
		if (lx->t.kind == T_STAR)
			stars++;
		else if (stars && !word_is(&lx->t, "const") && !word_is(&lx->t, "volatile"))
			r = SPEC_CONFLICT;
		else
			r = spec_add(&s, &lx->t);
		if (r == SPEC_UNKNOWN) {
			snprintf(err, ERRLEN, "unknown type %s", tok_name(&lx->t, nm, sizeof(nm)));
			return false;
		}
		if (r == SPEC_CONFLICT) {
			snprintf(err, ERRLEN, "%s cannot follow '%.*s'",
				 tok_name(&lx->t, nm, sizeof(nm)), (int)(end - start), start);
			return false;
		}
		end = lx->t.s + lx->t.len;
	}
	if (!s.words) {
		snprintf(err, ERRLEN, "expected a type at %s", tok_name(&lx->t, nm, sizeof(nm)));
		return false;
	}
	spec_finish(&s, stars, t);
	t->text = start;
	t->len = (int)(end - start);
	if (t->kind == CK_LDOUBLE && !CALL_HAVE_LONG_DOUBLE) {
		snprintf(err, ERRLEN, "libffi cannot pass 'long double' on this machine");
		return false;
	}
	return true;
}

/* A type spelled by this file ("int", "char *"): cannot fail. */
static void builtin_type(const char *text, struct call_type *t)
{
	struct lexer lx;
	char err[ERRLEN];

	lex_start(&lx, text, strlen(text));
	parse_type(&lx, t, err);
}

/* ------------------------------------------------------------------ */
/* Signatures: RET '(' [void | TYPE {',' TYPE} [',' '...']] ')' */

static bool expect(struct lexer *lx, enum tok_kind k, const char *what, char *err)
{
	char nm[80];

	if (lx->t.kind != k) {
		snprintf(err, ERRLEN, "expected %s at %s", what, tok_name(&lx->t, nm, sizeof(nm)));
		return false;
	}
	lex_next(lx);
	return true;
}

static bool parse_params(struct lexer *lx, struct call_sig *sig, char *err)
{
	if (lx->t.kind == T_RPAREN)
		return expect(lx, T_RPAREN, "')'", err);
	for (;;) {
		struct call_type *t = &sig->params[sig->nparams];

		if (lx->t.kind == T_ELLIPSIS) {
			sig->variadic = true;
			lex_next(lx);
			return expect(lx, T_RPAREN, "')' after '...'", err);
		}
		if (sig->nparams == CALL_MAX_PARAMS) {
			snprintf(err, ERRLEN, "more than %d parameters", CALL_MAX_PARAMS);
			return false;
		}
		if (!parse_type(lx, t, err))
			return false;
		if (t->kind == CK_VOID) {
			if (!sig->nparams && lx->t.kind == T_RPAREN)
				return expect(lx, T_RPAREN, "')'", err);
			snprintf(err, ERRLEN, "a parameter cannot be '%.*s'", t->len, t->text);
			return false;
		}
		sig->nparams++;
		if (lx->t.kind == T_RPAREN)
			return expect(lx, T_RPAREN, "')'", err);
		if (!expect(lx, T_COMMA, "',' or ')'", err))
			return false;
	}
}

/* Parses TEXT, a C function type, into SIG.  False with a message in ERR. */
static bool parse_signature(const char *text, struct call_sig *sig, char *err)
{
	struct lexer lx;

	lex_start(&lx, text, strlen(text));
	if (!parse_type(&lx, &sig->ret, err) || !expect(&lx, T_LPAREN, "'('", err) ||
	    !parse_params(&lx, sig, err))
		return false;
	return expect(&lx, T_END, "the end", err);
}

/* ------------------------------------------------------------------ */
/* Arguments */

/* S as an integer of type T (C's decimal, 0x hex and 0 octal, a sign; no
 * spaces; in T's range) into V.  False with the reason in ERR. */
static bool parse_int(const char *s, const struct call_type *t, union call_value *v, char *err)
{
	unsigned int bits = (unsigned int)t->size * 8;
	unsigned long long x;
	char *end = NULL;

	errno = 0;
	if (t->kind == CK_SINT) {
		long long max = bits == 64 ? LLONG_MAX : (1LL << (bits - 1)) - 1;
		long long y = *s && !isspace((unsigned char)*s) ? strtoll(s, &end, 0) : 0;

		if (end && !*end && (errno || y > max || y < -max - 1))
			errno = ERANGE;
		x = (unsigned long long)y;
	} else {
		unsigned long long max = bits == 64 ? ULLONG_MAX : (1ULL << bits) - 1;

		x = *s && !isspace((unsigned char)*s) ? strtoull(s, &end, 0) : 0;
		if (end && !*end && (errno || x > max || *s == '-'))
			errno = ERANGE;
	}
	if (!end || *end || end == s) {
		snprintf(err, ERRLEN, "not an integer (for '%.*s')", t->len, t->text);
		return false;
	}
	if (errno) {
		snprintf(err, ERRLEN, "out of range for '%.*s'", t->len, t->text);
		return false;
	}
	store_int(v, t->size, x);
	return true;
}

/* S as a floating-point literal of type T (strtof/strtod/strtold, whole
 * string, no spaces, no overflow) into V. */
static bool parse_float(const char *s, const struct call_type *t, union call_value *v, char *err)
{
	char *end = NULL;
	long double x = 0;

	errno = 0;
	if (*s && !isspace((unsigned char)*s)) {
		if (t->kind == CK_FLOAT)
			x = v->f = strtof(s, &end);
		else if (t->kind == CK_DOUBLE)
			x = v->d = strtod(s, &end);
		else
			x = v->ld = strtold(s, &end);
	}
	if (!end || *end || end == s) {
		snprintf(err, ERRLEN, "not a number (for '%.*s')", t->len, t->text);
		return false;
	}
	if (errno == ERANGE && isinf(x)) {
		snprintf(err, ERRLEN, "out of range for '%.*s'", t->len, t->text);
		return false;
	}
	return true;
}

/* S parsed for its type T into V: a string is passed as it is, a pointer
 * is an address given as an integer. */
static bool parse_arg(const char *s, const struct call_type *t, union call_value *v, char *err)
{
	struct call_type addr = *t;

	switch (t->kind) {
	case CK_SINT:
	case CK_UINT:
		return parse_int(s, t, v, err);
	case CK_FLOAT:
	case CK_DOUBLE:
	case CK_LDOUBLE:
		return parse_float(s, t, v, err);
	case CK_STR:
		v->s = (char *)s;
		return true;
	case CK_PTR:
		set_kind(&addr, CK_UINT, sizeof(void *));
		if (!parse_int(s, &addr, v, err))
			return false;
		v->p = (void *)(uintptr_t)load_uint(v, sizeof(void *));
		return true;
	default:
		snprintf(err, ERRLEN, "cannot pass '%.*s'", t->len, t->text);
		return false;
	}
}

/* The type of an untyped variadic argument S by its form: an integer
 * literal is an int, or a long (unsigned long) if it does not fit; a
 * floating-point literal (a digit and '.', an exponent or hex 'p') a
 * double; anything else a string. */
static void vararg_default(const char *s, struct call_type *t)
{
	char *end;

	if (*s && !isspace((unsigned char)*s)) {
		long long x;

		errno = 0;
		x = strtoll(s, &end, 0);
		if (!*end && end != s) {
			if (!errno && x >= INT_MIN && x <= INT_MAX)
				builtin_type("int", t);
			else
				builtin_type(!errno || *s == '-' ? "long" : "unsigned long", t);
			return;
		}
		(void)strtod(s, &end);
		if (!*end && end != s && strpbrk(s, "0123456789") && strpbrk(s, ".eEpP")) {
			builtin_type("double", t);
			return;
		}
	}
	builtin_type("char *", t);
}

/* The type of variadic argument S and its value's text (*VAL): a prefix
 * "TYPE:" forces the type ("str:" a string), else vararg_default(). */
static bool vararg_type(const char *s, struct call_type *t, const char **val, char *err)
{
	const char *colon = strchr(s, ':');
	struct lexer lx;
	char junk[ERRLEN];

	*val = s;
	if (!colon) {
		vararg_default(s, t);
		return true;
	}
	lex_start(&lx, s, (size_t)(colon - s));
	if (word_is(&lx.t, "str") && lx.p == colon) {
		builtin_type("char *", t);
	} else if (!parse_type(&lx, t, junk) || lx.t.kind != T_END) {
		vararg_default(s, t);
		return true;
	} else if (t->kind == CK_VOID) {
		snprintf(err, ERRLEN, "a variadic argument cannot be '%.*s'", t->len, t->text);
		return false;
	}
	*val = colon + 1;
	return true;
}

/* C's default argument promotions of a variadic argument A: float to
 * double, integers narrower than int to int. */
static void promote(struct call_arg *a)
{
	const char *text = a->type.text;
	int len = a->type.len;

	if (a->type.kind == CK_FLOAT) {
		double d = a->v.f;

		a->v.d = d;
		builtin_type("double", &a->type);
	} else if ((a->type.kind == CK_SINT || a->type.kind == CK_UINT) &&
		   a->type.size < sizeof(int)) {
		int64_t x = a->type.kind == CK_SINT ? load_sint(&a->v, a->type.size) :
			    (int64_t)load_uint(&a->v, a->type.size);

		store_int(&a->v, sizeof(int), (uint64_t)x);
		builtin_type("int", &a->type);
	}
	a->type.text = text;
	a->type.len = len;
}

static bool parse_vararg(const char *s, struct call_arg *a, char *err)
{
	const char *val;

	if (!vararg_type(s, &a->type, &val, err) || !parse_arg(val, &a->type, &a->v, err))
		return false;
	promote(a);
	return true;
}

/* ARGV[0..ARGC) parsed for SIG into ARGS (ARGC entries). */
static int parse_args(const struct call_spec *cs, const struct call_sig *sig, int argc,
		      char **argv, struct call_arg *args)
{
	size_t n = (size_t)argc;
	char err[ERRLEN], q[160];

	if (n < sig->nparams || (!sig->variadic && n > sig->nparams))
		return call_fail(126, "%s takes %s%zu argument%s, %d given",
				 uexec_quote(cs->signature, q, sizeof(q)),
				 sig->variadic ? "at least " : "", sig->nparams,
				 sig->nparams == 1 ? "" : "s", argc);
	for (size_t i = 0; i < n; i++) {
		bool ok;

		if (i < sig->nparams) {
			args[i].type = sig->params[i];
			ok = parse_arg(argv[i], &args[i].type, &args[i].v, err);
		} else {
			ok = parse_vararg(argv[i], &args[i], err);
		}
		if (!ok)
			return call_fail(126, "argument %zu %s: %s", i + 1,
					 uexec_quote(argv[i], q, sizeof(q)), err);
	}
	return 0;
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
		return call_fail(126, "%s: a position-independent executable, which dlopen "
				 "refuses (%s)", object, why);
	return call_fail(127, "%s", why ? why : "dlopen failed");
}

/* 0, or 126 with a message if TYPE (an STT_) is not one of a function. */
static int check_function(const struct call_spec *cs, unsigned int type)
{
	if (type == STT_FUNC || type == STT_GNU_IFUNC || type == STT_NOTYPE)
		return 0;
	return call_fail(126, "%s: '%s' is %s, not a function", cs->object, cs->symbol,
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
		return call_fail(127, "%s: no exported symbol '%s', and %s cannot be read for "
				 "its .symtab", cs->object, cs->symbol, lm->l_name);
	found = symtab_find(e, cs->symbol, &sym);
	close_elf(e, fd);
	if (found < 0)
		return call_fail(127, "%s: no exported symbol '%s', and no .symtab (stripped)",
				 cs->object, cs->symbol);
	if (!found)
		return call_fail(127, "%s: no symbol '%s' (neither exported nor in .symtab)",
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
		return call_fail(127, "%s: %s", cs->object, dlerror());
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
		store_int(v, t->size, (uint64_t)v->ret);
	switch (t->kind) {
	case CK_VOID: break;
	case CK_SINT: printf("%" PRId64 "\n", load_sint(v, t->size)); break;
	case CK_UINT: printf("%" PRIu64 "\n", load_uint(v, t->size)); break;
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
		return call_fail(126, "%s: libffi cannot prepare this call (ffi_status %d)",
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
		return call_fail(126, "out of memory");
	sig = strrchr(cs->buf, ':');
	if (sig)
		*sig++ = 0;
	sym = sig ? strrchr(cs->buf, ':') : NULL;
	if (sym)
		*sym++ = 0;
	if (!sym || !*cs->buf || !*sym || !*sig)
		return call_fail(126, "%s: expected OBJECT:SYMBOL:SIGNATURE, as in "
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
	if (!st && !parse_signature(cs.signature, &sig, err))
		st = call_fail(126, "signature %s: %s", uexec_quote(cs.signature, q, sizeof(q)),
			       err);
	if (!st && !(args = calloc((size_t)argc + 1, sizeof(*args))))
		st = call_fail(126, "out of memory");
	if (!st)
		st = parse_args(&cs, &sig, argc, argv, args);
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
