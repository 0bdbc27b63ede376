# tests/bad-elf/lib.sh: sourced by the bad-input tests after tap.sh.

. "$top_srcdir/tests/integration/lib.sh"
BADDIR=$TESTTMP
GEN="$top_builddir/tests/bad-elf/gen-bad-elf"

# The host's binfmt.d rules (qemu-user for foreign machines, say) are not
# the subject here: uexec reads none.
mkdir "$BADDIR/no-binfmt.d"
UEXEC_BINFMT_D_PATH=$BADDIR/no-binfmt.d
export UEXEC_BINFMT_D_PATH

# A reason lost to a reported uexec bug: set REASON_BUG to it, and the
# message check of the next refuse becomes a TODO.
REASON_BUG=

# refuse FILE STATUS REGEX [PREFIX...]: "$UEXEC" FILE (started through
# PREFIX) must exit STATUS (not killed by a signal), print nothing on
# stdout (the program never ran), and exactly one stderr line
# "uexec: FILE: reason" whose reason matches REGEX (grep -Ei).
refuse() {
	_file=$1 _want=$2 _re=$3
	shift 3
	"$@" "$UEXEC" "$_file" >"$BADDIR/out" 2>"$BADDIR/err" </dev/null
	_rc=$?
	_name=${_file##*/}
	[ "$_rc" -eq "$_want" ]
	tap_ok $? "$_name: exit status $_want (got $_rc)"
	[ "$_rc" -lt 128 ]
	tap_ok $? "$_name: uexec is not killed by a signal"
	[ ! -s "$BADDIR/out" ]
	tap_ok $? "$_name: nothing on stdout (the program did not run)"
	[ "$(wc -l <"$BADDIR/err")" -eq 1 ] && grep -q "^uexec: $_file: " "$BADDIR/err"
	tap_ok $? "$_name: exactly one line 'uexec: FILE: ...' on stderr"
	sed "s|^uexec: $_file: ||" "$BADDIR/err" | grep -Eiq -- "$_re"
	_st=$?
	if [ -n "$REASON_BUG" ]; then
		tap_todo $_st "$_name: the reason matches /$_re/" "$REASON_BUG"
	else
		tap_ok $_st "$_name: the reason matches /$_re/"
	fi
	REASON_BUG=
	[ "$_rc" -eq "$_want" ] && [ -s "$BADDIR/err" ] && [ ! -s "$BADDIR/out" ] ||
		sed 's/^/# /' "$BADDIR/err" "$BADDIR/out"
}
