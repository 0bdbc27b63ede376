#!/bin/sh
# fds: descriptors without close-on-exec stay open, close-on-exec ones are
# closed, and uexec leaves none of its own (CLI and uexec_execve(), and the
# CLI's ways that hold more descriptors).
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

# uexec_execve() finds the close-on-exec descriptors by trying the first
# numbers where /proc/self/fd's size (Linux 6.2) says all open ones are
# there, and by reading /proc/self/fd where one is further: both ways, with
# nothing inherited (-x), each against the kernel's exec of the same state.
for prog in fds-static fds-pie; do
	need_prog "$prog" || continue
	for setup in "-x -o 5 -O 6 -o 7 -O 9 -O 12" "-x -O 6 -o 8 -O 700 -o 701"; do
		compare_via "$LAUNCH $setup" "$LAUNCH $setup -L" "$prog (uexec_execve, $setup)" 0 \
			"$TESTPROGS/$prog"
		bad=0
		for fd in $(printf '%s\n' "$setup" | grep -o -- '-O [0-9]*' | cut -c4-); do
			! grep -q "^fd $fd:" "$TESTTMP/uexec.out" || bad=1
		done
		for fd in $(printf '%s\n' "$setup" | grep -o -- '-o [0-9]*' | cut -c4-); do
			grep -q "^fd $fd: chr\$" "$TESTTMP/uexec.out" || bad=1
		done
		tap_ok $bad "$prog (uexec_execve, $setup): the close-on-exec ones closed, the others open"
	done
done

# shell_pair DESC NATIVE UEXEC: two shell command lines (with their
# redirections) run from the same state, compared as compare() does.
shell_pair() {
	run native sh -c "$2"
	tap_ok "$([ "$(rc_of native)" -eq 0 ] && ! grep -q '^FAIL ' "$TESTTMP/native.out"
		echo $?)" "$1: native run passes"
	[ "$(rc_of native)" -eq 0 ] || show native
	run uexec sh -c "$3"
	check_uexec_run "$1" 0 native uexec
}

# The CLI's ways that leave uexec with descriptors of its own at the point
# of no return (the script's file, a memfd, a flag F interpreter, the debug
# file): each must be gone, as the kernel's exec leaves none of its own;
# the program fails its check on any close-on-exec descriptor it finds.
for prog in fds-static fds-pie; do
	need_prog "$prog" || continue
	p=$TESTPROGS/$prog
	printf '#!%s\n' "$p" >"$TESTTMP/script"
	cp "$p" "$TESTTMP/x.fdsx"
	chmod +x "$TESTTMP/script" "$TESTTMP/x.fdsx"
	shell_pair "$prog (CLI, #! script)" "exec $TESTTMP/script" "exec $UEXEC $TESTTMP/script"
	shell_pair "$prog (CLI, standard input)" "exec $p <$p" "exec $UEXEC - <$p"
	shell_pair "$prog (CLI, --fd 3)" "exec $p 3<$p" "exec $UEXEC --fd 3 3<$p"
	shell_pair "$prog (CLI, binfmt_misc flag F)" "exec $p $TESTTMP/x.fdsx" \
		"exec $UEXEC --no-system-binfmt --binfmt :fdsF:E::fdsx::$p:F $TESTTMP/x.fdsx"
	shell_pair "$prog (CLI, --debug-file alone)" "exec $p" \
		"exec $UEXEC --debug-file $TESTTMP/trace $p"
	shell_pair "$prog (CLI, --debug=exec --debug-file)" "exec $p" \
		"exec $UEXEC --debug=exec --debug-file $TESTTMP/trace $p"
done
tap_done
