/* SPDX-License-Identifier: MIT */
/*
 * What the parts of uexec --call share (call.c, call_sig.c, call_args.c):
 * the C types a signature names, the values libffi passes, and the
 * one-line failure.  Internal to the CLI.
 */
#ifndef UEXEC_CALL_TYPES_H
#define UEXEC_CALL_TYPES_H

#include <ffi.h>
#include <float.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* Prints "uexec: --call: MESSAGE" on stderr as one line; returns STATUS. */
int uexec_call_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Integers in a call_value of SIZE bytes. */
void uexec_call_store_int(union call_value *v, size_t size, uint64_t x);
uint64_t uexec_call_load_uint(const union call_value *v, size_t size);
int64_t uexec_call_load_sint(const union call_value *v, size_t size);

/* call_sig.c: SIGNATURE ("double(double)") into SIG; false with the
 * offending token named in ERR (ERRLEN bytes). */
bool uexec_call_parse_signature(const char *text, struct call_sig *sig, char *err);
/* The type spelled TEXT (a valid one: "int", "char *"). */
void uexec_call_builtin_type(const char *text, struct call_type *t);
/* Is [S, S+LEN) "str" or exactly one type?  Then T is it. */
bool uexec_call_type_prefix(const char *s, size_t len, struct call_type *t);
void uexec_call_set_kind(struct call_type *t, enum call_kind k, size_t size);

/* call_args.c: ARGC words at ARGV into ARGS for SIG (the variadic ones
 * typed by their form); 0 or the exit status, the failure printed. */
int uexec_call_parse_args(const struct call_spec *cs, const struct call_sig *sig, int argc,
			  char **argv, struct call_arg *args);

#endif
