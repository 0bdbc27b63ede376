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
