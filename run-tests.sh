#!/bin/sh
# run-tests.sh: build uexec (if needed) and run the whole test suite.
# Prints automake's summary, then one line "N passed, N failed[, N skipped]".
set -u
cd "$(dirname "$0")"
[ -x configure ] || autoreconf -fi || exit 1
[ -f Makefile ] || ./configure -q || exit 1
make -j"$(nproc)" >/dev/null || exit 1
make -j"$(nproc)" check
status=$?
log=test-suite.log
if [ -f "$log" ]; then
	pass=$(sed -n 's/^# PASS: *//p' "$log")
	xfail=$(sed -n 's/^# XFAIL: *//p' "$log")
	fail=$(sed -n 's/^# FAIL: *//p' "$log")
	xpass=$(sed -n 's/^# XPASS: *//p' "$log")
	error=$(sed -n 's/^# ERROR: *//p' "$log")
	skip=$(sed -n 's/^# SKIP: *//p' "$log")
	# Count TAP results inside the logs, so the figure says how many checks ran.
	tp=$(cat tests/*.log tests/*/*.log 2>/dev/null | grep -c '^ok ')
	tf=$(cat tests/*.log tests/*/*.log 2>/dev/null | grep -c '^not ok ')
	echo "test scripts: ${pass:-0} pass, ${fail:-0} fail, ${error:-0} error, ${xfail:-0} xfail, ${xpass:-0} xpass, ${skip:-0} skip"
	echo "$tp passed, $tf failed"
fi
exit $status
