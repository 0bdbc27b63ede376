#!/bin/sh
# brk: start_brk where the kernel puts it, with and without randomisation,
# and a heap that grows, zeroed, shown as [heap].
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"

for prog in brk-static brk-static-pie brk-pie; do
	need_prog "$prog" || continue
	compare "$prog" 0 "$TESTPROGS/$prog"
	compare_via "setarch $MACHINE -R" "setarch $MACHINE -R $UEXEC" \
		"$prog (setarch -R)" 0 "$TESTPROGS/$prog"
done
tap_done
