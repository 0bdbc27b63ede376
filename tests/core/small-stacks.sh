#!/bin/bash
# Small stacks: at RLIMIT_STACK 128 KiB, 256 KiB, 1 MiB and 8 MiB, uexec runs
# a program with as many one-byte arguments as the kernel runs it with, and
# one more is refused the same way (the shell's "Argument list too long",
# exit 126, or, where the bound is the stack itself, the program's SIGSEGV,
# 139).
#
# The library (uexec_execve() from execargs, against execve() from the same
# caller): exactly the kernel's count at every limit, since uexec works on
# a stack of its own (src/ownstack.h) and the program gets the stack the
# kernel would give it.
#
# The CLI.  The kernel first executes uexec itself with the program's
# arguments plus two strings of its own (uexec's path as argv[0], with its
# pointer, and as the file name the kernel copies for AT_EXECFN) where the
# direct run has the program's path once.  Where the kernel's bound is
# E2BIG, its run therefore gets one more argument first, PAD, of exactly
# those extra bytes (its string and pointer stand for uexec's argv[0] and
# the longer file name): both runs then hand the kernel the same number of
# bytes for the same N one-byte arguments, and the largest N must be the
# same.  (An environment variable cannot carry it: exec -c clears the
# environment, and without it bash adds variables of its own.)  Where the
# bound is the stack itself (SIGSEGV at N+1, below about 129 KiB), uexec's
# own process must also fit in it with those bytes and its C library's
# start-up (README, "Small stacks"): the CLI then runs at most the kernel's
# count, never more, and fails the same way one past its own.
#
# Everything runs under setarch -R (the stack's random offsets change how
# many pages the strings take) and with no other environment (exec -c).
. "$top_srcdir/tests/tap.sh"
R="setarch $MACHINE -R"
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
# of N+1.  SIDE: "kernel" (with PAD), "plain" (without), "cli", or
# "lib-kernel-plain" and "lib-uexec--plain" (execargs, equal lengths; the
# caller holds the arguments too), "lib-kernel-many" and "lib-uexec--many"
# (the caller makes them: only the program's stack holds them).
largest() {
	$R bash -c '
		lim=$1 side=$2 U=$3 PROG=$4 PAD=$5 EA=$6
		a=(); for ((i = 0; i < 400000; i++)); do a+=(x); done
		run() {
			case $side in
			kernel) (ulimit -s "$lim"; exec -c -- "$PROG" "$PAD" "${a[@]:0:$1}");;
			plain) (ulimit -s "$lim"; exec -c -- "$PROG" "${a[@]:0:$1}");;
			cli) (ulimit -s "$lim"; exec -c -- "$U" "$PROG" "${a[@]:0:$1}");;
			lib-*-plain) (ulimit -s "$lim"; exec -c -- "$EA" "${side#lib-}" "$PROG" "$PROG" "${a[@]:0:$1}");;
			lib-*-many) (ulimit -s "$lim"; exec -c -- "$EA" "${side#lib-}" "$PROG" "$1");;
			esac >/dev/null 2>&1
		}
		lo=0 hi=400000
		while [ $((hi - lo)) -gt 1 ]; do
			mid=$(((lo + hi) / 2))
			if run $mid; then lo=$mid; else hi=$mid; fi
		done
		run $hi; echo "$lo $?"' - "$1" "$2" "$U" "$PROG" "$PAD" "$EA"
}

