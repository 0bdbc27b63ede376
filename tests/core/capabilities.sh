#!/bin/sh
# Capabilities across the exec (security/commoncap.c,
# cap_bprm_creds_from_file()): a program without file capabilities gets the
# ambient set as permitted and effective, root the bounding set, and root's
# effective set is its permitted one.  Through uexec as through the kernel,
# whose exec never leaves a program more privilege than that (README).
. "$top_srcdir/tests/tap.sh"
T="$top_builddir/tests/core"
if [ "$(id -u)" -ne 0 ] || ! command -v setcap >/dev/null || ! command -v setpriv >/dev/null; then
	tap_skip "capabilities across the exec" "they need root, setcap and setpriv"
	tap_done
	exit
fi
D=$(mktemp -d /tmp/uexec-caps.XXXXXX)
trap 'rm -rf "$D"' EXIT
chmod 755 "$D"
CAPS="/bin/grep -E ^Cap(Inh|Prm|Eff|Amb) /proc/self/status"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# A uexec given file capabilities (as one may give it, for /proc/self/exe)
# and run by another user: the program gets none of them, as a program
# exec'd by the same process (env with the same file capabilities) does.
cp "$UEXEC" "$D/uexec"
cp "$(command -v env)" "$D/env"
if ! setcap cap_checkpoint_restore+ep "$D/uexec" 2>/dev/null ||
   ! setcap cap_checkpoint_restore+ep "$D/env" 2>/dev/null ||
   ! as_nobody "$D/uexec" /bin/true 2>/dev/null; then
	tap_skip "uexec with file capabilities" "setcap refused, or user nobody cannot run $D/uexec"
else
	want=$(as_nobody "$D/env" $CAPS)
	got=$(as_nobody "$D/uexec" $CAPS)
	[ "$got" = "$want" ] && echo "$want" | grep -q "CapPrm:	0*$"
	tap_ok $? "nobody through a uexec with file capabilities: the kernel's capabilities ($(echo $got))"
	out=$(as_nobody "$D/uexec" --debug=exec /bin/true 2>&1)
	echo "$out" | grep -q "capabilities: permitted 0x[0-9a-f]* -> 0, effective 0x[0-9a-f]* -> 0"
	tap_ok $? "... the capabilities were held and dropped ($(echo "$out" | grep capabilities))"
	got=$(as_nobody "$D/uexec" /bin/readlink /proc/self/exe)
	[ "$got" = "$(readlink -f /bin/readlink)" ]
	tap_ok $? "... and they still served PR_SET_MM_MAP: /proc/self/exe is the program ($got)"
fi

# Ambient capabilities are the program's under both.
cp "$UEXEC" "$D/uexec-plain"
want=$(as_nobody --inh-caps +net_raw --ambient-caps +net_raw $CAPS)
got=$(as_nobody --inh-caps +net_raw --ambient-caps +net_raw "$D/uexec-plain" $CAPS)
[ "$got" = "$want" ] && echo "$want" | grep -q "CapAmb:	0*2000$"
tap_ok $? "nobody with an ambient capability: kept, as by the kernel ($(echo $got))"

# Root with an empty effective set (library caller): the exec makes it
# the permitted set again.
kernel=$("$T/caller" noeffective kernel $CAPS 2>&1)
uexec=$("$T/caller" noeffective uexec $CAPS 2>&1)
[ "$uexec" = "$kernel" ] && ! echo "$kernel" | grep -q "CapEff:	0*$"
tap_ok $? "library, root with an empty effective set: as the kernel's exec ($(echo $uexec) | kernel: $(echo $kernel))"
tap_done
