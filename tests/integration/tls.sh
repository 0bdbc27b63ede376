#!/bin/sh
# tls: __thread variables in the main thread and in pthreads (glibc, musl).
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"

for prog in tls-static tls-pie tls-musl-static; do
	need_prog "$prog" && compare "$prog" 0 "$TESTPROGS/$prog"
done
tap_done
