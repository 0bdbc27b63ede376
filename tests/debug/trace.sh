#!/bin/sh
# --debug=CATEGORIES / UEXEC_DEBUG / --debug-file on a known program: every
# category's lines, their format, and the errors with errno and step.
. "$top_srcdir/tests/debug/lib.sh"
P="$D/hello-static"
X='0x[0-9a-f]+'

for cat in handlers elf map brk stack entry exec; do
	"$UEXEC" --debug=$cat --debug-file="$TMP/$cat.log" "$P" a b >"$TMP/$cat.out" 2>"$TMP/$cat.err"
	tap_ok $? "--debug=$cat: the program runs"
	[ "$(cat "$TMP/$cat.out")" = "hello a b" ]
	tap_ok $? "--debug=$cat: its output is intact"
	[ ! -s "$TMP/$cat.err" ]
	tap_ok $? "--debug=$cat --debug-file: nothing on stderr"
	bad=$(grep -Evc "^uexec: $cat: [a-z][][a-z0-9_-]*:?( |$)" "$TMP/$cat.log")
	[ -s "$TMP/$cat.log" ] && [ "$bad" -eq 0 ]
	tap_ok $? "--debug=$cat: every line reads 'uexec: $cat: EVENT ...'"
	[ "$bad" -eq 0 ] || grep -Ev "^uexec: $cat: [a-z][][a-z0-9_-]*:?( |$)" "$TMP/$cat.log" | head -3 | sed 's/^/# /'
done
L="$TMP"
ok_has $L/handlers.log "^uexec: handlers: try elf file \".*/hello-static\" depth 0: accept$" \
	"handlers: the ELF handler's answer"
ok_has $L/elf.log "^uexec: elf: ehdr exe \".*/hello-static\" type ET_EXEC machine $EM_NUM entry $X phnum [0-9]+ size $X$" \
	"elf: the ELF header"
ok_has $L/elf.log "^uexec: elf: phdr exe [0-9]+ PT_LOAD offset $X vaddr $X filesz $X memsz $X flags r-x align $X$" \
	"elf: each program header"
ok_has $L/elf.log "^uexec: elf: place exe bias 0x0 extent $X-$X" "elf: the placement"
ok_has $L/map.log "^uexec: map: map exe file $X-$X r-x off (0|$X): ok$" "map: a file mapping with protection and offset"
ok_has $L/map.log "^uexec: map: map stack stack $X-$X rw- " "map: the stack mapping"
ok_has $L/brk.log "^uexec: brk: brk start_brk $X brk $X end_bss $X$" "brk: start_brk, brk, end of bss"
ok_has $L/stack.log "^uexec: stack: argc at $X 3$" "stack: argc with its address"
ok_has $L/stack.log "^uexec: stack: argv\[1\] at $X -> $X top-$X \"a\"$" "stack: argv strings with addresses"
ok_has $L/stack.log "^uexec: stack: envp\[[0-9]+\] at $X -> $X top-$X \"" "stack: envp strings with addresses"
ok_has $L/stack.log "^uexec: stack: auxv\[[0-9]+\] at $X AT_PHDR\(3\) $X$" "stack: auxv entries by name"
ok_has $L/stack.log "^uexec: stack: auxv\[[0-9]+\] at $X AT_EXECFN\(31\) $X \".*/hello-static\"$" "stack: AT_EXECFN with its string"
ok_has $L/stack.log "^uexec: stack: auxv\[[0-9]+\] at $X AT_NULL\(0\) 0x0$" "stack: the auxv ends with AT_NULL"
ok_has $L/entry.log "^uexec: entry: jump pc $X sp $X$" "entry: pc and sp"
ok_has $L/entry.log "^uexec: entry: register $FLAGS_RE$" "entry: ${FLAGS_RE%% *}"
ok_has $L/entry.log "^uexec: entry: register $ATEXIT_REG 0x0$" "entry: $ATEXIT_REG (no atexit function)"

