#!/bin/sh
# Programs that do not come from a path: "uexec -" (standard input) and
# "uexec --fd N" (fexecve).  Both go through a sealed memfd or the open
# file, and the program still checks its own process (procself).
. "$top_srcdir/tests/tap.sh"
T=$top_builddir/tests/core

# As after fexecve(3) of a close-on-exec memfd, AT_EXECFN names a
# descriptor that is gone, so procself's exe check does not apply here.
out=$("$UEXEC" - < "$T/maps-static" 2>&1)
st=$?
[ $st -eq 0 ] || tap_diag "$out"
tap_ok $st "uexec - runs a program read from standard input"
echo "$out" | grep -q '^exe /memfd:stdin'
tap_ok $? "/proc/self/exe is the sealed memfd holding it"
echo "$out" | grep -q ' /memfd:stdin'
tap_ok $? "its segments are mapped from that memfd"

out=$("$UEXEC" --fd 3 prog a 3< "$T/procself-static" 2>&1)
tap_ok $? "--fd 3 runs the program open on descriptor 3 ($out)"
out=$("$UEXEC" --fd 7 prog 2>&1)
st=$?
[ $st -eq 126 ] || [ $st -eq 127 ]
tap_ok $? "--fd on a closed descriptor fails cleanly ($st: $out)"
printf 'not a program\n' > exec-sources.tmp
out=$("$UEXEC" - < exec-sources.tmp 2>&1)
st=$?
rm -f exec-sources.tmp
[ $st -eq 126 ] && echo "$out" | grep -q '^uexec: '
tap_ok $? "garbage on standard input: 126 and one line ($out)"

# The library as execve(2) and glibc's fexecve(3): a NULL argv runs the
# program with argv {""} (Linux >= 5.18), an O_PATH descriptor runs.
S=$top_builddir/tests/handlers/showargs
for m in nullargv opath; do
	k=$("$T/execargs" kernel-$m "$S" a b 2>&1)
	kst=$?
	u=$("$T/execargs" uexec-$m "$S" a b 2>&1)
	ust=$?
	[ $kst -eq 0 ] && [ $ust -eq 0 ] && [ "$k" = "$u" ]
	tap_ok $? "library, $m: the same run as the kernel's ($kst/$ust: $u)"
done
tap_done
