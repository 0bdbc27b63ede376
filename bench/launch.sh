#!/bin/sh
# bench/launch.sh [RUNS]: the cost of a launch through uexec against the
# kernel's own exec of the same program, measured in the same run (paired,
# alternating launches; medians of the child's CPU time from wait4, and of
# wall time).  Prints one line a case with both figures and the ratio
# uexec/kernel: CLI and library, static and dynamic programs, with and
# without the system's binfmt.d rules, 1 MiB of argv, 10,000 environment
# variables, a 1 GiB executable, a 1 GiB bss, and a static program that
# works ~10 ms (its own run time: uexec's extra there should be the static
# case's extra, no more).  Run from a built tree (./run-tests.sh or make);
# timings are meaningful only on a quiet machine.
set -eu
cd "$(dirname "$0")/.."
runs=${1:-200}
make -s src/uexec bench/launchbench bench/exit0-static bench/exit0-dynamic >/dev/null
exec ./bench/launchbench "$PWD/src/uexec" "$PWD/bench/exit0-static" \
	"$PWD/bench/exit0-dynamic" "$runs"
