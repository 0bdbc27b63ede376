#!/bin/sh
# status: exit statuses and deaths by signal are the same under uexec as
# natively (a shell sees 128+N for death by signal N).
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"

for prog in status-static status-pie; do
	need_prog "$prog" || continue
	for n in 0 1 42 255; do
		compare "$prog exit $n" "$n" "$TESTPROGS/$prog" exit "$n"
	done
	compare "$prog raise SIGTERM" 143 "$TESTPROGS/$prog" raise 15
	compare "$prog raise SIGABRT" 134 "$TESTPROGS/$prog" raise 6
	compare "$prog raise SIGKILL" 137 "$TESTPROGS/$prog" raise 9
	compare "$prog segv" 139 "$TESTPROGS/$prog" segv
done
tap_done
