#!/bin/sh
# auxv-maps: AT_RANDOM/AT_EXECFN in [stack], AT_PHDR in the program's file,
# AT_SYSINFO_EHDR at [vdso], AT_BASE at the interpreter (or 0).
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"

for prog in auxv-maps-static auxv-maps-static-pie auxv-maps-pie; do
	need_prog "$prog" || continue
	compare "$prog" 0 "$TESTPROGS/$prog"
	compare_via "$LAUNCH" "$LAUNCH -L" \
		"$prog (uexec_execve)" 0 "$TESTPROGS/$prog"
done
tap_done
