#!/bin/sh
# The program's peak resident set (VmHWM) starts as the kernel's exec
# starts it, in a fresh mm: uexec's own peak (a large environment copied
# three times: uexec's own stack, its argument copy, the new stack image) is
# not the program's.  The final stage resets it (clear_refs "5") once
# uexec's memory is gone.
#
# Margins: the static program's VmHWM under the kernel repeats to the page;
# under uexec it carries at most the final stage's few touched pages, so
# 64 KiB.  A dynamic program's varies by up to ~170 KiB from one kernel run
# to the next (fault-around of ld.so and libc pages), so 256 KiB.  Without
# the reset uexec adds about 5 MiB here: either margin sees it.
. "$top_srcdir/tests/tap.sh"
T=$top_builddir/tests/core
big=$(awk 'BEGIN { while (n++ < 100000) printf "x" }')

hwm() {		# hwm PROGRAM...: VmHWM in kB, the largest of three runs
	max=0
	for i in 1 2 3; do
		v=$(env -i V1="$big" V2="$big" V3="$big" V4="$big" V5="$big" V6="$big" \
			V7="$big" V8="$big" V9="$big" V10="$big" V11="$big" V12="$big" "$@" |
			awk '{ print $1 }')
		[ -n "$v" ] || { echo 0; return; }
		[ "$v" -gt "$max" ] && max=$v
	done
	echo "$max"
}

for p in hwm-static:64 hwm-dyn:256; do
	prog=${p%:*} margin=${p#*:}
	small=$("$T/$prog" | awk '{ print $1 }')
	k=$(hwm "$T/$prog")
	u=$(hwm "$UEXEC" "$T/$prog")
	# The environment is really there: 1.2 MB more under the kernel too.
	[ "$k" -gt $((small + 1000)) ]
	tap_ok $? "$prog: a 1.2 MB environment raises the kernel's VmHWM ($small -> $k kB)"
	[ "$u" -gt 0 ] && [ "$u" -le $((k + margin)) ]
	tap_ok $? "$prog: VmHWM under uexec $u kB, under the kernel $k kB (margin $margin kB)"
done
out=$("$UEXEC" --debug=exec "$T/hwm-static" 2>&1)
echo "$out" | grep -q '^uexec: exec: peak RSS reset'
tap_ok $? "--debug=exec says the peak RSS was reset"
tap_done
