#!/bin/sh
# Set-user-ID and set-group-ID programs through uexec: what the kernel's exec
# gives where the caller can take those credentials (root), and nosuid
# behaviour with one line of notice where it cannot (an unprivileged user).
. "$top_srcdir/tests/tap.sh"
T="$top_builddir/tests/core"
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null; then
	tap_skip "set-user-ID tests" "they need root and setpriv"
	# The credentials change after the final stage's PR_SET_MM_MAP, which
# needs root's capabilities: /proc/self/exe still names the program.
cp "$T/maps-static" "$D/maps-suid"; chown 65534:65534 "$D/maps-suid"; chmod 4755 "$D/maps-suid"
got=$("$UEXEC" "$D/maps-suid" | head -1)
[ "$got" = "exe $D/maps-suid" ]
tap_ok $? "root, a set-user-ID program: /proc/self/exe is the program's ($got)"
tap_done
	exit
fi
D=$(mktemp -d "$top_builddir/tests/core/setid.XXXXXX")
trap 'rm -rf "$D"' EXIT
chmod 755 "$D"
cp "$T/ids" "$D/suid-nobody"; chown 65534:65534 "$D/suid-nobody"; chmod 4755 "$D/suid-nobody"
cp "$T/ids" "$D/sgid-nogroup"; chown 0:65534 "$D/sgid-nogroup"; chmod 2755 "$D/sgid-nogroup"
cp "$T/ids" "$D/suid-root"; chown 0:0 "$D/suid-root"; chmod 4755 "$D/suid-root"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# Root runs a set-user-ID-nobody and a set-group-ID program: the kernel's
# credentials, AT_SECURE, dumpability.
for p in suid-nobody sgid-nogroup; do
	want=$("$D/$p")
	got=$("$UEXEC" "$D/$p" 2>"$D/err")
	[ "$got" = "$want" ] && [ ! -s "$D/err" ]
	tap_ok $? "root, $p: as the kernel's exec ($got | kernel: $want)"
done
# An unprivileged user runs a set-user-ID-root program: the kernel would
# give euid 0; uexec cannot, so it runs it as on a nosuid mount and says so.
# Only where nobody can reach the build tree (not under a 0700 /root).
if ! as_nobody cat "$D/suid-root" >/dev/null 2>&1; then
	for t in "the kernel gives nobody euid 0" "unprivileged, suid-root" "... one line" \
		"--quiet-setid" "UEXEC_QUIET_SETID=1"; do
		tap_skip "$t" "user nobody cannot read $D (a directory above it is closed)"
	done
else
	want=$(as_nobody "$D/suid-root")
	got=$(as_nobody "$UEXEC" "$D/suid-root" 2>"$D/err")
	case "$want" in "uid 65534 0 0 "*) k=0 ;; *) k=1 ;; esac
	tap_ok $k "the kernel gives nobody euid 0 and AT_SECURE 1 ($want)"
	echo "$got" | grep -q "^uid 65534 65534 65534 gid 65534 65534 65534 secure 0 "
	tap_ok $? "unprivileged, suid-root: the caller's credentials, AT_SECURE 0 ($got)"
	[ "$(wc -l <"$D/err")" -eq 1 ] && grep -q "^uexec: .*suid-root: set-user-ID ignored" "$D/err"
	tap_ok $? "... and one line says so ($(cat "$D/err"))"
	as_nobody "$UEXEC" --quiet-setid "$D/suid-root" >/dev/null 2>"$D/err"
	[ ! -s "$D/err" ]
	tap_ok $? "--quiet-setid silences it"
	UEXEC_QUIET_SETID=1 as_nobody "$UEXEC" "$D/suid-root" >/dev/null 2>"$D/err"
	[ ! -s "$D/err" ]
	tap_ok $? "UEXEC_QUIET_SETID=1 silences it"
fi
# The file's set-id bits clear the personality's PER_CLEAR_ON_SETID
# (ADDR_NO_RANDOMIZE here, from setarch -R) even where the ids do not
# change (bprm_fill_uid()): root running a set-user-ID-root or a
# set-group-ID-root file.  A plain copy keeps it.
if setarch -R true 2>/dev/null; then
	cp /bin/cat "$D/cat-suid-root"; chown 0:0 "$D/cat-suid-root"; chmod 4755 "$D/cat-suid-root"
	cp /bin/cat "$D/cat-sgid-root"; chown 0:0 "$D/cat-sgid-root"; chmod 2755 "$D/cat-sgid-root"
	cp /bin/cat "$D/cat-plain"; chmod 755 "$D/cat-plain"
	for p in cat-suid-root cat-sgid-root cat-plain; do
		want=$(setarch -R "$D/$p" /proc/self/personality)
		got=$(setarch -R "$UEXEC" "$D/$p" /proc/self/personality)
		[ "$got" = "$want" ] && [ -n "$want" ]
		tap_ok $? "root, $p under setarch -R: the kernel's personality ($got | kernel: $want)"
	done
else
	tap_skip "root, set-id files under setarch -R" "setarch -R is refused here"
fi
# A secure exec (root running a set-user-ID-nobody program) cuts an
# RLIMIT_STACK above 8 MiB to 8 MiB (begin_new_exec()), for the layout and
# for the program; uexec gave the program the caller's unlimited one.
cp /bin/cat "$D/cat-suid-nobody"; chown 65534:65534 "$D/cat-suid-nobody"; chmod 4755 "$D/cat-suid-nobody"
for lim in unlimited 100000 4096; do
	want=$( (ulimit -s $lim && "$D/cat-suid-nobody" /proc/self/limits) | grep '^Max stack size')
	got=$( (ulimit -s $lim && "$UEXEC" "$D/cat-suid-nobody" /proc/self/limits) | grep '^Max stack size')
	[ -n "$want" ] && [ "$got" = "$want" ]
	tap_ok $? "root, set-user-ID-nobody under ulimit -s $lim: the kernel's RLIMIT_STACK ($(echo $got) | kernel: $(echo $want))"
done
# Root keeps nothing of root in a set-user-ID-nobody program that forks a
# shell-less check: the saved uid is nobody too (no way back to root).
got=$("$UEXEC" "$D/suid-nobody")
echo "$got" | grep -q "^uid 0 65534 65534 "
tap_ok $? "root, suid-nobody: saved uid follows the effective one ($got)"
# The credentials change after the final stage's PR_SET_MM_MAP, which
# needs root's capabilities: /proc/self/exe still names the program.
cp "$T/maps-static" "$D/maps-suid"; chown 65534:65534 "$D/maps-suid"; chmod 4755 "$D/maps-suid"
got=$("$UEXEC" "$D/maps-suid" | head -1)
[ "$got" = "exe $D/maps-suid" ]
tap_ok $? "root, a set-user-ID program: /proc/self/exe is the program's ($got)"
tap_done
