#!/bin/sh
# setarch -R (ADDR_NO_RANDOMIZE): a static PIE's addresses are the same
# from run to run; with randomisation they are not.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"

if need_prog loadaddr-static-pie; then
	PROG=$TESTPROGS/loadaddr-static-pie
	run r1 setarch $MACHINE -R "$UEXEC" "$PROG"
	run r2 setarch $MACHINE -R "$UEXEC" "$PROG"
	[ "$(rc_of r1)" -eq 0 ] && cmp -s "$TESTTMP/r1.out" "$TESTTMP/r2.out"
	tap_ok $? "setarch -R: two runs under uexec print the same addresses"
	cmp -s "$TESTTMP/r1.out" "$TESTTMP/r2.out" || { show r1; show r2; }
	differ=1
	run r0 "$UEXEC" "$PROG"
	for i in 1 2 3 4 5; do
		run r$i "$UEXEC" "$PROG"
		cmp -s "$TESTTMP/r0.out" "$TESTTMP/r$i.out" || differ=0
	done
	tap_ok $differ "randomised: the addresses differ at least once in 5 runs"
	[ "$differ" -eq 0 ] || show r0
fi
tap_done
