# tests/handlers/lib.sh: sourced by the handler tests.
. "$top_srcdir/tests/tap.sh"
SHOWARGS="$top_builddir/tests/handlers/showargs"
TPLUGINS="$top_builddir/tests/handlers/.libs"
BUSYBOX=/bin/busybox
WORK=$(mktemp -d "${TMPDIR:-/tmp}/uexec-handlers.XXXXXX") || exit 99
trap 'cd /; rm -rf "$WORK"' EXIT
cd "$WORK" || exit 99
# uexec's cache of the binfmt.d rules lives here (doc/handlers.md), not in
# the user's own runtime directory.
XDG_RUNTIME_DIR="$WORK/.run"; export XDG_RUNTIME_DIR
mkdir -m 700 "$XDG_RUNTIME_DIR" || exit 99
NL='
'
TAB='	'

# uexec without the system's binfmt.d rules (the tests bring their own).
ux() { "$UEXEC" --no-system-binfmt "$@"; }

# run OUT ERR CMD...: run CMD, stdout to OUT, stderr to ERR; sets $rc.
run() {
	_o=$1 _e=$2; shift 2
	"$@" >"$_o" 2>"$_e"; rc=$?
}

# has FILE LINE: FILE has the exact line LINE.
has() { grep -qxF -- "$2" "$1"; }
# contains FILE TEXT: FILE has TEXT somewhere.
contains() { grep -qF -- "$2" "$1"; }

# check DESC COND...: one TAP test from a shell condition; on failure show
# the last run's output.
check() {
	_d=$1; shift
	if "$@"; then tap_ok 0 "$_d"; else
		tap_ok 1 "$_d"
		[ -f out ] && sed 's/^/#   out: /' out | head -20
		[ -f err ] && sed 's/^/#   err: /' err | head -5
	fi
}

# mkprog FILE CONTENT: an executable file with CONTENT (printf %b).
mkprog() { printf '%b' "$2" > "$1" && chmod +x "$1"; }

if [ ! -x "$BUSYBOX" ]; then
	tap_skip "handler tests" "needs $BUSYBOX (Debian package busybox-static)"
	tap_done; exit 0
fi
