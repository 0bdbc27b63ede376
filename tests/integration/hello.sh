#!/bin/sh
# hello in every link mode: arguments (with spaces and an empty one), the
# environment and the exit status are the same under uexec as natively.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"

for prog in hello-static hello-static-pie hello-pie hello-nopie \
	    hello-musl-static hello-musl-dynamic; do
	need_prog "$prog" || continue
	case $prog in
	hello-musl-dynamic)
		if [ ! -e /lib/ld-musl-x86_64.so.1 ]; then
			tap_skip "$prog" "no /lib/ld-musl-x86_64.so.1"
			continue
		fi ;;
	esac
	compare "$prog" 0 "$TESTPROGS/$prog"
	compare "$prog 42" 42 "$TESTPROGS/$prog" 42 "two words" "" last
	compare "$prog 255" 255 "$TESTPROGS/$prog" 255
done
# Debian's musl ships no rcrt1.o, the start file of a musl static PIE.
tap_skip "hello-musl-static-pie" "musl static-pie is not built (no rcrt1.o)"
tap_done