# The dynamic program: the interpreter's headers too.
"$UEXEC" --debug=elf,entry --debug-file="$TMP/dyn.log" "$D/hello-dyn" >/dev/null
tap_ok $? "--debug=elf,entry on a dynamic program"
ok_has "$TMP/dyn.log" "^uexec: elf: interp exe \"/.*\"$" "elf: PT_INTERP"
ok_has "$TMP/dyn.log" "^uexec: elf: ehdr interp \"/.*\" type ET_DYN" "elf: the interpreter's header"
if has "$TMP/dyn.log" "^uexec: (handlers|map|stack|brk):"; then tap_ok 1 "only the categories asked for"; else tap_ok 0 "only the categories asked for"; fi

# UEXEC_DEBUG, to stderr
UEXEC_DEBUG=brk "$UEXEC" "$P" >/dev/null 2>"$TMP/env.err"
tap_ok $? "UEXEC_DEBUG: the program runs"
ok_has "$TMP/env.err" "^uexec: brk: brk start_brk" "UEXEC_DEBUG=brk traces to stderr"

# --debug=all: every category
"$UEXEC" --debug=all --debug-file="$TMP/all.log" "$P" >/dev/null
for cat in handlers elf map brk stack entry exec; do
	ok_has "$TMP/all.log" "^uexec: $cat: " "--debug=all includes $cat"
done

# errors: errno and step
"$UEXEC" --debug=errors "$TMP/nonexistent" 2>"$TMP/e1" >/dev/null
tap_ok $(( $? != 127 )) "a missing program: exit 127"
ok_has "$TMP/e1" "^uexec: errors: fail step open errno ENOENT \(2\) message " "errors: ENOENT at the open step"
printf 'not a program\n' >"$TMP/text"; chmod 644 "$TMP/text"
"$UEXEC" --debug=errors "$TMP/text" 2>"$TMP/e2" >/dev/null
tap_ok $(( $? != 126 )) "a non-executable file: exit 126"
ok_has "$TMP/e2" "^uexec: errors: fail step open errno EACCES \(13\)" "errors: EACCES at the open step"
printf '\177ELF garbage' >"$TMP/bad"; chmod 755 "$TMP/bad"
"$UEXEC" --debug=errors "$TMP/bad" 2>"$TMP/e3" >/dev/null
tap_ok $(( $? != 126 )) "a malformed ELF: exit 126"
ok_has "$TMP/e3" "^uexec: errors: fail step handlers errno E[A-Z]+ \([0-9]+\)" "errors: the handlers step"

# help and unknown categories
"$UEXEC" --debug=help >"$TMP/help"
tap_ok $? "--debug=help exits 0"
for cat in handlers elf map brk stack entry errors exec; do
	ok_has "$TMP/help" "^  $cat " "--debug=help lists $cat"
done
"$UEXEC" --debug=bogus "$P" 2>"$TMP/bogus"
tap_ok $(( $? != 2 )) "--debug=bogus: exit 2"
ok_has "$TMP/bogus" "unknown category 'bogus'" "--debug=bogus: says which"

# Stable enough to diff: two runs without address randomisation.
if setarch -R true 2>/dev/null; then
	setarch -R "$UEXEC" --debug=handlers,elf,map,brk,stack,entry --dry-run "$P" x >/dev/null 2>"$TMP/r1"
	setarch -R "$UEXEC" --debug=handlers,elf,map,brk,stack,entry --dry-run "$P" x >/dev/null 2>"$TMP/r2"
	cmp -s "$TMP/r1" "$TMP/r2"
	tap_ok $? "two traces under setarch -R are identical"
	[ $? -eq 0 ] || diff "$TMP/r1" "$TMP/r2" | head -5 | sed 's/^/# /'
else
	tap_skip "two traces under setarch -R are identical" "setarch -R not available"
fi
tap_done