EA=$(cd "$top_builddir/tests/core" && pwd)/execargs
# AddressSanitizer cannot follow a switch of stacks: such a uexec has none
# of its own (UEXEC_UNDER_TEST pointing at a sanitizer build).
SANITIZED=$( (ldd "$U" 2>/dev/null; nm -D "$U" 2>/dev/null) | grep -m1 -E 'libasan|__asan_init')
# The same for the library, when execargs itself is a sanitizer build.
LIB_SANITIZED=$( (ldd "$EA" 2>/dev/null; nm "$EA" 2>/dev/null) | grep -m1 -E 'libasan|__asan_init')
for kb in 128 256 1024 8192; do
	# Where the stack, not E2BIG, is the bound (the CLI's status is not 126).
	p=$(largest $kb plain)
	if [ "${p#* }" != 126 ] && [ -n "$LIB_SANITIZED" ]; then
		tap_skip "library, ulimit -s $kb" "a sanitizer build of the library runs on its caller's stack (src/ownstack.h)"
	else
		k=$(largest $kb lib-kernel-plain)
		u=$(largest $kb lib-uexec--plain)
		tap_diag "library, ulimit -s $kb: execve() runs N=${k% *} (N+1: status ${k#* }), uexec_execve() N=${u% *} (N+1: status ${u#* })"
		[ "$k" = "$u" ]
		tap_ok $? "library, ulimit -s $kb: uexec_execve() runs as many arguments as execve() and refuses one more the same way ($k)"
	fi

	if [ "${p#* }" != 126 ] && [ -n "$SANITIZED" ]; then
		tap_skip "CLI, ulimit -s $kb" "a sanitizer build of uexec runs on the stack it was given (src/ownstack.h)"
		continue
	fi
	u=$(largest $kb cli)
	if [ "${p#* }" != 126 ]; then
		tap_diag "CLI, ulimit -s $kb: the kernel runs N=${p% *} (N+1: status ${p#* }), uexec N=${u% *} (N+1: status ${u#* })"
		[ "${u% *}" -le "${p% *}" ] && [ "${u#* }" = "${p#* }" ]
		tap_ok $? "CLI, ulimit -s $kb: the stack is the bound; uexec runs no more arguments than the kernel and fails one past its own the same way"
		continue
	fi
	k=$(largest $kb kernel)
	tap_diag "CLI, ulimit -s $kb: kernel runs N=${k% *} with PAD (N+1: status ${k#* }), uexec N=${u% *} (N+1: status ${u#* })"
	[ "$k" = "$u" ]
	tap_ok $? "CLI, ulimit -s $kb: uexec runs as many arguments as the kernel and refuses one more the same way ($k)"
done

# The caller makes the arguments (execargs *-many), so that only the
# program's stack holds them: /bin/true and a program that uses almost no
# stack of its own (no libc) get the kernel's count at 128 KiB, where the
# bound is the program's stack.
TINY=$(cd "$top_builddir/testprogs" && pwd)/tiny
for PROG in /bin/true "$TINY"; do
	[ -x "$PROG" ] || continue
	if [ -n "$LIB_SANITIZED" ]; then
		tap_skip "library, $(basename "$PROG"), ulimit -s 128" "a sanitizer build of the library runs on its caller's stack (src/ownstack.h)"
		continue
	fi
	k=$(largest 128 lib-kernel-many)
	u=$(largest 128 lib-uexec--many)
	tap_diag "library, $PROG, ulimit -s 128: execve() N=${k% *} (${k#* }), uexec_execve() N=${u% *} (${u#* })"
	[ "${k% *}" = "${u% *}" ]
	tap_ok $? "library, $(basename "$PROG"), arguments made by the caller, ulimit -s 128: the kernel's count (${k% *})"
	# One more: where the kernel's exec itself faults after its point of
	# no return (the tables do not fit: SIGSEGV, 139), uexec refuses
	# before its own (README, "Small stacks"); else the same status.
	n=$((${u% *} + 1))
	msg=$($R bash -c 'ulimit -s 128; exec -c -- "$1" uexec--many "$2" "$3"' - "$EA" "$PROG" "$n" 2>&1)
	if [ "${k#* }" = 139 ] && [ "${u#* }" = 1 ]; then
		echo "$msg" | grep -q "the initial stack ([0-9]* bytes) exceeds RLIMIT_STACK (131072)"
		tap_ok $? "library, $(basename "$PROG"): one more, which the kernel's exec faults on, is refused before the point of no return"
	else
		[ "${k#* }" = "${u#* }" ]
		tap_ok $? "library, $(basename "$PROG"): one more fails the same way (${k#* })"
	fi
done
tap_done
