# tests/tap.sh: sourced by the shell tests; TAP output helpers.
# Usage: . "$top_srcdir/tests/tap.sh"; plan N | ok COND DESC | ... ; done_testing
_tap_n=0
_tap_fail=0
# The machine the tests run on (setarch takes it), its e_machine, and the
# registers uexec's plan and trace name: the program counter, the stack
# pointer, the flags with their value at the entry (x86_64: IF and bit 1;
# aarch64: pstate's SSBS bit or nothing), and the one the ABI passes an
# atexit function in.
MACHINE=$(uname -m)
# The running kernel's version as major * 1000 + minor (6.1 is 6001).
KVERSION=$(uname -r | awk -F'[.-]' '{print $1 * 1000 + $2}')
# The running kernel's page size in bytes.
PAGE=$(getconf PAGESIZE)
case $MACHINE in
aarch64) EM_NUM=183 PC_REG=pc SP_REG=sp FLAGS_RE='pstate (0x0|0x1000)' ATEXIT_REG=x0 ;;
*) EM_NUM=62 PC_REG=rip SP_REG=rsp FLAGS_RE='rflags 0x202' ATEXIT_REG=rdx ;;
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
# tap_todo STATUS DESC REASON: a known open problem (elsewhere): a failure
# is reported as TODO (not counted), a pass as a plain pass.
tap_todo() {
	if [ "$1" -eq 0 ]; then tap_ok 0 "$2"; else
		_tap_n=$((_tap_n + 1)); echo "not ok $_tap_n - $2 # TODO $3"; fi
}
tap_done() {
	echo "1..$_tap_n"
	[ "$_tap_fail" -eq 0 ]
}
