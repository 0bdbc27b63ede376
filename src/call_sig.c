/* SPDX-License-Identifier: MIT */
/*
 * uexec --call: the signature, a C function type ("int(int, const char *,
 * ...)"): C's type specifiers in any order, the typedef names of
 * <stddef.h> and <stdint.h>, '*'s; const and volatile ignored.
 */
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call_types.h"
#include "debug.h"

/* ------------------------------------------------------------------ */
/* Integers in a call_value */

void uexec_call_store_int(union call_value *v, size_t size, uint64_t x)
{
	switch (size) {
	case 1: v->u8 = (uint8_t)x; break;
	case 2: v->u16 = (uint16_t)x; break;
	case 4: v->u32 = (uint32_t)x; break;
	default: v->u64 = x; break;
	}
}

uint64_t uexec_call_load_uint(const union call_value *v, size_t size)
{
	return size == 1 ? v->u8 : size == 2 ? v->u16 : size == 4 ? v->u32 : v->u64;
}

int64_t uexec_call_load_sint(const union call_value *v, size_t size)
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

void uexec_call_set_kind(struct call_type *t, enum call_kind k, size_t size)
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
		uexec_call_set_kind(t, stars == 1 && s->base == 'c' && !s->sign ? CK_STR : CK_PTR,
			 sizeof(void *));
	else if (s->base == 'v')
		uexec_call_set_kind(t, CK_VOID, 0);
	else if (s->base == 'f')
		uexec_call_set_kind(t, CK_FLOAT, sizeof(float));
	else if (s->base == 'd')
		uexec_call_set_kind(t, s->longs ? CK_LDOUBLE : CK_DOUBLE, s->longs ? sizeof(long double) :
			 sizeof(double));
	else if (s->base == 't')
		uexec_call_set_kind(t, call_typedefs[s->tdef].kind, call_typedefs[s->tdef].size);
	else if (s->base == 'c')
		uexec_call_set_kind(t, s->sign ? sk : CHAR_MIN < 0 ? CK_SINT : CK_UINT, 1);
	else
		uexec_call_set_kind(t, sk, s->shorts ? sizeof(short) : s->longs == 2 ? sizeof(long long) :
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
void uexec_call_builtin_type(const char *text, struct call_type *t)
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
bool uexec_call_parse_signature(const char *text, struct call_sig *sig, char *err)
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
bool uexec_call_type_prefix(const char *s, size_t len, struct call_type *t)
{
	struct lexer lx;
	char junk[ERRLEN];

	lex_start(&lx, s, len);
	if (word_is(&lx.t, "str") && lx.p == s + len) {
		uexec_call_builtin_type("char *", t);
		return true;
	}
	return parse_type(&lx, t, junk) && lx.t.kind == T_END;
}
