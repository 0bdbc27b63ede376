# tests/tap.sh: sourced by the shell tests; TAP output helpers.
# Usage: . "$top_srcdir/tests/tap.sh"; plan N | ok COND DESC | ... ; done_testing
_tap_n=0
_tap_fail=0
# The machine the tests run on (setarch takes it), and its names for the
# program counter and the stack pointer, as uexec prints them.
MACHINE=$(uname -m)
case $MACHINE in
aarch64) PC_REG=pc SP_REG=sp ;;
*) PC_REG=rip SP_REG=rsp ;;
esac
tap_ok() {	# tap_ok STATUS DESCRIPTION  (STATUS 0 = pass)
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		_tap_fail=$((_tap_fail + 1))
	fi
}
tap_skip() {	# tap_skip DESCRIPTION REASON
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}
tap_diag() { printf '# %s\n' "$@"; }
tap_done() {
	echo "1..$_tap_n"
	[ "$_tap_fail" -eq 0 ]
}
