#!/bin/sh
# fds: descriptors without close-on-exec stay open, close-on-exec ones are
# closed, and uexec leaves none of its own (CLI and uexec_execve()).
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"

SETUP="$LAUNCH -o 5 -O 6 -o 7 -O 9 -O 20"

for prog in fds-static fds-pie; do
	need_prog "$prog" || continue
	compare "$prog" 0 "$TESTPROGS/$prog"
	compare_via "$SETUP" "$SETUP $UEXEC" "$prog (CLI)" 0 "$TESTPROGS/$prog"
	for mode in CLI uexec_execve; do
		[ $mode = CLI ] || compare_via "$SETUP" "$SETUP -L" "$prog ($mode)" 0 \
			"$TESTPROGS/$prog"
		grep -q '^fd 5: chr$' "$TESTTMP/uexec.out" &&
			grep -q '^fd 7: chr$' "$TESTTMP/uexec.out"
		tap_ok $? "$prog ($mode): fds 5 and 7 stay open"
		! grep -Eq '^fd (6|9|20):' "$TESTTMP/uexec.out"
		tap_ok $? "$prog ($mode): close-on-exec fds 6, 9, 20 are closed"
	done
done
tap_done
