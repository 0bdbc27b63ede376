#!/bin/sh
# The kernel's tools/testing/selftests/exec/recursion-depth.c, ported: a
# script whose interpreter is itself fails with ELOOP, not by running out
# of anything.  And the limit is the kernel's: 5 rewrites, the 6th fails.
. "$top_srcdir/tests/handlers/lib.sh"

mkprog 1 "#!$WORK/1\n"
run out err ux "$WORK/1"
check "self-interpreting script: ELOOP" sh -c "[ $rc -eq 126 ] && grep -q 'Too many levels of symbolic links' err"
sh -c "$WORK/1" > kout 2>&1
tap_diag "the kernel: $(head -1 kout)"

# A chain of N scripts ending in an ELF: N rewrites.
chain() {
	rm -f c*
	prev=$SHOWARGS
	i=1
	while [ $i -le "$1" ]; do
		mkprog c$i "#!$prev\n"
		prev=$WORK/c$i
		i=$((i + 1))
	done
}
chain 5
run out err ux "$WORK/c5"
check "5 nested scripts run (the kernel's limit)" sh -c "[ $rc -eq 0 ] && grep -qx argc=6 out"
chain 6
run out err ux "$WORK/c6"
check "6 nested scripts: ELOOP (126)" sh -c "[ $rc -eq 126 ] && grep -q 'Too many levels' err"
# The kernel says the same about both.
sh -c "$WORK/c6" > kout 2>&1; krc=$?
check "the kernel refuses 6 too" [ $krc -ne 0 ]
chain 5
sh -c "$WORK/c5" > kout 2>&1; krc=$?
check "the kernel runs 5" [ $krc -eq 0 ]

# binfmt_misc rewrites count too: a rule whose interpreter matches itself.
mkprog loop.lp "anything\n"
mkprog loopint.lp "anything\n"
run out err ux --binfmt ":lp:E::lp::$WORK/loopint.lp:" ./loop.lp
check "a rule matching its own interpreter: ELOOP" sh -c "[ $rc -eq 126 ] && grep -q 'Too many levels' err"

tap_done
