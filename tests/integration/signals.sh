#!/bin/sh
# signals: across the exec ignored signals stay ignored, caught ones become
# default, the blocked mask is kept; natively (the kernel), through the CLI
# and in process through uexec_execve() (where uexec must reset them).
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"

# SIGHUP and SIGUSR1 ignored, SIGPIPE and the real-time signal 41 ignored
# with flags and a mask (which go), SIGINT and SIGUSR2 caught, SIGTERM and
# the real-time signal 40 blocked.
SETUP="$LAUNCH -i 1 -i 10 -I 13 -I 41 -c 2 -c 12 -b 15 -b 40"

# expect_facts NAME: the dispositions the setup above must produce.
expect_facts() {
	for fact in "signal 1: ignored" "signal 10: ignored" "signal 13: ignored" \
		    "signal 41: ignored" "signal 2: default" \
		    "signal 12: default" "blocked: 0x8000004000"; do
		grep -qx "$fact" "$TESTTMP/$1.out"
		tap_ok $? "$2: $fact"
	done
}

for prog in signals-static signals-pie; do
	need_prog "$prog" || continue
	compare "$prog" 0 "$TESTPROGS/$prog"
	compare_via "$SETUP" "$SETUP $UEXEC" "$prog (CLI)" 0 "$TESTPROGS/$prog"
	expect_facts native "$prog native"
	expect_facts uexec "$prog (CLI)"
	compare_via "$SETUP" "$SETUP -L" "$prog (uexec_execve)" 0 "$TESTPROGS/$prog"
	expect_facts uexec "$prog (uexec_execve)"
done

# The shell's own way: trap '' makes a signal ignored for its children.
if need_prog signals-static; then
	(
		trap '' USR1 QUIT
		run native "$TESTPROGS/signals-static"
		run uexec "$UEXEC" "$TESTPROGS/signals-static"
	)
	tap_ok "$(rc_of native)" "signals-static (trap ''): native run passes"
	check_uexec_run "signals-static (trap '')" 0 native uexec
	grep -qx "signal 3: ignored" "$TESTTMP/uexec.out"
	tap_ok $? "trap '': SIGQUIT stays ignored under uexec"
fi
tap_done
