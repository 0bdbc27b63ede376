#!/bin/sh
# odd-loads: PT_LOADs the kernel accepts and linkers seldom write
# (tests/bad-elf/gen-odd-loads.c says which), in static, static-PIE, PIE,
# non-PIE dynamic and no-libc programs: uexec runs each as the kernel runs
# it (the same status, stdout and stderr) and, where ptrace is allowed,
# gives it the kernel's initial state (uexec --compare).  Found by a differential fuzzing
# run that compared the kernel's verdicts with uexec's.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/bad-elf/lib.sh"
GEN_ODD="$top_builddir/tests/bad-elf/gen-odd-loads"

"$UEXEC" --compare /bin/true >"$BADDIR/probe" 2>&1
grep -q "ptrace is not permitted" "$BADDIR/probe" && can_compare=0 || can_compare=1

# same_run NAME: the kernel's run of NAME and uexec's give the same status,
# stdout and stderr (but for the shell's report of a signal, which names
# the pid).
same_run() {
	run native "$BADDIR/$1"
	run uexec "$UEXEC" "$BADDIR/$1"
	for r in native uexec; do
		grep -v ": line [0-9]*: *[0-9]* [A-Z]" "$TESTTMP/$r.err" >"$TESTTMP/$r.err2"
	done
	[ "$(rc_of native)" = "$(rc_of uexec)" ] &&
		cmp -s "$TESTTMP/native.out" "$TESTTMP/uexec.out" &&
		cmp -s "$TESTTMP/native.err2" "$TESTTMP/uexec.err2"
	st=$?
	tap_ok $st "$1: the same status ($(rc_of native)), stdout and stderr as under the kernel"
	[ $st -eq 0 ] || { show native; show uexec; }
}

# same_state NAME: uexec --compare finds no difference, both runs without
# randomisation (an address outside every mapping, such as start_data
# here, is compared as a number).
same_state() {
	if [ "$can_compare" -eq 0 ] || ! command -v setarch >/dev/null; then
		tap_skip "$1: the kernel's initial state" "ptrace is not permitted here, or no setarch"
		return
	fi
	out=$(setarch -R "$UEXEC" --compare "$BADDIR/$1" 2>&1)
	st=$?
	[ $st -eq 0 ] || printf '%s\n' "$out" | grep -E '^(DIFF|uexec)' | sed 's/^/# /'
	tap_ok $st "$1: the kernel's initial state (uexec --compare)"
}

for t in tiny hello-static hello-static-pie hello-pie hello-nopie; do
	if [ ! -f "$TESTPROGS/$t" ]; then
		tap_skip "$t mutants" "$t not built"
		continue
	fi
	if ! "$GEN_ODD" "$TESTPROGS/$t" "$BADDIR" "$t" >"$BADDIR/list"; then
		tap_ok 1 "gen-odd-loads writes the $t mutants"
		continue
	fi
	while read -r f; do
		case $f in
		*-align-2^47)
			# Mapped at 0 (root), or killed after the kernel's point of
			# no return and refused before uexec's (anyone else).
			"$BADDIR/$f" >/dev/null 2>&1
			if [ $? -eq 139 ]; then
				tap_ok 0 "$f: the kernel cannot map it at 0 for this user (SIGSEGV)"
				refuse "$BADDIR/$f" 126 'below vm.mmap_min_addr'
			else
				same_run "$f"
			fi
			continue ;;
		esac
		same_run "$f"
		same_state "$f"
	done <"$BADDIR/list"
done
tap_done
