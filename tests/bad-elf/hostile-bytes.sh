#!/bin/sh
# hostile-bytes: bytes from files and names (a newline, ESC sequences, CR)
# never reach stderr raw: every failure is exactly one line starting with
# "uexec: ", in printable ASCII, with the bytes escaped (\n, \r, \xHH), and
# the trace and the JSON plan stay one event a line / valid JSON.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/bad-elf/lib.sh"

NL='
'
ESC=$(printf '\033')
CR=$(printf '\r')

if ! "$GEN" "$TESTPROGS/tiny" "$BADDIR" >"$BADDIR/list"; then
	tap_ok 1 "gen-bad-elf writes the mutants"
	tap_done
	exit 1
fi

# clean FILE: no byte outside printable ASCII but the newlines, and every
# line starts with "uexec: ".
clean() {
	! LC_ALL=C grep -q '[^ -~]' "$1" && ! grep -qv '^uexec: ' "$1"
}

# one_line NAME STATUS WANT CMD...: CMD exits STATUS with exactly one clean
# line on stderr that contains the fixed string WANT.
one_line() {
	_n=$1 _st=$2 _want=$3
	shift 3
	"$@" >"$BADDIR/out" 2>"$BADDIR/err" </dev/null
	_rc=$?
	[ "$_rc" -eq "$_st" ]
	tap_ok $? "$_n: exit status $_st (got $_rc)"
	[ "$(wc -l <"$BADDIR/err")" -eq 1 ] && clean "$BADDIR/err"
	tap_ok $? "$_n: exactly one line on stderr, 'uexec: ...', printable ASCII"
	grep -qF -- "$_want" "$BADDIR/err"
	tap_ok $? "$_n: the bytes are escaped"
	[ "$(wc -l <"$BADDIR/err")" -eq 1 ] || sed 's/^/# /' "$BADDIR/err" | cat -A
}

one_line "PT_INTERP with a newline, ESC and CR" 127 \
	'ld.so\nuexec: forged \x1b[31mline\x1b[0m\r: No such file' \
	"$UEXEC" "$BADDIR/interp-hostile"

# The trace of the same: one event a line, nothing raw.
"$UEXEC" --debug=all "$BADDIR/interp-hostile" >/dev/null 2>"$BADDIR/trace"
clean "$BADDIR/trace" && grep -q 'ld.so\\nuexec: forged' "$BADDIR/trace"
tap_ok $? "PT_INTERP: the trace is escaped, every line 'uexec: ...'"

# A #! line with ESC and CR.
printf '#!/nonexistent/sh\033]0;title\007\033[2J\r\n' >"$BADDIR/script"
chmod 755 "$BADDIR/script"
one_line "#! line with ESC and CR" 127 'sh\x1b]0;title\x07\x1b[2J\r' \
	"$UEXEC" "$BADDIR/script"

# A file name with a newline (and ESC): a file that is not executable.
bad="$BADDIR/bad${NL}uexec: forged ${ESC}[1mname${CR}"
cp "$BADDIR/badmagic" "$bad"
one_line "file name with a newline" 126 'bad\nuexec: forged \x1b[1mname\r: ' \
	"$UEXEC" "$bad"
# Not found in PATH.
one_line "command name with a newline" 127 'no\nsuch\x1b[0m: command not found' \
	"$UEXEC" "no${NL}such${ESC}[0m"

# A dry run of a runnable file with such a name and such arguments: the
# text plan is printable ASCII, the JSON plan is valid JSON that holds the
# original bytes.
good="$BADDIR/good${NL}name${ESC}"
cp "$TESTPROGS/tiny" "$good"
"$UEXEC" --dry-run "$good" "a${NL}b${CR}" >"$BADDIR/plan" 2>"$BADDIR/err"
rc=$?
[ $rc -eq 0 ] && ! LC_ALL=C grep -q '[^ -~]' "$BADDIR/plan" &&
	grep -qF '"a\nb\r"' "$BADDIR/plan"
tap_ok $? "dry run: the text plan is printable ASCII (status $rc)"
if command -v python3 >/dev/null 2>&1; then
	"$UEXEC" --dry-run --json "$good" "a${NL}b${CR}" >"$BADDIR/json" 2>/dev/null
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); s=json.dumps(d); sys.exit(0 if "a\\nb\\r" in s and "\\u001b" in s else 1)' "$BADDIR/json"
	tap_ok $? "dry run --json: valid JSON with the bytes escaped"
	"$UEXEC" --dry-run --json "$bad" >"$BADDIR/json" 2>/dev/null
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$BADDIR/json"
	tap_ok $? "dry run --json of a failure: valid JSON"
else
	tap_skip "dry run --json: valid JSON" "no python3"
	tap_skip "dry run --json of a failure: valid JSON" "no python3"
fi
tap_done
