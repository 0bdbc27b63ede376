/* SPDX-License-Identifier: MIT */
/*
 * The library tests/call/call.sh calls with uexec --call: exported
 * functions of each kind of argument and return value, a static function
 * found only in .symtab, a data symbol, and a constructor's mark.  Built
 * unstripped; each function's contract is the output the test expects.
 */
#include <stdio.h>
#include <string.h>

int calltest_add(int a, int b);
double calltest_mix(int a, double b, long c, const char *s);
const char *calltest_greet(const char *name);
const char *calltest_null(void);
void *calltest_ptr(void);
float calltest_third(void);
long double calltest_ldiv(long double a, long double b);
unsigned char calltest_u8(unsigned char x);
short calltest_neg16(short x);
unsigned long long calltest_umax(void);
int calltest_print(void);
void calltest_void(void);
int calltest_ctor_ran(void);
int calltest_use_secret(int a);
extern int calltest_data;

int calltest_data = 5;
static int ctor_ran;

__attribute__((constructor)) static void calltest_init(void)
{
	ctor_ran = 1;
}

/* Not exported: reachable only through the library's .symtab. */
__attribute__((noinline, noclone, used)) static int calltest_secret(int a, int b)
{
	return a * 100 + b;
}

int calltest_use_secret(int a)
{
	return calltest_secret(a, a);
}

int calltest_add(int a, int b)
{
	return a + b;
}

/* a + b + c + strlen(s) */
double calltest_mix(int a, double b, long c, const char *s)
{
	return a + b + (double)c + (double)strlen(s);
}

/* "hello, NAME" */
const char *calltest_greet(const char *name)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "hello, %s", name);
	return buf;
}

const char *calltest_null(void)
{
	return NULL;
}

void *calltest_ptr(void)
{
	return (void *)0x1234;
}

float calltest_third(void)
{
	return 1.0f / 3.0f;
}

long double calltest_ldiv(long double a, long double b)
{
	return a / b;
}

unsigned char calltest_u8(unsigned char x)
{
	return (unsigned char)(x + 1);
}

short calltest_neg16(short x)
{
	return (short)-x;
}

unsigned long long calltest_umax(void)
{
	return ~0ULL;
}

/* Prints through stdio, unflushed, before returning 42. */
int calltest_print(void)
{
	printf("printed by the function\n");
	return 42;
}

void calltest_void(void)
{
	fputs("void function\n", stdout);
}

int calltest_ctor_ran(void)
{
	return ctor_ran;
}
