/* SPDX-License-Identifier: MIT */
/*
 * uexec --call: the arguments, each parsed strictly for its parameter's
 * type, or, after the fixed ones of a variadic function, typed by its form
 * ("int:5", "double:1", "str:5" force a type).
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
	uexec_call_store_int(v, t->size, x);
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
		uexec_call_set_kind(&addr, CK_UINT, sizeof(void *));
		if (!parse_int(s, &addr, v, err))
			return false;
		v->p = (void *)(uintptr_t)uexec_call_load_uint(v, sizeof(void *));
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
				uexec_call_builtin_type("int", t);
			else
				uexec_call_builtin_type(!errno || *s == '-' ? "long" : "unsigned long", t);
			return;
		}
		(void)strtod(s, &end);
		if (!*end && end != s && strpbrk(s, "0123456789") && strpbrk(s, ".eEpP")) {
			uexec_call_builtin_type("double", t);
			return;
		}
	}
	uexec_call_builtin_type("char *", t);
}

/* The type of variadic argument S and its value's text (*VAL): a prefix
 * "TYPE:" forces the type ("str:" a string), else vararg_default(). */
static bool vararg_type(const char *s, struct call_type *t, const char **val, char *err)
{
	const char *colon = strchr(s, ':');

	*val = s;
	if (!colon || !uexec_call_type_prefix(s, (size_t)(colon - s), t)) {
		vararg_default(s, t);
		return true;
	}
	if (t->kind == CK_VOID) {
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
		uexec_call_builtin_type("double", &a->type);
	} else if ((a->type.kind == CK_SINT || a->type.kind == CK_UINT) &&
		   a->type.size < sizeof(int)) {
		int64_t x = a->type.kind == CK_SINT ? uexec_call_load_sint(&a->v, a->type.size) :
			    (int64_t)uexec_call_load_uint(&a->v, a->type.size);

		uexec_call_store_int(&a->v, sizeof(int), (uint64_t)x);
		uexec_call_builtin_type("int", &a->type);
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
int uexec_call_parse_args(const struct call_spec *cs, const struct call_sig *sig, int argc,
		      char **argv, struct call_arg *args)
{
	size_t n = (size_t)argc;
	char err[ERRLEN], q[160];

	if (n < sig->nparams || (!sig->variadic && n > sig->nparams))
		return uexec_call_fail(126, "%s takes %s%zu argument%s, %d given",
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
			return uexec_call_fail(126, "argument %zu %s: %s", i + 1,
					 uexec_quote(argv[i], q, sizeof(q)), err);
	}
	return 0;
}
