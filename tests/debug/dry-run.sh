#!/bin/sh
# --dry-run and --json: the plan, nothing run, the real run's exit status;
# the JSON checked against doc/plan-schema.md by check-plan-json.py.
. "$top_srcdir/tests/debug/lib.sh"

for p in $PROGS; do
	P="$D/$p"
	"$UEXEC" --dry-run "$P" one two >"$TMP/$p.txt" 2>"$TMP/$p.err"
	tap_ok $? "$p: --dry-run exits 0"
	! has "$TMP/$p.txt" "^hello"
	tap_ok $? "$p: --dry-run runs nothing"
	ok_has "$TMP/$p.txt" "^handler: elf$" "$p: text plan names the handler"
	ok_has "$TMP/$p.txt" "^  argv\[2\] 0x[0-9a-f]+ -> 0x[0-9a-f]+ \(top-0x[0-9a-f]+\) \"two\"$" \
		"$p: text plan shows argv with addresses"
	ok_has "$TMP/$p.txt" "^  AT_ENTRY +0x[0-9a-f]+$" "$p: text plan shows the auxv by name"
	ok_has "$TMP/$p.txt" "^entry: 0x[0-9a-f]+$" "$p: text plan shows the entry"
	ok_has "$TMP/$p.txt" "^registers: $PC_REG=0x[0-9a-f]+ $SP_REG=0x[0-9a-f]+" "$p: text plan shows the registers"

	"$UEXEC" --dry-run --json "$P" one two >"$TMP/$p.json" 2>"$TMP/$p.jerr"
	tap_ok $? "$p: --dry-run --json exits 0"
	if command -v python3 >/dev/null 2>&1; then
		python3 -m json.tool "$TMP/$p.json" >/dev/null
		tap_ok $? "$p: --json is valid JSON"
		python3 "$top_srcdir/tests/debug/check-plan-json.py" "$P" one two \
			<"$TMP/$p.json" >"$TMP/$p.schema"
		tap_ok $? "$p: --json matches doc/plan-schema.md"
		sed 's/^/# /' "$TMP/$p.schema"
	else
		tap_skip "$p: --json is valid JSON" "no python3"
		tap_skip "$p: --json matches doc/plan-schema.md" "no python3"
	fi
	# --json alone implies --dry-run.
	"$UEXEC" --json "$P" >"$TMP/$p.j2"
	tap_ok $? "$p: --json alone exits 0"
	! has "$TMP/$p.j2" "^hello"
	tap_ok $? "$p: --json alone runs nothing"
done
if command -v jq >/dev/null 2>&1; then
	[ "$(jq -r '.interpreter' "$TMP/hello-static.json")" = null ]
	tap_ok $? "jq: a static program has no interpreter"
	[ "$(jq -r '.entry' "$TMP/hello-dyn.json")" = "$(jq -r '.interpreter.entry' "$TMP/hello-dyn.json")" ]
	tap_ok $? "jq: a dynamic program enters at its interpreter's entry"
	[ "$(jq -r '[.auxv[] | select(.name == "AT_EXECFN")][0].string' "$TMP/hello-dyn.json")" = "$D/hello-dyn" ]
	tap_ok $? "jq: AT_EXECFN's string is the file name"
else
	tap_skip "jq checks" "no jq"
fi

# The real run's errors, and as JSON.
"$UEXEC" --dry-run "$TMP/missing" >/dev/null 2>&1
tap_ok $(( $? != 127 )) "--dry-run of a missing program: 127"
printf 'text\n' >"$TMP/text"; chmod 755 "$TMP/text"
"$UEXEC" --dry-run "$TMP/text" >/dev/null 2>&1
tap_ok $(( $? != 126 )) "--dry-run of a non-program: 126"
"$UEXEC" --json "$TMP/missing" >"$TMP/err.json" 2>/dev/null
tap_ok $(( $? != 127 )) "--json of a missing program: 127"
if command -v python3 >/dev/null 2>&1; then
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "uexec-plan" and d["version"] == 1 and d["status"] == "error", d
e = d["error"]
assert e["errno"] == "ENOENT" and e["code"] == 2 and e["exit_status"] == 127, e
assert isinstance(e["message"], str) and e["message"]
' "$TMP/err.json"
	tap_ok $? "--json of a missing program: an error document"
else
	tap_skip "--json of a missing program: an error document" "no python3"
fi
tap_done
