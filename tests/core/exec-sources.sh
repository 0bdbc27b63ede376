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
{ [ $st -eq 126 ] || [ $st -eq 127 ]; } && [ "$out" = "uexec: /dev/fd/7: Bad file descriptor" ]
tap_ok $? "--fd on a closed descriptor fails cleanly, naming /dev/fd/7 ($st: $out)"
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

# comm after an exec through a descriptor without a name (fexecve's
# execveat(fd, "", AT_EMPTY_PATH)): since Linux 6.14 (543841d18060) the
# name of the file loaded last, as its dentry has it (a script's
# interpreter, a memfd's "memfd:NAME", a removed file without d_path()'s
# " (deleted)"), where the name asked to run would give the number N of
# /dev/fd/N.  uexec follows the newer rule on every kernel.
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
printf '#!/bin/sh\ncat /proc/$$/comm\n' >"$D/script"
chmod +x "$D/script"
comm_case() {	# TITLE MODE ARGS...
	title=$1
	shift
	k=$(cd "$D" && "$T/execargs" "kernel-$@" 2>&1)
	u=$(cd "$D" && "$T/execargs" "uexec-$@" 2>&1)
	case $k in
	*[!0-9]*) [ "$u" = "$k" ]; tap_ok $? "comm, $title: the kernel's ($u | kernel: $k)" ;;
	*) tap_skip "comm, $title" "this kernel names it by the descriptor ($k): before 543841d18060" ;;
	esac
}
comm_case "fexecve of /bin/cat" fd /bin/cat /proc/self/comm
comm_case "fexecve of a script (its interpreter's name)" fd "$D/script"
comm_case "a memfd" memfd /bin/cat /proc/self/comm
comm_case "a file of 20 characters (cut to 15)" fdcopy "$D/a-name-of-twenty-ch" 0 /bin/cat /proc/self/comm
comm_case "a removed file" fdcopy "$D/removed" 1 /bin/cat /proc/self/comm
comm_case "a file named 'x (deleted)'" fdcopy "$D/x (deleted)" 0 /bin/cat /proc/self/comm
comm_case "a removed file named 'x (deleted)'" fdcopy "$D/y (deleted)" 1 /bin/cat /proc/self/comm
k=$("$T/execargs" kernel-fd /bin/cat /proc/self/comm 2>&1)
u=$("$UEXEC" --fd 3 x /proc/self/comm 3</bin/cat 2>&1)
case $k in
*[!0-9]*) [ "$u" = "$k" ]; tap_ok $? "comm, uexec --fd 3: the kernel's fexecve's ($u | kernel: $k)" ;;
*) tap_skip "comm, uexec --fd 3" "this kernel names it by the descriptor ($k)" ;;
esac
u=$(cp /bin/cat "$D/named" && "$T/execargs" uexec-plain "$D/named" x /proc/self/comm 2>&1)
[ "$u" = named ]
tap_ok $? "comm, a program run by its name: the name's last component ($u)"
tap_done
