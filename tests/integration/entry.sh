#!/bin/sh
# entry: registers, flags, FPU state, stack layout and auxv at the first
# instruction of a libc-less program, as the kernel leaves them.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"

compare "entry" 0 "$TESTPROGS/entry" a "b c" ""
compare "entry, no arguments" 0 "$TESTPROGS/entry"

# Started by libuexec in process rather than by the CLI.
compare_via "$LAUNCH" "$LAUNCH -L" \
		"entry (uexec_execve)" 0 "$TESTPROGS/entry" x
# With every vector and FPU control register set before the exec (launch
# -F): the exec, uexec's included, must reset them all, AVX-512's opmask
# and zmm16-31 too, which uexec's own code (a libc's string functions) may
# also have left set.
compare_via "$LAUNCH -F" "$LAUNCH -F -L" \
		"entry (uexec_execve, vector registers set before)" 0 "$TESTPROGS/entry" x
compare_via "$LAUNCH -F" "$LAUNCH -F $UEXEC" \
		"entry (CLI, vector registers set before)" 0 "$TESTPROGS/entry" x

# -a: argv[0] is the name given, AT_EXECFN still the path opened.
run native env ENTRY_EXECFN="$TESTPROGS/entry" "$TESTPROGS/entry"
run uexec env ENTRY_EXECFN="$TESTPROGS/entry" "$UEXEC" -a my-name "$TESTPROGS/entry"
sed 's/^argv\[0\]=.*/argv[0]=my-name/' "$TESTTMP/native.out" >"$TESTTMP/native-a.out"
echo 0 >"$TESTTMP/native-a.rc"
check_uexec_run "entry -a my-name" 0 native-a uexec
tap_done
