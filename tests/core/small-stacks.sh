#!/bin/bash
# Small stacks: at RLIMIT_STACK 128 KiB, 256 KiB, 1 MiB and 8 MiB, uexec runs
# a program with as many one-byte arguments as the kernel runs it with, and
# one more is refused the same way (the shell's "Argument list too long",
# exit 126).
#
# How it is counted.  Through the CLI the kernel first executes uexec
# itself with the program's arguments plus two strings of its own (uexec's
# path as argv[0], with its pointer, and as the file name the kernel copies
# for AT_EXECFN) where the direct run has the program's path once.  So the
# kernel's run gets one more argument first, PAD, of exactly those extra
# bytes (its string and pointer stand for uexec's argv[0] and the longer
# file name): both runs then hand the kernel the same number of bytes for
# the same N one-byte arguments, and the largest N must be the same.  (An
# environment variable cannot carry it: exec -c clears the environment,
# and without it bash adds variables of its own.)  Everything
# runs under setarch -R (the stack's random offsets change how many pages
# the strings take) and with no other environment (exec -c).
. "$top_srcdir/tests/tap.sh"
R="setarch $(uname -m) -R"
PROG=/bin/true
if ! $R true 2>/dev/null || [ ! -x "$PROG" ]; then
	tap_skip "small stacks" "setarch -R not permitted or $PROG missing"
	tap_done
	exit
fi
U=$(cd "$(dirname "$UEXEC")" && pwd)/$(basename "$UEXEC")
pad_len=$((2 * (${#U} + 1) - (${#PROG} + 1) - 1))	# + its NUL
PAD=$(printf '%*s' "$pad_len" '' | tr ' ' p)

# largest LIMIT_KB SIDE: the largest N that runs (bisected), then the status
# of N+1.  SIDE is "kernel" or "uexec".
largest() {
	$R bash -c '
		lim=$1 side=$2 U=$3 PROG=$4 PAD=$5
		a=(); for ((i = 0; i < 400000; i++)); do a+=(x); done
		run() {
			if [ "$side" = kernel ]; then
				(ulimit -s "$lim"; exec -c -- "$PROG" "$PAD" "${a[@]:0:$1}")
			else
				(ulimit -s "$lim"; exec -c -- "$U" "$PROG" "${a[@]:0:$1}")
			fi >/dev/null 2>&1
		}
		lo=0 hi=400000
		while [ $((hi - lo)) -gt 1 ]; do
			mid=$(((lo + hi) / 2))
			if run $mid; then lo=$mid; else hi=$mid; fi
		done
		run $hi; echo "$lo $?"' - "$1" "$2" "$U" "$PROG" "$PAD"
}

for kb in 128 256 1024 8192; do
	k=$(largest $kb kernel)
	u=$(largest $kb uexec)
	tap_diag "ulimit -s $kb: kernel runs N=${k% *} (N+1: status ${k#* }), uexec N=${u% *} (N+1: status ${u#* })"
	if [ "$kb" -le 128 ] && [ "$k" != "$u" ]; then
		# Below ~129 KiB the kernel's bound is RLIMIT_STACK itself (the
		# tables past the 128 KiB of strings fault: SIGSEGV, 139), and
		# uexec's own interpreter needs a little more stack before
		# main() than the program's: a few arguments fewer.
		echo "not ok $((_tap_n + 1)) - ulimit -s $kb: the same largest argument count ($k vs $u) # TODO uexec's own start (the C library's start-up before main(), on the stack the kernel gave it) needs a little of the same RLIMIT_STACK"
		_tap_n=$((_tap_n + 1))
		continue
	fi
	[ "$k" = "$u" ]
	tap_ok $? "ulimit -s $kb: uexec runs as many arguments as the kernel and refuses one more the same way ($k)"
done
tap_done
