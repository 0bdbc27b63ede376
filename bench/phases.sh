#!/bin/sh
# bench/phases.sh [RUNS] [LAST] [cli]: where one library launch of the
# static exit0 program goes, phase by phase (with "cli": one launch by the
# CLI, whose phase 0 is its own exec and start and the system's rules, which
# main() loads before it calls uexec_execve()).  Builds a copy of the tree
# configured with --enable-bench-phases (in BUILDDIR, ./build-phases by
# default: a measuring build, never the one that is installed), then runs
# launchbench's phase mode: in one round-robin, RUNS rounds (default 300),
# the kernel's exec of the program, uexec's launch stopped at each phase
# 0..LAST (default 7, the last before the final stage; src/debug.h lists
# them), and uexec's launch whole.  Prints the medians of the child's CPU
# time and page faults and what each phase adds.  Differences of medians:
# read them as figures of a few µs either way, on a quiet machine only.
set -eu
cd "$(dirname "$0")/.."
top=$PWD
runs=${1:-300}
last=${2:-7}
cli=0
[ "${3:-}" != cli ] || cli=1
B=${BUILDDIR:-$top/build-phases}
# The distribution's files, copied when changed (make rebuilds what changed).
sh tests/sync-dist.sh "$top" "$B" ||
	{ echo "bench/phases.sh: make distdir failed (see $B/distdir.log)" >&2; exit 1; }
cd "$B/src"
[ -f Makefile ] || ./configure -q --enable-bench-phases >"$B/configure.log" 2>&1 ||
	{ echo "bench/phases.sh: configure failed (see $B/configure.log)" >&2; exit 1; }
make -s -j2 src/uexec bench/launchbench bench/exit0-static bench/exit0-dynamic >"$B/build.log" 2>&1 ||
	{ echo "bench/phases.sh: build failed (see $B/build.log)" >&2; exit 1; }
LAUNCHBENCH_PHASES=$last LAUNCHBENCH_PHASES_CLI=$cli exec ./bench/launchbench "$PWD/src/uexec" "$PWD/bench/exit0-static" \
	"$PWD/bench/exit0-dynamic" "$runs"
