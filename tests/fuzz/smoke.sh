#!/bin/sh
# A short fuzzing run over everything before the point of no return
# (tests/fuzz/fuzz_dry_run.c, driven by smoke.c): the test programs, a
# script and a rule-matched file as seeds, 2000 mutations.  Long runs with
# libFuzzer: doc/fuzzing.md.
. "$top_srcdir/tests/tap.sh"
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
printf '#!/bin/sh\necho hi\n' >"$D/script"
printf '\177ELF' >"$D/short"
seeds="$D/script $D/short"
for p in hello-static hello-pie hello-static-pie tiny; do
	[ -f "$TESTPROGS/$p" ] && seeds="$seeds $TESTPROGS/$p"
done
out=$(UEXEC_FUZZ_RUNS=${UEXEC_FUZZ_RUNS:-2000} "$top_builddir/tests/fuzz/smoke" $seeds 2>&1)
st=$?
[ $st -eq 0 ] && echo "$out" | grep -q "^[0-9]* inputs$"
tap_ok $? "fuzzing smoke run: no crash, descriptors and brk kept, one-line reasons ($st: $(echo "$out" | tail -1))"
tap_done
