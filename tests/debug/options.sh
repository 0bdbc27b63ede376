#!/bin/sh
# Every option of --help is in the man page, and the debugging options
# are in both; the man page is well-formed where groff is installed.
. "$top_srcdir/tests/debug/lib.sh"
MAN="$top_srcdir/doc/uexec.1"

"$UEXEC" --help >"$TMP/help"
tap_ok $? "--help exits 0"
for o in --debug --debug-file --dry-run --json --break --wait-gdb --compare \
	 --compare-ignore --report-fd --verbose; do
	ok_has "$TMP/help" "^ .*$o[ =]" "--help lists $o"
done
for o in $(grep -Eo -- '--[a-z][a-z0-9-]*' "$TMP/help" | sort -u); do
	grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" "$MAN"
	tap_ok $? "the man page documents $o"
done
if command -v groff >/dev/null 2>&1; then
	groff -man -ww -z "$MAN" 2>"$TMP/groff"
	[ ! -s "$TMP/groff" ]
	tap_ok $? "groff reads the man page without warnings"
	sed 's/^/# /' "$TMP/groff"
else
	tap_skip "groff reads the man page without warnings" "no groff"
fi
tap_done
