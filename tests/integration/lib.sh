# tests/integration/lib.sh: sourced by the integration tests after tap.sh.
# Runs a program natively and under "$UEXEC" from the same state and
# compares what they print and how they end.

TESTTMP=$(mktemp -d "${TMPDIR:-/tmp}/uexec-test.XXXXXX") || exit 99
trap 'rm -rf "$TESTTMP"' EXIT

# The fixed environment of every run (the programs print $HELLO).
run_env() {
	env -i PATH=/usr/local/bin:/usr/bin:/bin LC_ALL=C HELLO=world "$@"
}

# run NAME CMD...: stdout, stderr and status of CMD in $TESTTMP/NAME.{out,err,rc}.
run() {
	_name=$1
	shift
	run_env "$@" >"$TESTTMP/$_name.out" 2>"$TESTTMP/$_name.err" </dev/null
	echo $? >"$TESTTMP/$_name.rc"
}

rc_of() { cat "$TESTTMP/$1.rc"; }

# show NAME: its output as TAP comments (after a failure).
show() {
	for _f in out err; do
		[ -s "$TESTTMP/$1.$_f" ] && sed "s/^/# $1.$_f: /" "$TESTTMP/$1.$_f"
	done
	echo "# $1 status: $(rc_of "$1")"
}

# A TAP line for a failure explained by a uexec bug already reported:
# "not ok" becomes an expected failure; an "ok" (the bug fixed) is XPASS.
tap_todo() {	# tap_todo STATUS DESCRIPTION REASON
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2 # TODO $3"
	else
		echo "not ok $_tap_n - $2 # TODO $3"
	fi
}

# known_bug REGEX REASON: a "FAIL" line matching REGEX is a reported uexec
# bug.  It gets its own TODO test; the other checks ignore that line.
KNOWN_BUGS=
known_bug() {
	KNOWN_BUGS="$KNOWN_BUGS$1	$2
"
}

# filter_known: standard input less the lines of known bugs.
filter_known() {
	_pat=$(printf '%s' "$KNOWN_BUGS" | cut -f1 | grep -v '^$' | paste -sd'|' -)
	if [ -n "$_pat" ]; then
		grep -Ev -- "$_pat"
	else
		cat
	fi
}

# unexplained NAME: the FAIL lines of NAME.out that no known bug explains.
unexplained() {
	grep '^FAIL ' "$TESTTMP/$1.out" | filter_known
}

# check_uexec_run DESC WANT NATIVE UEXEC: the TAP lines for a uexec run
# against its native twin (already run): no unexplained FAIL line, a TODO
# line per known bug seen, the status WANT, and the native output.
check_uexec_run() {
	_desc=$1 _want=$2 _n=$3 _u=$4 _known=0
	_bad=$(unexplained "$_u")
	tap_ok "$([ -z "$_bad" ]; echo $?)" "$_desc: no failed check under uexec"
	[ -z "$_bad" ] || show "$_u"
	printf '%s' "$KNOWN_BUGS" | while IFS='	' read -r _re _why; do
		[ -n "$_re" ] || continue
		grep -Eq -- "$_re" "$TESTTMP/$_u.out" && echo "$_why"
	done >"$TESTTMP/$_u.known"
	while IFS= read -r _why; do
		tap_todo 1 "$_desc: under uexec" "$_why"
		_known=1
	done <"$TESTTMP/$_u.known"
	if [ "$(rc_of "$_u")" -eq "$_want" ]; then
		tap_ok 0 "$_desc: uexec exits $_want"
	elif [ "$_known" -eq 1 ] && [ -z "$_bad" ]; then
		tap_todo 1 "$_desc: uexec exits $_want" "status of the known bug above"
	else
		tap_ok 1 "$_desc: uexec exits $_want (got $(rc_of "$_u"))"
		show "$_u"
	fi
	filter_known <"$TESTTMP/$_u.out" >"$TESTTMP/$_u.cmp"
	if cmp -s "$TESTTMP/$_n.out" "$TESTTMP/$_u.cmp"; then
		tap_ok 0 "$_desc: same output as native"
	else
		tap_ok 1 "$_desc: same output as native"
		diff "$TESTTMP/$_n.out" "$TESTTMP/$_u.cmp" | sed 's/^/# /'
	fi
}

# How the two runs start PROGRAM (split into words: build paths without
# spaces).  The defaults: the kernel, and the uexec CLI.
LAUNCH="$top_builddir/tests/integration/launch"
NATIVE_PREFIX=
UEXEC_PREFIX=$UEXEC

# compare DESC WANT PROGRAM [ARG...]: run PROGRAM natively and under
# uexec; both must exit WANT, print no FAIL line and print the same.
compare() {
	_cdesc=$1 _cwant=$2
	shift 2
	run native $NATIVE_PREFIX "$@"
	tap_ok "$([ "$(rc_of native)" -eq "$_cwant" ] && ! grep -q '^FAIL ' \
		"$TESTTMP/native.out"; echo $?)" "$_cdesc: native run passes (status $_cwant)"
	[ "$(rc_of native)" -eq "$_cwant" ] || show native
	run uexec $UEXEC_PREFIX "$@"
	check_uexec_run "$_cdesc" "$_cwant" native uexec
}

# need_prog NAME: is $TESTPROGS/NAME built?  Otherwise a SKIP line.
need_prog() {
	[ -x "$TESTPROGS/$1" ] && return 0
	tap_skip "$1" "not built (toolchain without this link mode)"
	return 1
}

# compare_via NATIVE-PREFIX UEXEC-PREFIX DESC WANT PROGRAM [ARG...]:
# compare, with the two runs started through the prefixes given.
compare_via() {
	_save_np=$NATIVE_PREFIX _save_up=$UEXEC_PREFIX
	NATIVE_PREFIX=$1 UEXEC_PREFIX=$2
	shift 2
	compare "$@"
	NATIVE_PREFIX=$_save_np UEXEC_PREFIX=$_save_up
}
