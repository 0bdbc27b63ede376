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
# The aarch64 layer: cross-built and run under qemu-user, where the cross
# toolchain is installed (setup.sh installs it); its TAP log is counted
# below with the others.
if [ "$(uname -m)" = x86_64 ] && command -v qemu-aarch64-static >/dev/null &&
   [ -f /usr/aarch64-linux-gnu/lib/libc.so.6 ]; then
	echo "aarch64 (cross build, qemu-user): tests/arch/aarch64.log"
	sh tests/arch/aarch64.sh build-arm64 >tests/arch/aarch64.log 2>&1 || status=1
	grep -E '^(not ok|ok .*# (SKIP|TODO))' tests/arch/aarch64.log || true
	# The same build on a real arm64 kernel (qemu-system-aarch64).
	echo "aarch64 (arm64 kernel, qemu-system): tests/arch/aarch64-system.log"
	sh tests/arch/aarch64-system.sh build-arm64 >tests/arch/aarch64-system.log 2>&1 || status=1
	grep -E '^(not ok|ok .*# (SKIP|TODO))' tests/arch/aarch64-system.log || true
else
	rm -f tests/arch/aarch64.log tests/arch/aarch64-system.log
	echo "aarch64: not run (no qemu-aarch64-static or arm64 cross libraries; setup.sh installs them)"
fi
log=test-suite.log
if [ -f "$log" ]; then
	pass=$(sed -n 's/^# PASS: *//p' "$log")
	xfail=$(sed -n 's/^# XFAIL: *//p' "$log")
	fail=$(sed -n 's/^# FAIL: *//p' "$log")
	xpass=$(sed -n 's/^# XPASS: *//p' "$log")
	error=$(sed -n 's/^# ERROR: *//p' "$log")
	skip=$(sed -n 's/^# SKIP: *//p' "$log")
	# Count the TAP results inside the logs: how many checks ran.
	logs=$(find tests -name '*.log' ! -name test-suite.log 2>/dev/null)
	tp=$(cat $logs 2>/dev/null | grep '^ok ' | grep -vc '# SKIP')
	tskip=$(cat $logs 2>/dev/null | grep '^ok ' | grep -c '# SKIP')
	ttodo=$(cat $logs 2>/dev/null | grep '^not ok ' | grep -c '# TODO')
	tf=$(cat $logs 2>/dev/null | grep '^not ok ' | grep -vc '# TODO')
	echo "test scripts: ${pass:-0} pass, ${fail:-0} fail, ${error:-0} error, ${xfail:-0} xfail, ${xpass:-0} xpass, ${skip:-0} skip"
	echo "checks: $ttodo expected failures (TAP TODO, documented in the tests)"
	echo "$tp passed, $tf failed, $tskip skipped"
fi
exit $status
