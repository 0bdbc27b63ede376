# tests/debug/lib.sh: sourced by the debug tests.  TAP helpers, the test
# programs of this folder, and a scratch directory removed at exit.
. "$top_srcdir/tests/tap.sh"
D="$top_builddir/tests/debug"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/uexec-debug.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT
PROGS="hello-static hello-dyn"
[ -x "$D/hello-spie" ] && PROGS="$PROGS hello-spie"

# has FILE REGEX: FILE has a line matching the extended REGEX.
has() { grep -Eq -- "$2" "$1"; }
# ok_has FILE REGEX DESC
ok_has() {
	if has "$1" "$2"; then tap_ok 0 "$3"; else tap_ok 1 "$3"; tap_diag "no line matches: $2"; fi
}
# tap_todo STATUS DESC REASON: a known open problem (elsewhere): a failure
# is reported as TODO (not counted), a pass as a plain pass.
tap_todo() {
	if [ "$1" -eq 0 ]; then tap_ok 0 "$2"; else
		_tap_n=$((_tap_n + 1)); echo "not ok $_tap_n - $2 # TODO $3"; fi
}
