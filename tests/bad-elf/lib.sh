# tests/bad-elf/lib.sh: sourced by the bad-input tests after tap.sh.

. "$top_srcdir/tests/integration/lib.sh"
BADDIR=$TESTTMP
GEN="$top_builddir/tests/bad-elf/gen-bad-elf"

# The host's binfmt.d rules (qemu-user for foreign machines, say) are not
# the subject here: uexec reads none.
mkdir "$BADDIR/no-binfmt.d"
UEXEC_BINFMT_D_PATH=$BADDIR/no-binfmt.d
export UEXEC_BINFMT_D_PATH

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
	tap_ok $? "$_name: the reason matches /$_re/"
	[ "$_rc" -eq "$_want" ] && [ -s "$BADDIR/err" ] && [ ! -s "$BADDIR/out" ] ||
		sed 's/^/# /' "$BADDIR/err" "$BADDIR/out"
}
