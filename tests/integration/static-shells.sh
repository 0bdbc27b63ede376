#!/bin/sh
# busybox and bash-static (real-world static programs) print and exit the
# same under uexec as natively; bash also forks and execs a child.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"

BUSYBOX=$(command -v busybox || true)
BASH_STATIC=$(command -v bash-static || true)

if [ -n "$BUSYBOX" ]; then
	compare "busybox echo" 0 "$BUSYBOX" echo hello world
	compare "busybox sh arithmetic and exit" 3 "$BUSYBOX" sh -c 'echo $((6 * 7)); exit 3'
	compare "busybox printf" 0 "$BUSYBOX" printf '%s|%d\n' a 1 b 2
	compare "busybox env" 0 "$BUSYBOX" env
	compare "busybox sh runs a child" 0 "$BUSYBOX" sh -c '"$0" echo child; echo $?' "$BUSYBOX"
else
	tap_skip "busybox" "not installed (Debian package busybox-static)"
fi
if [ -n "$BASH_STATIC" ]; then
	compare "bash-static arguments" 5 "$BASH_STATIC" -c 'echo $#; printf "%s|" "$@"; echo; exit 5' \
		x a "b c" ""
	compare "bash-static builtins" 0 "$BASH_STATIC" -c 'f() { return 7; }; f; echo $? ${BASH_VERSINFO[0]}'
	compare "bash-static runs a child" 0 "$BASH_STATIC" -c '/bin/echo child; echo $?'
	compare "bash-static pipeline" 0 "$BASH_STATIC" -c 'printf "b\na\n" | sort | tr a-z A-Z'
else
	tap_skip "bash-static" "not installed (Debian package bash-static)"
fi
tap_done
