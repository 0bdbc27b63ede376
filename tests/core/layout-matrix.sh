#!/bin/bash
# The layout matrix: the probe (layout-probe.c: personality, brk, a first
# mmap, a malloc of 1 MiB, a stack address, the auxv's addresses,
# /proc/self/maps) built as x86_64 static, static PIE, PIE, non-PIE and
# -z execstack, as static PIEs with a 2 MiB and a 16 MiB p_align, and as i386 static, dynamic and without PT_GNU_STACK, each
# run under the kernel and under uexec without randomisation (setarch -R)
# in the default layout, the legacy layout (setarch -L), with
# `ulimit -s unlimited` and with `ulimit -s 256`: the outputs must be
# byte-identical.  vm.legacy_va_layout=1 is global to the machine: see
# tests/root/legacy-va-layout.sh.
#
# One difference is deliberate (README, "i386 programs"): an i386
# program's maps list the [vsyscall] page of uexec's 64-bit mm, which no
# system call can drop.  An i386 cell passes when its outputs are identical
# or differ by exactly that one line more under uexec.
. "$top_srcdir/tests/tap.sh"
T=$top_builddir/tests/core
if ! setarch "$MACHINE" -R true 2>/dev/null; then
	tap_skip "layout matrix" "personality(ADDR_NO_RANDOMIZE) not permitted"
	tap_done
	exit
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/layout-matrix.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

progs="static spie pie nopie execstack spie-2m spie-16m"
if [ -x "$T/layout-probe-i386" ]; then
	cp "$T/layout-probe-i386" "$tmp/layout-probe-i386-nostack"
	"$T/no-gnu-stack" "$tmp/layout-probe-i386-nostack" &&
		progs="$progs i386 i386-nostack"
fi
[ -x "$T/layout-probe-i386-dyn" ] && progs="$progs i386-dyn"

# Maps lines on stdin with adjacent anonymous mappings of the same
# protection merged into one, as the kernel merges mappings.
merge_anon() {
	awk '
	function flush() { if (held) print lo "-" hi " " rest; held = 0 }
	$0 ~ /^[0-9a-f]+-[0-9a-f]+ [-rwxps]+ 00000000 00:00 0 *$/ {
		split($1, r, "-")
		if (held && r[1] == hi && $2 == perms) { hi = r[2]; next }
		flush(); lo = r[1]; hi = r[2]; perms = $2; rest = substr($0, length($1) + 2)
		held = 1; next
	}
	{ flush(); print }
	END { flush() }'
}

# cell PROG CONDITION: run PROG under CONDITION, kernel then uexec.
run_cell() {	# run_cell PATH FLAGS ULIMIT [UEXEC]
	(ulimit -s "$3" && exec setarch "$MACHINE" -R $2 $4 "$1") 2>&1
	echo "status $?"
}

for p in $progs; do
	path=$T/layout-probe-$p
	[ -x "$path" ] || path=$tmp/layout-probe-$p
	for cond in default:: legacy:-L: unlimited::unlimited stack256::256; do
		name=${cond%%:*} rest=${cond#*:}
		flags=${rest%%:*} lim=${rest#*:}
		k=$(run_cell "$path" "$flags" "${lim:-$(ulimit -s)}")
		u=$(run_cell "$path" "$flags" "${lim:-$(ulimit -s)}" "$UEXEC")
		desc="$p, $name: the same output under uexec as under the kernel"
		if [ "$k" = "$u" ]; then
			tap_ok 0 "$desc"
			continue
		fi
		# README, aarch64: uexec's bss is an mmap and merges with the
		# next anonymous mapping, the kernel's (vm_brk_flags, with
		# VM_MTE_ALLOWED) does not: exactly that difference is a TODO.
		if [ "$MACHINE" = aarch64 ] && [ "$(echo "$k" | merge_anon)" = "$u" ]; then
			tap_diag "kernel:" "$k" "uexec:" "$u"
			tap_todo 1 "$desc" "the bss mapping merges with the next anonymous mapping under uexec (arm64 without MTE)"
			continue
		fi
		case $p in i386*) ;; *)
			tap_diag "kernel:" "$k" "uexec:" "$u"
			tap_ok 1 "$desc"
			continue;;
		esac
		extra=$(diff <(echo "$k") <(echo "$u") | grep -v '^[0-9]' | grep -v '^---')
		[ "$(echo "$extra" | wc -l)" -eq 1 ] &&
			echo "$extra" | grep -qE '^> ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 +\[vsyscall\]$'
		st=$?
		[ $st -eq 0 ] || tap_diag "kernel:" "$k" "uexec:" "$u"
		tap_ok $st "$desc, but the [vsyscall] line (README)"
	done
done
tap_done
