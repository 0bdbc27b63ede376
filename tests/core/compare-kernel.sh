#!/bin/sh
# The proof of issue "a process image the kernel would recognise": for
# test programs in every link mode and for real system programs, the
# initial state under uexec equals the kernel's (uexec --compare: registers,
# auxv, stack, mappings, brk, cmdline, comm, exe, signals, descriptors), but
# for the built-in, documented known differences.
. "$top_srcdir/tests/tap.sh"

if ! "$UEXEC" --compare /bin/true >compare-kernel.tmp 2>&1 &&
   grep -q "ptrace is not permitted" compare-kernel.tmp; then
	rm -f compare-kernel.tmp
	tap_skip "--compare" "ptrace is not permitted here"
	tap_done
	exit
fi
rm -f compare-kernel.tmp

check() {	# check DESC PROGRAM ARGS...
	desc=$1; shift
	[ -x "$1" ] || { tap_skip "$desc" "$1 not built or installed"; return; }
	out=$("$UEXEC" --compare "$@" 2>&1)
	st=$?
	[ $st -eq 0 ] || printf '%s\n' "$out" | grep -E '^(DIFF|uexec:)' | sed 's/^/# /'
	tap_ok $st "$desc: the same initial state as under the kernel"
}

for p in hello-static hello-static-pie hello-pie hello-nopie hello-musl-static \
	 hello-musl-dynamic brk-static tls-static tls-pie; do
	check "$p" "$TESTPROGS/$p" a 'b c'
done
check "entry (no libc)" "$TESTPROGS/entry" x
check "/bin/true" /bin/true
check "/bin/ls" /bin/ls -d /
check "/bin/sh (dash)" /bin/sh -c 'exit 0'
check "python3" /usr/bin/python3 -c 'pass'
check "perl" /usr/bin/perl -e '1'
check "busybox (static)" /bin/busybox true
check "bash-static" /bin/bash-static -c true
ldso=$(readlink -f /lib64/ld-linux-x86-64.so.2 2>/dev/null)
[ -n "$ldso" ] && check "ld.so run directly" "$ldso" /bin/true
tap_done
