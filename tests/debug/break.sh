#!/bin/sh
# --break: the program stops at its first instruction with everything in
# place; a test tracer attaches, checks and continues it (tracer.c); gdb,
# when installed, attaches with the printed command; --wait-gdb.
. "$top_srcdir/tests/debug/lib.sh"

for p in $PROGS; do
	"$D/tracer" "$UEXEC" "$D/$p" x y >"$TMP/$p.trace" 2>&1
	st=$?
	if [ $st -eq 77 ]; then
		tap_skip "$p: --break, attached to and continued by a tracer" "ptrace not permitted"
		continue
	fi
	tap_ok $st "$p: --break, attached to and continued by a tracer"
	[ $st -eq 0 ] || sed 's/^/# /' "$TMP/$p.trace"
	ok_has "$TMP/$p.trace" "^hello x y$" "$p: the program ran after the tracer detached"
done

if ! command -v gdb >/dev/null 2>&1; then
	tap_skip "gdb attaches with the printed command" "gdb not installed"
	tap_skip "--wait-gdb" "gdb not installed"
	tap_done
	exit $?
fi
P="$D/hello-dyn"
"$UEXEC" --break "$P" from-gdb >"$TMP/gdb.out" 2>"$TMP/gdb.msg" &
bg=$!
for i in 1 2 3 4 5 6 7 8 9 10; do
	has "$TMP/gdb.msg" "attach with:" && break
	sleep 1
done
cmd=$(sed -n 's/^  \(gdb -q -p .*\)$/\1/p' "$TMP/gdb.msg")
entry=$(sed -n "s/.*first instruction \(0x[0-9a-f]*\).*/\1/p" "$TMP/gdb.msg")
[ -n "$cmd" ] && [ -n "$entry" ]
tap_ok $? "--break prints the gdb command and the first instruction"
eval "timeout 60 $cmd -batch -ex 'info registers pc' -ex 'info symbol \$pc' -ex continue" \
	>"$TMP/gdb.log" 2>&1 </dev/null
wait $bg
tap_ok $? "the program exits 0 after gdb continued it"
if has "$TMP/gdb.log" "ptrace: Operation not permitted"; then
	tap_skip "gdb stops at the first instruction" "ptrace not permitted"
else
	ok_has "$TMP/gdb.log" "^pc +$entry " "gdb stops at the first instruction"
	ok_has "$TMP/gdb.log" "_start" "gdb knows the interpreter's symbols there"
fi
ok_has "$TMP/gdb.out" "^hello from-gdb$" "the program ran to completion under gdb"

printf 'info registers pc\ncontinue\n' | timeout 60 "$UEXEC" --wait-gdb "$P" waited \
	>"$TMP/wait.log" 2>&1
tap_ok $? "--wait-gdb: gdb ends when the program does"
ok_has "$TMP/wait.log" "^hello waited$" "--wait-gdb: the program ran under gdb"
ok_has "$TMP/wait.log" "Temporary breakpoint 1, (0x[0-9a-f]+ in )?_start" \
	"--wait-gdb: gdb stopped at the first instruction"
tap_done
