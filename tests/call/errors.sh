#!/bin/sh
# uexec --call: each failure exits 127 (not found) or 126 (cannot call as
# asked) with one line on stderr; a crash of the function is its own.
. "$top_srcdir/tests/call/lib.sh"
P='uexec: --call:'
ADD="$LIB:calltest_add:int(int, int)"
ABS='libc.so.6:abs:int(int)'

call_fails 127 "$P libnope.so.9: cannot open shared object file: No such file or directory" \
	"object not found: 127 with dlerror's reason" 'libnope.so.9:f:int(void)'
printf 'not an ELF file, but long enough to hold an ELF header: %064d\n' 0 >"$TMP/notelf.so"
call_fails 127 "$P $TMP/notelf.so: invalid ELF header" \
	"object not loadable: 127 with dlerror's reason" "$TMP/notelf.so:f:int(void)"
call_fails 126 "$P $PIE: a position-independent executable, which dlopen refuses ($PIE: cannot dynamically load position-independent executable)" \
	"a PIE executable: 126, saying so" "$PIE:pie_add:int(int)" 1
call_fails 127 "$P $LIB: no symbol 'nope' (neither exported nor in .symtab)" \
	"symbol not found: 127" "$LIB:nope:int(void)"
strip -o "$TMP/stripped.so" "$LIB"
call_fails 127 "$P $TMP/stripped.so: no exported symbol 'calltest_secret', and no .symtab (stripped)" \
	"a static function of a stripped object: 127" "$TMP/stripped.so:calltest_secret:int(int, int)" 1 2
call_fails 126 "$P $LIB: 'calltest_data' is data (STT_OBJECT), not a function" \
	"a data symbol: 126" "$LIB:calltest_data:int(void)"
call_fails 126 "$P \"libm.so.6:cos\": expected OBJECT:SYMBOL:SIGNATURE, as in libm.so.6:cos:double(double)" \
	"a spec without its three parts: 126" 'libm.so.6:cos' 1

# Signatures: each message names the token.
sig_fails() {	# sig_fails SIGNATURE MESSAGE DESC
	call_fails 126 "$P signature \"$1\": $2" "signature: $3" "$LIB:calltest_add:$1" 1 2
}
sig_fails 'int(int, intt)' "unknown type 'intt'" "an unknown type"
sig_fails 'int(struct s)' "unknown type 'struct'" "a structure"
sig_fails 'int(int' "expected ',' or ')' at the end" "no closing parenthesis"
sig_fails 'int int(int)' "'int' cannot follow 'int'" "two base types"
sig_fails 'int(unsigned double)' "'double' cannot follow 'unsigned'" "unsigned double"
sig_fails 'int(long long long)' "'long' cannot follow 'long long'" "long long long"
sig_fails 'int(void, int)' "a parameter cannot be 'void'" "a void parameter"
sig_fails 'int(int,)' "expected a type at ')'" "a missing parameter"
sig_fails 'int(* x)' "expected a type at '*'" "a pointer to nothing"
sig_fails 'int(char * x)' "'x' cannot follow 'char *'" "a parameter name"
sig_fails 'int(..., int)' "expected ')' after '...' at ','" "a parameter after ..."
sig_fails 'int(int) x' "expected the end at 'x'" "text after the signature"
sig_fails 'int(int @)' "expected ',' or ')' at '@'" "a stray character"

# Arguments: the count, and each parsed strictly for its type.
call_fails 126 "$P \"int(int, int)\" takes 2 arguments, 1 given" "too few arguments" "$ADD" 1
call_fails 126 "$P \"int(int, int)\" takes 2 arguments, 3 given" "too many arguments" "$ADD" 1 2 3
call_fails 126 "$P \"int(int, ...)\" takes at least 1 argument, 0 given" \
	"a variadic function without its fixed argument" 'libc.so.6:printf:int(int, ...)'
arg_fails() {	# arg_fails SIGNATURE ARG MESSAGE DESC
	call_fails 126 "$P argument 1 \"$2\": $3" "argument: $4" "$LIB:calltest_add:$1" -- "$2"
}
arg_fails 'int(int)' abc "not an integer (for 'int')" "a word for an int"
arg_fails 'int(int)' 1.5 "not an integer (for 'int')" "a fraction for an int"
arg_fails 'int(int)' ' 1' "not an integer (for 'int')" "a leading space"
arg_fails 'int(int)' 0x "not an integer (for 'int')" "0x alone"
arg_fails 'int(int)' 09 "not an integer (for 'int')" "a bad octal digit"
arg_fails 'int(int)' 2147483648 "out of range for 'int'" "INT_MAX + 1"
arg_fails 'int(int)' -2147483649 "out of range for 'int'" "INT_MIN - 1"
arg_fails 'int(unsigned char)' 256 "out of range for 'unsigned char'" "256 for unsigned char"
arg_fails 'int(size_t)' -1 "out of range for 'size_t'" "a negative size_t"
arg_fails 'int(uint64_t)' 18446744073709551616 "out of range for 'uint64_t'" "2^64"
arg_fails 'int(double)' 1.5x "not a number (for 'double')" "trailing text after a double"
arg_fails 'int(double)' 1e999 "out of range for 'double'" "a double that overflows"
arg_fails 'int(float)' 1e39 "out of range for 'float'" "a float that overflows"
arg_fails 'int(void *)' xyz "not an integer (for 'void *')" "a pointer that is not a number"
call_fails 126 "$P argument 3 \"int:abc\": not an integer (for 'int')" \
	"argument: a forced int that is not one" \
	'libc.so.6:dprintf:int(int, const char *, ...)' 1 '%d' int:abc
call_fails 126 "$P argument 3 \"void:1\": a variadic argument cannot be 'void'" \
	"argument: a variadic void" 'libc.so.6:dprintf:int(int, const char *, ...)' 1 '%d' void:1
call_fails 126 "$P argument 2 \"a\\nb\": not an integer (for 'int')" \
	"argument: a newline in the argument is quoted, the message stays one line" \
	"$ADD" 1 "a${NL}b"

# The function's own crash: the process dies of its signal.
(ulimit -c 0; "$UEXEC" --call 'libc.so.6:strlen:size_t(void *)' 0 >/dev/null 2>&1)
[ $? -eq 139 ]
tap_ok $? "strlen(NULL) dies of SIGSEGV (status 139)"
tap_done
