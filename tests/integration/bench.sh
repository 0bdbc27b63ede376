#!/bin/sh
# The benchmarks still work: a few launches of each kind through
# bench/launchbench (the CLI, the library, a generated 1 GiB program), each
# of which must exit 0 and give figures; and its phase mode, which a build
# without exit points (configure --enable-bench-phases) must refuse rather
# than print the whole launch as every phase.  No timing is asserted.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"

B=$top_builddir/bench
for p in launchbench exit0-static exit0-dynamic; do
	if [ ! -x "$B/$p" ]; then
		tap_ok 1 "bench/$p is built (make check builds it)"
		tap_done
		exit 1
	fi
done

# bench_case NAME CASE RUNS: launchbench's case CASE ('$' ends a whole
# title), RUNS pairs; its output in $TESTTMP/NAME.out.
bench_case() {
	run "$1" env LAUNCHBENCH_ONLY="$2" "$B/launchbench" "$UEXEC" "$B/exit0-static" \
		"$B/exit0-dynamic" "$3"
}

# figures NAME TITLE: the case's line has its six figures and no FAILED.
figures() {
	grep -Eq "^$2 +[0-9]+ +[0-9]+ +[0-9.]+ +[0-9]+ +[0-9]+ +[0-9.]+ +[0-9]+ +[0-9]+\$" \
		"$TESTTMP/$1.out" && ! grep -q FAILED "$TESTTMP/$1.out"
}

for c in "library, static program" "library, dynamic program" \
	 "CLI, static program, system rules" "CLI, dynamic program, system rules"; do
	name=$(echo "$c" | tr -c 'a-z0-9\n' '-')
	bench_case "$name" "$c\$" 3
	[ "$(rc_of "$name")" -eq 0 ] && figures "$name" "$c"
	st=$?
	tap_ok $st "launchbench, $c: 3 pairs exit 0 and give figures"
	[ $st -eq 0 ] || show "$name"
done

if [ "$(uname -m)" = x86_64 ]; then
	bench_case big "library, 1 GiB bss" 2
	[ "$(rc_of big)" -eq 0 ] && figures big "library, 1 GiB bss"
	st=$?
	tap_ok $st "launchbench, library, 1 GiB bss (a generated x86_64 program): exit 0, figures"
	[ $st -eq 0 ] || show big
else
	tap_skip "launchbench, library, 1 GiB bss" "its generated program is x86_64 code"
fi

if grep -q '^#define UEXEC_BENCH_PHASES 1' "$top_builddir/config.h"; then
	run phases env LAUNCHBENCH_PHASES=2 "$B/launchbench" "$UEXEC" "$B/exit0-static" \
		"$B/exit0-dynamic" 3
	[ "$(rc_of phases)" -eq 0 ] && grep -q "^2 system rules loaded " "$TESTTMP/phases.out" &&
		grep -q "^(uexec, whole" "$TESTTMP/phases.out"
	st=$?
	tap_ok $st "launchbench's phase mode, in a build with exit points: the rows, exit 0"
	[ $st -eq 0 ] || show phases
else
	run phases env LAUNCHBENCH_PHASES=2 "$B/launchbench" "$UEXEC" "$B/exit0-static" \
		"$B/exit0-dynamic" 3
	[ "$(rc_of phases)" -eq 2 ] && grep -q -- "--enable-bench-phases" "$TESTTMP/phases.err" &&
		! grep -q "stopped at" "$TESTTMP/phases.out"
	st=$?
	tap_ok $st "launchbench's phase mode, in a build without exit points: refused (status 2)"
	[ $st -eq 0 ] || show phases
fi
tap_done
