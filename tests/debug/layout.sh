#!/bin/sh
# --layout: the picture of the plan's address space.  Its regions are the
# JSON plan's (the same plan: both under setarch -R), and, run for real,
# the program's own /proc/self/maps (tests/core/maps prints them); the SVG
# is well-formed.  check-layout.py does the comparing.
. "$top_srcdir/tests/debug/lib.sh"
R="setarch $MACHINE -R"
C="python3 $top_srcdir/tests/debug/check-layout.py"
M="$top_builddir/tests/core"

for p in $PROGS; do
	"$UEXEC" --dry-run --layout "$D/$p" >"$TMP/$p.pic" 2>&1
	tap_ok $? "$p: --dry-run --layout exits 0"
	! has "$TMP/$p.pic" "^hello"
	tap_ok $? "$p: --layout runs nothing"
	ok_has "$TMP/$p.pic" "^0x[0-9a-f]{12}-0x[0-9a-f]{12}  0x[0-9a-f]+ \([0-9.]+ [KMG]?i?B\)  rw.  \[stack\]  top random over" \
		"$p: the stack, with its random range"
	ok_has "$TMP/$p.pic" "^0x[0-9a-f]+  \[heap\] \(brk\)  start_brk" "$p: the heap start"
	ok_has "$TMP/$p.pic" "^    gap 0x[0-9a-f]+ \(.*\): the empty low range$" "$p: the empty low range"
	ok_has "$TMP/$p.pic" "^  0x[0-9a-f]+-0x[0-9a-f]+  .*  r-x  file  offset" "$p: the text segment"
done
ok_has "$TMP/hello-dyn.pic" "^0x[0-9a-f]+  mmap_base  random over .*grows down" \
	"hello-dyn: the mmap base, random, growing down"
ok_has "$TMP/hello-dyn.pic" "  /lib.*ld-linux.* interp top-down below the mmap base" \
	"hello-dyn: the interpreter below the mmap base"
ok_has "$TMP/hello-dyn.pic" "\[vdso\]  the kernel's" "hello-dyn: the vDSO"

if $R true 2>/dev/null; then
	for p in maps-static maps-dyn; do
		$R "$UEXEC" --layout "$M/$p" >"$TMP/$p.pic" &&
			$R "$UEXEC" --json "$M/$p" >"$TMP/$p.json" &&
			out=$($C json "$TMP/$p.pic" "$TMP/$p.json")
		tap_ok $? "$p: the picture's regions are the JSON plan's $out"
		$R "$UEXEC" "$M/$p" >"$TMP/$p.maps" && out=$($C maps "$TMP/$p.pic" "$TMP/$p.maps")
		st=$?
		if [ $st -ne 0 ] && [ "$MACHINE" = aarch64 ] &&
		   $C maps-merged "$TMP/$p.pic" "$TMP/$p.maps" >/dev/null; then
			tap_todo 1 "$p: run for real, they are the program's /proc/self/maps $out" \
				"the bss mapping merges with the next anonymous mapping under uexec (arm64 without MTE; README, aarch64)"
		else
			tap_ok $st "$p: run for real, they are the program's /proc/self/maps $out"
		fi
		ok_has "$TMP/$p.pic" "not randomised" "$p: under setarch -R nothing is randomised"
	done
else
	tap_skip "the picture against the plan and the maps" "setarch -R not permitted"
fi

"$UEXEC" --layout=svg:"$TMP/l.svg" "$D/hello-dyn" >"$TMP/svg.out" 2>&1 &&
	[ ! -s "$TMP/svg.out" ] && out=$($C svg "$TMP/l.svg")
tap_ok $? "--layout=svg:FILE writes a well-formed SVG, and nothing else $out"
out=$("$UEXEC" --layout=png:x "$D/hello-dyn" 2>&1)
[ $? -eq 2 ] && [ "$out" = "uexec: --layout=png:x: expected --layout or --layout=svg:FILE" ]
tap_ok $? "--layout=png:x: exit 2 and one line ($out)"
out=$("$UEXEC" --layout=svg:/nonexistent/dir/x.svg "$D/hello-dyn" 2>&1)
[ $? -eq 2 ] && echo "$out" | grep -q "^uexec: /nonexistent/dir/x.svg: No such file"
tap_ok $? "--layout=svg: into a missing directory: exit 2 and the reason"
tap_done
