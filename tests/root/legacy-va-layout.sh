#!/bin/bash
# tests/root/legacy-va-layout.sh [BUILDDIR]: the layout matrix under
# `sysctl vm.legacy_va_layout=1`, the machine-wide switch to the legacy
# (bottom-up) mmap layout.  It changes every process started meanwhile on
# the machine, so it is not part of `make check`: a root user runs it on
# purpose, after `make check` has built the probes, on a machine where
# nothing else is being tested.  The old value is restored on every exit.
set -u
B=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
S=$(cd "$(dirname "$0")/../.." && pwd)
K=/proc/sys/vm/legacy_va_layout
[ "$(id -u)" = 0 ] || { echo "$0: run as root (it sets $K)" >&2; exit 77; }
[ -w "$K" ] || { echo "$0: $K is not writable" >&2; exit 77; }
[ -x "$B/tests/core/layout-probe-static" ] ||
	{ echo "$0: build the probes first (make check)" >&2; exit 77; }
old=$(cat "$K")
trap 'echo "$old" > "$K"' EXIT INT TERM HUP
echo 1 > "$K"
# The "default" cells of the matrix are now the legacy layout, chosen by
# the sysctl rather than by the personality.
top_srcdir=$S top_builddir=$B UEXEC=$B/src/uexec bash "$S/tests/core/layout-matrix.sh"
