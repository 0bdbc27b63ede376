#!/bin/sh
# uexec --call: functions of the C library, libm and this folder's test
# library called with each kind of argument and return value; the exact
# output is asserted.
. "$top_srcdir/tests/call/lib.sh"

call_is 0.5403023058681398 "cos(1) in libm" 'libm.so.6:cos:double(double)' 1
call_is 1 "cos(0) prints 1" 'libm.so.6:cos:double(double)' 0
call_is 107.5 "ldexp(215, -1): an int argument, shortest double" \
	'libm.so.6:ldexp:double(double, int)' 215 -1
call_is 5 "strlen(\"hello\") in libc" 'libc.so.6:strlen:size_t(const char *)' hello
call_is 0 "strlen(\"\")" 'libc.so.6:strlen:size_t(char const *)' ''
call_is 5 "abs(-5) after --" 'libc.so.6:abs:int(int)' -- -5
call_is 5 "abs(-5): a negative number after the spec is not an option" \
	'libc.so.6:abs:int(int)' -5
call_is 10000000000 "labs(-10000000000) as 'long int'" 'libc.so.6:labs:long int(long)' \
	-- -10000000000
call_is 255 "strtoul: a pointer argument given as a number (0)" \
	'libc.so.6:strtoul:unsigned long(const char *, char **, int)' 0xff 0 0

# The test library: exported, static, constructor, each type.
call_is 5 "an exported function of the test library" "$LIB:calltest_add:int(int, int)" 2 3
call_is 24 "hex and octal arguments" "$LIB:calltest_add:int(int, int)" 0x10 010
readelf --dyn-syms -W "$LIB" | grep -q calltest_secret
dyn=$?
readelf -s -W "$LIB" | grep -Eq 'FUNC +LOCAL .* calltest_secret$'
[ "$dyn" -ne 0 ] && [ $? -eq 0 ]
tap_ok $? "calltest_secret is a local function of .symtab, not exported"
call_is 402 "a static function, found in .symtab at the load address" \
	"$LIB:calltest_secret:int(int, int)" 4 2
call_is 1 "the object's constructor ran before the call" "$LIB:calltest_ctor_ran:int(void)"
call_is 10000000006.5 "mixed int, double, long and string arguments" \
	"$LIB:calltest_mix:double(int, double, long, const char *)" 1 2.5 10000000000 abc
call_is "hello, world" "a function returning a string" \
	"$LIB:calltest_greet:const char *(const char *)" world
call_is "(null)" "a NULL string" "$LIB:calltest_null:char *(void)"
call_is 0x1234 "a pointer return value in hex" "$LIB:calltest_ptr:void *()"
call_is 0.33333334 "float: the shortest text at float precision" "$LIB:calltest_third:float(void)"
call_is 0.25 "long double arguments and return value" \
	"$LIB:calltest_ldiv:long double(long double, long double)" 1 4
# 1 + 2^-60, as the shortest text at long double precision: x86's 80-bit
# extended (64-bit mantissa) or aarch64's IEEE binary128 (113 bits).
case $MACHINE in
aarch64) ld_want=1.0000000000000000008673617379884035 ;;
*) ld_want=1.0000000000000000009 ;;
esac
call_is $ld_want "long double keeps the digits a double would lose" \
	"$LIB:calltest_ldiv:long double(long double, long double)" \
	1.00000000000000000086736173798840354720596224069595336914062 1
call_is 0 "unsigned char: 255 + 1 wraps" "$LIB:calltest_u8:unsigned char(unsigned char)" 255
call_is 32767 "short: a negative argument, a sign-extended return" \
	"$LIB:calltest_neg16:short(short)" -32767
call_is -32767 "short return value negative" "$LIB:calltest_neg16:short int(signed short)" 32767
call_is 18446744073709551615 "unsigned long long return value" \
	"$LIB:calltest_umax:unsigned long long(void)"
call_is "printed by the function${NL}42" "the function's stdio output comes first" \
	"$LIB:calltest_print:int(void)"
call_is "void function" "void: nothing printed after the function's output" \
	"$LIB:calltest_void:void(void)"
call_is "" "void with an argument: no output at all" 'libc.so.6:srand:void(unsigned int)' 1

# Variadic calls: int, long, double and string by the form; forced types.
call_is "x=7 str 2.5${NL}12" "variadic dprintf: the output, then its return value" \
	'libc.so.6:dprintf:int(int, const char *, ...)' 1 "x=%d %s %g$NL" 7 str 2.5
call_is "-3 10000000000 0x1p+0|22" "variadic negative int, long, hex float" \
	'libc.so.6:dprintf:int(int, const char *, ...)' 1 '%d %ld %a|' -3 10000000000 0x1p0
call_is "5 7 1 A 1.5|12" "variadic forced types str:, int:, double:, char: and float:" \
	'libc.so.6:dprintf:int(int, const char *, ...)' 1 '%s %d %g %c %g|' \
	str:5 int:7 double:1 char:65 float:1.5
call_is "a:b 08|7" "variadic strings that look like a type prefix or a number" \
	'libc.so.6:dprintf:int(int, const char *, ...)' 1 '%s %s|' a:b 08

# libffi is the CLI's alone.
if command -v readelf >/dev/null 2>&1; then
	! readelf -d "$top_builddir/src/.libs/libuexec.so" | grep -q 'libffi'
	tap_ok $? "libuexec.so does not link libffi"
else
	tap_skip "libuexec.so does not link libffi" "no readelf"
fi
tap_done
