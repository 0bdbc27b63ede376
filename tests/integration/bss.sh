#!/bin/sh
# bss: the tail of the last file page is zeroed, a 64 MiB .bss is zero and
# writable, the image is aligned to its p_align (2 MiB for bss-align2m).
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"

for prog in bss-static bss-static-pie bss-pie bss-musl-static; do
	need_prog "$prog" && compare "$prog" 0 "$TESTPROGS/$prog"
done
need_prog bss-align2m && compare "bss-align2m" 0 "$TESTPROGS/bss-align2m" --align=0x200000
tap_done
