#!/bin/sh
# collision: a valid ET_EXEC whose PT_LOAD sits exactly where the PIE
# uexec is loaded under setarch -R (0x555555554000).  The kernel runs it.
# uexec first refused it (126, "... overlaps ..."); since it stages the
# images and moves them into place once its own memory is gone, it must run
# it as the kernel does.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/bad-elf/lib.sh"

"$GEN" "$TESTPROGS/tiny" "$BADDIR" >/dev/null
run native setarch $MACHINE -R "$BADDIR/collision"
[ "$(rc_of native)" -eq 0 ] && [ "$(cat "$TESTTMP/native.out")" = "tiny ran" ]
tap_ok $? "collision: the kernel runs it"
run uexec setarch $MACHINE -R "$UEXEC" "$BADDIR/collision"
check_uexec_run "collision (setarch -R)" 0 native uexec
[ ! -s "$TESTTMP/uexec.err" ]
tap_ok $? "collision (setarch -R): nothing on stderr"
[ -s "$TESTTMP/uexec.err" ] && show uexec
run uexec "$UEXEC" "$BADDIR/collision"
check_uexec_run "collision (randomised)" 0 native uexec
tap_done
