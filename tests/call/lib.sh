# tests/call/lib.sh: sourced by the --call tests.  TAP helpers, the test
# library and PIE of this folder, a scratch directory removed at exit, and
# the two checks every test is made of.
. "$top_srcdir/tests/tap.sh"
LIB="$top_builddir/tests/call/.libs/calltest.so"
PIE="$top_builddir/tests/call/pie"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/uexec-call.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT
NL='
'

_call() {	# _call SPEC [ARG...]: uexec --call, outputs in $TMP, status in $st
	"$UEXEC" --call "$@" >"$TMP/out" 2>"$TMP/err"
	st=$?
}
_call_diag() {
	tap_diag "exit status $st"
	sed 's/^/# stdout: /' "$TMP/out"
	sed 's/^/# stderr: /' "$TMP/err"
}

# call_is EXPECTED DESC SPEC [ARG...]: exit 0, stdout exactly EXPECTED and a
# newline (nothing if EXPECTED is empty), stderr empty.
call_is() {
	_exp=$1 _desc=$2
	shift 2
	_call "$@"
	if [ -n "$_exp" ]; then printf '%s\n' "$_exp"; fi >"$TMP/exp"
	if [ "$st" -eq 0 ] && cmp -s "$TMP/exp" "$TMP/out" && [ ! -s "$TMP/err" ]; then
		tap_ok 0 "$_desc"
	else
		tap_ok 1 "$_desc"
		tap_diag "expected: $_exp"
		_call_diag
	fi
}

# call_fails STATUS LINE DESC SPEC [ARG...]: exit STATUS, stdout empty, and
# stderr exactly the one line LINE (which starts with "uexec: ").
call_fails() {
	_status=$1 _line=$2 _desc=$3
	shift 3
	_call "$@"
	printf '%s\n' "$_line" >"$TMP/exp"
	if [ "$st" -eq "$_status" ] && [ ! -s "$TMP/out" ] && cmp -s "$TMP/exp" "$TMP/err" &&
	   [ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -q '^uexec: ' "$TMP/err"; then
		tap_ok 0 "$_desc"
	else
		tap_ok 1 "$_desc"
		tap_diag "expected status $_status, line: $_line"
		_call_diag
	fi
}
