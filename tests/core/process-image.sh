#!/bin/sh
# The program run by uexec must see the process the kernel would give it:
# /proc/self/{cmdline,environ,auxv,comm,exe,maps} and brk are its own
# (procself checks itself), and under setarch -R (no randomisation) its
# /proc/self/maps, exe and brk are the kernel's, line for line (the vDSO
# included: the final stage moves it where the kernel's exec maps it).
. "$top_srcdir/tests/tap.sh"
T=$top_builddir/tests/core
R="setarch $MACHINE -R"

for p in procself-static procself-spie procself-dyn; do
	out=$("$T/$p" a 'b c' 2>&1)
	tap_ok $? "$p checks itself under the kernel"
	out=$("$UEXEC" "$T/$p" a 'b c' 2>&1)
	st=$?
	[ $st -eq 0 ] || tap_diag "$out"
	tap_ok $st "$p: the process under uexec is the program's ($out)"
done

# The same maps as the kernel's, without randomisation.
same_maps() {	# same_maps PROG [FILTER]
	native=$($R "$T/$1" | grep -v "${2:-^$}")
	wrapped=$($R "$UEXEC" "$T/$1" | grep -v "${2:-^$}")
	if [ "$native" = "$wrapped" ]; then
		return 0
	fi
	tap_diag "kernel:" "$native" "uexec:" "$wrapped"
	return 1
}
if $R true 2>/dev/null; then
	# uexec itself is a PIE at ELF_ET_DYN_BASE too: the program's
	# segments are staged and moved there once uexec is gone.
	same_maps maps-dyn
	tap_ok $? "dynamic PIE under setarch -R (at uexec's own address): maps, exe and brk are the kernel's"
	same_maps maps-static
	tap_ok $? "static under setarch -R: maps, exe and brk are the kernel's"
	# A static PIE goes just below mmap_base, where a static-PIE uexec
	# is: staged, and the vDSO moved by less than its own size.
	same_maps maps-spie
	tap_ok $? "static PIE under setarch -R: maps, exe and brk are the kernel's"
else
	tap_skip "setarch -R comparisons" "personality(ADDR_NO_RANDOMIZE) not permitted"
fi

# System programs, if present: same output as under the kernel.
same_run() {	# same_run PROGRAM ARGS...: output and status as under the kernel
	[ -x "$1" ] || { tap_skip "$*" "not installed"; return; }
	a=$("$@" 2>&1; echo "status $?")
	b=$("$UEXEC" "$@" 2>&1; echo "status $?")
	[ "$a" = "$b" ] || tap_diag "kernel: $a" "uexec: $b"
	[ "$a" = "$b" ]
	tap_ok $? "$*: same output and status as under the kernel"
}
same_run /bin/ls -d /
same_run /bin/true
same_run /usr/bin/env -i A=1 /usr/bin/env
same_run /usr/bin/python3 -c 'import os, sys; print(sys.argv, os.readlink("/proc/self/exe"), open("/proc/self/cmdline").read().split("\0")); sys.exit(3)' x
same_run /usr/bin/perl -e 'print "$0 @ARGV ", readlink("/proc/self/exe"), "\n"; exit 4' a b
same_run /bin/bash -c 'echo "$0" "$@" $(readlink /proc/self/exe); exit 5' name a b
same_run /bin/sh -c 'cat /proc/self/comm; exit 6'

# A path longer than any message buffer: one line, cut, and no harm.
long=$top_builddir/tests/core/long.tmp
d=$long
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25; do
	d=$d/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
done
mkdir -p "$d" && printf 'not a program' >"$d/g" && chmod +x "$d/g" && cp "$T/procself-static" "$d/p"
out=$("$UEXEC" "$d/g" 2>&1)
st=$?
[ $st -eq 126 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && case $out in "uexec: $long"*) true;; *) false;; esac
tap_ok $? "a 2500-byte path: 126 and one line ($st)"
out=$("$UEXEC" --debug=all --debug-file="$long/trace" "$d/p" 2>&1)
tap_ok $? "a 2500-byte path runs, traced ($out)"
rm -rf "$long"

# The interpreter run as a program, and --interp.
ldso=$(readlink -f /lib64/ld-linux-x86-64.so.2 2>/dev/null)
if [ -x "$ldso" ]; then
	# ld.so shifts argv in place, so cmdline differs from argv under the
	# kernel too: the two runs must agree, failures included.
	a=$("$ldso" "$T/procself-dyn" x 2>&1 | sed 's/0x[0-9a-f]*/ADDR/g'; echo "status $?")
	b=$("$UEXEC" "$ldso" "$T/procself-dyn" x 2>&1 | sed 's/0x[0-9a-f]*/ADDR/g'; echo "status $?")
	[ "$a" = "$b" ]
	tap_ok $? "ld.so run directly: the same as under the kernel ($b)"
	out=$("$UEXEC" --interp="$ldso" "$T/procself-dyn" 2>&1)
	tap_ok $? "--interp with the real interpreter ($out)"
	out=$("$UEXEC" --interp=/nonexistent/ld.so "$T/procself-dyn" 2>&1)
	st=$?
	[ $st -eq 127 ] && echo "$out" | grep -q "^uexec: .*nonexistent/ld.so.*No such file"
	tap_ok $? "--interp naming a missing file: 127 and a clear line ($st: $out)"
else
	tap_skip "ld.so tests" "no /lib64/ld-linux-x86-64.so.2"
fi

# Without /proc (hidden by a tmpfs in a private mount namespace) uexec
# cannot list its own mappings: it removes everything that is not the new
# image's or the kernel's (final_prepare.c), and the program runs.
if unshare -m true 2>/dev/null; then
	for p in maps-static maps-dyn; do
		out=$(unshare -m sh -c "mount -t tmpfs none /proc && \"$UEXEC\" \"$T/$p\"" 2>&1)
		st=$?
		# maps cannot open /proc/self/maps there: it says so and exits 1.
		[ $st -eq 1 ] && echo "$out" | grep -q '^exe $' 
		tap_ok $? "$p runs without /proc ($st)"
	done
	# The same jail, with a proc mounted elsewhere that only the program
	# reads (maps PROC): uexec itself has no /proc, yet the program's maps
	# are the kernel's under setarch -R, nothing of uexec's is left, and
	# /proc/self/exe names the program.
	if [ "$(id -u)" -eq 0 ] && $R true 2>/dev/null; then
		p=$top_builddir/tests/core/jail-proc.tmp
		mkdir -p "$p"
		for prog in maps-static maps-dyn; do
			jail="mount -t proc proc '$p' && mount -t tmpfs none /proc &&"
			native=$(unshare -m sh -c "$jail $R '$T/$prog' '$p'" 2>&1)
			wrapped=$(unshare -m sh -c "$jail $R '$UEXEC' --debug=exec '$T/$prog' '$p'" 2>"$p.err")
			[ "$native" = "$wrapped" ] || tap_diag "kernel:" "$native" "uexec:" "$wrapped"
			[ -n "$native" ] && [ "$native" = "$wrapped" ]
			tap_ok $? "$prog without /proc: maps, exe and brk are the kernel's"
			# (uexec's own file by its path: the build tree's path may
			# hold "uexec" itself, as distcheck's does)
			! echo "$wrapped" | grep -qF "$UEXEC" &&
				! echo "$wrapped" | grep -q 'libelf\|libz\|libffi' &&
				echo "$wrapped" | grep -q "^exe .*/$prog\$"
			tap_ok $? "$prog without /proc: no mapping of uexec left, exe names the program"
			grep -q '^uexec: exec: exe-file set' "$p.err"
			tap_ok $? "$prog without /proc: --debug=exec says exe-file set ($(grep exe-file "$p.err"))"
		done
		rmdir "$p"
		rm -f "$p.err"
	else
		tap_skip "the program's maps without /proc" "needs root and setarch -R"
	fi
else
	tap_skip "runs without /proc" "no private mount namespace here"
fi

# The reason --debug=exec gives when /proc/self/exe cannot follow the
# program: the capability that is missing, not a guess.
if [ "$(id -u)" -eq 0 ] && command -v capsh >/dev/null &&
	capsh --drop=cap_checkpoint_restore,cap_sys_admin,cap_sys_resource -- -c true 2>/dev/null; then
	out=$(capsh --drop=cap_checkpoint_restore,cap_sys_admin,cap_sys_resource -- \
		-c "'$UEXEC' --debug=exec '$T/maps-static'" 2>&1)
	echo "$out" | grep -q '^uexec: exec: exe-file failed: .*no CAP_CHECKPOINT_RESTORE.*(errno 1)$' &&
		echo "$out" | grep -q "^exe .*uexec$"
	tap_ok $? "without the capabilities: exe-file failed, and says which (EPERM)"
else
	tap_skip "exe-file without the capabilities" "needs root and capsh"
fi

# A system static PIE (Debian's ldconfig): the vDSO's move may be shorter
# than the vDSO itself, which mremap refuses in one step.
if [ -x /sbin/ldconfig ] && file -L /sbin/ldconfig 2>/dev/null | grep -q static-pie; then
	want=$(/sbin/ldconfig --version 2>&1); got=$("$UEXEC" /sbin/ldconfig --version 2>&1)
	[ "$got" = "$want" ]
	tap_ok $? "/sbin/ldconfig (static PIE) runs as under the kernel"
else
	tap_skip "/sbin/ldconfig (static PIE)" "not a static PIE here"
fi

# A multi-threaded library caller is refused and stays alive.
out=$("$T/threaded" "$T/procself-static" 2>&1)
st=$?
echo "$out" | grep -q "^refused: .*threads" && echo "$out" | grep -q "procself ok"
tap_ok $? "library: refused while threaded (EBUSY), runs once alone ($st: $out)"

# A caller sharing its address space (vfork, CLONE_VM child, parent or
# sibling) is refused; the other process lives on.
out=$("$T/sharedvm" "$T/procself-static" 2>&1)
st=$?
[ "$(echo "$out" | grep -c '^refused: .*address space')" -eq 5 ] &&
	echo "$out" | grep -q "^vfork parent alive" && echo "$out" | grep -q "procself ok" &&
	! echo "$out" | grep -q FAIL
tap_ok $? "library: refused when the address space is shared (vfork, CLONE_VM parent, child, sibling, a stranger), runs alone ($st: $out)"
out=$("$T/sharedvm" --no-kcmp "$T/procself-static" 2>&1)
st=$?
[ "$(echo "$out" | grep -c '^refused: .*address space with its parent')" -eq 2 ] &&
	echo "$out" | grep -q "procself ok" && ! echo "$out" | grep -q FAIL
tap_ok $? "library: without kcmp and unshare, vfork and CLONE_VM children are refused ($st: $out)"
# The thread state exec resets that only the thread itself can
# (tests/core/execstate.c): set by the caller, reset for the program, by
# the kernel's exec and by uexec_execve().
for how in set-kernel set; do
	out=$("$T/execstate" $how "$T/execstate" check 2>&1)
	st=$?
	desc="$how: the thread state exec resets is reset for the program"
	if [ $st -eq 77 ]; then
		tap_skip "$desc" "none of it on this machine"
	else
		[ $st -eq 0 ] && [ "$out" = "execstate ok" ]
		tap_ok $? "$desc ($st: $out)"
	fi
done
LTMP=$(mktemp -d)
trap 'rm -rf "$LTMP"' EXIT
# A library caller with many mappings of its own: the kernel's exec starts
# from a fresh mm, and so the program's maps must be the kernel's (under
# setarch -R, where addresses repeat), whatever the caller had.
if setarch -R true 2>/dev/null; then
	want=$(setarch -R "$T/maps-static")
	for n in 2000 60000; do
		got=$(setarch -R "$T/caller" maps $n "$T/maps-static" 2>&1)
		[ "$got" = "$want" ]
		tap_ok $? "library: a caller with $n mappings of its own: the kernel's maps"
		if [ "$got" != "$want" ]; then
			echo "$want" >"$LTMP/want"; echo "$got" >"$LTMP/got"
			diff "$LTMP/want" "$LTMP/got" | head -20 | sed 's/^/# /'
		fi
	done
else
	tap_skip "library: callers with many mappings" "setarch -R not available"
fi
# 200 PT_LOADs, each over a page the caller has mapped: all staged and
# moved into place after the point of no return; the program exits 42.
# Kernels before 6.17 take a page of program headers at most: 60 there.
n=200
[ "$KVERSION" -ge 6017 ] || n=60
"$T/caller" loads $n "$LTMP/loads$n" >"$LTMP/loads.out" 2>&1
st=$?
[ $st -eq 42 ] && [ ! -s "$LTMP/loads.out" ]
tap_ok $? "library: $n PT_LOADs over the caller's own pages run ($st: $(cat "$LTMP/loads.out"))"
"$LTMP/loads$n"
tap_ok $(( $? != 42 )) "the same $n-PT_LOAD file under the kernel exits 42"
# A launch that fails after the plan (its bss beyond RLIMIT_AS: ENOMEM in
# the mapping), twice, the first one in a process that had not planned
# before: the caller keeps its descriptors, and learns why in one line.
out=$("$T/caller" nomem "$LTMP/nomem" 2>&1)
st=$?
[ $st -eq 0 ] && echo "$out" | grep -q "^nomem ok: .*Cannot allocate memory"
tap_ok $? "library: a launch failing with ENOMEM after the plan leaves the caller's descriptors ($st: $out)"
# The caller's POSIX timers are deleted by the exec (exit_itimers()): a
# program started with two of them firing deadly signals every 20 ms runs
# its 300 ms to the end, as under the kernel's execve.
if [ -r /proc/self/timers ]; then
	for how in kernel uexec; do
		"$T/caller" timers $how /bin/sleep 0.3 >"$LTMP/timers.out" 2>&1
		st=$?
		[ $st -eq 0 ]
		tap_ok $? "library: the caller's POSIX timers do not outlive the exec ($how: $st $(head -c 200 "$LTMP/timers.out"))"
	done
else
	tap_skip "the caller's POSIX timers" "no /proc/self/timers (CONFIG_CHECKPOINT_RESTORE)"
fi
# A caller's PR_SET_DUMPABLE 0 does not outlive the exec, which gives the
# new mm SUID_DUMP_USER (begin_new_exec()).
for how in kernel uexec; do
	out=$("$T/caller" dumpable $how "$T/caller" report-dumpable 2>&1)
	[ "$out" = "dumpable 1" ]
	tap_ok $? "library: the program is dumpable after a caller's PR_SET_DUMPABLE 0 ($how: $out)"
done
# PR_SET_MDWE (memory-deny-write-execute; systemd's MemoryDenyWriteExecute=)
# binds every exec after it: uexec must build the new image without making
# writable memory executable (its final stage's code comes from a memfd),
# and the program starts under the rule as under the kernel.  What the
# kernel's exec maps and uexec cannot, an executable stack (no mmap() may
# be both writable and executable), is refused in one line, before the
# point of no return.
out=$("$T/caller" mdwe 1 kernel "$T/caller" report-mdwe 2>&1)
case $? in
77) tap_skip "library under PR_SET_MDWE" "$out" ;;
*)	for how in kernel uexec; do
		out=$("$T/caller" mdwe 1 $how "$T/caller" report-mdwe 2>&1)
		[ "$out" = "mdwe 1" ]
		tap_ok $? "library: under a caller's PR_SET_MDWE the program runs, under it ($how: $out)"
	done
	out=$("$T/caller" mdwe 1 kernel /bin/sh -c 'echo ran' 2>&1)
	out2=$("$T/caller" mdwe 1 uexec /bin/sh -c 'echo ran' 2>&1)
	[ "$out" = ran ] && [ "$out2" = ran ]
	tap_ok $? "library: a dynamic program under PR_SET_MDWE (kernel: $out; uexec: $out2)"
	out=$("$T/caller" mdwe 1 kernel "$UEXEC" "$T/caller" report-mdwe 2>&1)
	[ "$out" = "mdwe 1" ]
	tap_ok $? "CLI started under PR_SET_MDWE runs the program ($out)"
	out=$("$T/caller" mdwe 1 kernel "$T/layout-probe-execstack" >/dev/null 2>&1; echo "status $?")
	out2=$("$T/caller" mdwe 1 uexec "$T/layout-probe-execstack" 2>&1)
	st=$?
	[ "$out" = "status 0" ] && [ $st -eq 1 ] && [ "$(printf '%s\n' "$out2" | wc -l)" -eq 1 ] &&
		case $out2 in *"stack"*"writable and executable"*PR_SET_MDWE*) true ;; *) false ;; esac
	tap_ok $? "library: an executable stack under PR_SET_MDWE is refused in one line (kernel: $out; uexec: $out2)"
	# A PT_LOAD writable and executable: the kernel's exec cannot map it
	# either, and kills the process after its point of no return; uexec
	# refuses it before its own (126).
	rwx=$LTMP/rwx-load
	python3 - "$top_builddir/testprogs/hello-static" "$rwx" <<-'PY'
	import struct, sys
	b = bytearray(open(sys.argv[1], 'rb').read())
	phoff, = struct.unpack_from('<Q', b, 32)
	phentsize, phnum = struct.unpack_from('<HH', b, 54)
	for i in range(phnum):
	    o = phoff + i * phentsize
	    if struct.unpack_from('<I', b, o)[0] == 1:	# PT_LOAD: PF_R|PF_W|PF_X
	        struct.pack_into('<I', b, o + 4, 7)
	open(sys.argv[2], 'wb').write(b)
	PY
	chmod 755 "$rwx"
	"$rwx" >/dev/null 2>&1 && "$UEXEC" "$rwx" >/dev/null 2>&1
	tap_ok $? "a writable and executable PT_LOAD runs without PR_SET_MDWE (kernel and uexec)"
	"$T/caller" mdwe 1 kernel "$rwx" >/dev/null 2>&1
	kst=$?
	out=$("$T/caller" mdwe 1 kernel "$UEXEC" "$rwx" 2>&1)
	st=$?
	[ $kst -ne 0 ] && [ $st -eq 126 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] &&
		case $out in "uexec: $rwx: "*"writable and executable"*PR_SET_MDWE*) true ;; *) false ;; esac
	tap_ok $? "CLI: a writable and executable PT_LOAD under PR_SET_MDWE: 126, one line (kernel: status $kst; uexec: $st: $out)"
	;;
esac

# Sealed memory (mseal(2), Linux 6.10) can be neither unmapped nor moved;
# the kernel's exec drops it with the old mm.  A sealed page of the
# caller's: refused before the point of no return, in one line (it used to
# fail after it, status 127).  The vDSO and vvar sealed, as
# CONFIG_MSEAL_SYSTEM_MAPPINGS seals them: they stay where they are and the
# program runs (it used to fail moving them, 127); an i386 program, whose
# own vDSO cannot be mapped beside them, runs without one (as under the
# kernel's vdso32=0).
out=$("$T/caller" mseal page kernel "$T/procself-static" 2>&1)
kst=$?
if [ $kst -eq 77 ]; then
	tap_skip "library: sealed memory" "no mseal here ($out)"
else
	out2=$("$T/caller" mseal page uexec "$T/procself-static" 2>&1)
	st=$?
	[ $kst -eq 0 ] && [ $st -eq 1 ] && [ "$(printf '%s\n' "$out2" | wc -l)" -eq 1 ] &&
		case $out2 in "FAIL: exec: "*"sealed memory (mseal)"*"(errno 1)") true ;; *) false ;; esac
	tap_ok $? "library: a sealed page of the caller's: refused before the point of no return, in one line (kernel: $kst; uexec: $st: $out2)"
	out=$("$T/caller" mseal vdso kernel "$T/procself-static" 2>&1)
	kst=$?
	out2=$("$T/caller" mseal vdso uexec "$T/procself-static" 2>&1)
	st=$?
	[ $kst -eq 0 ] && [ $st -eq 0 ] && [ "$out2" = "$out" ]
	tap_ok $? "library: the vDSO and vvar sealed: the program runs, procself passes (kernel: $kst; uexec: $st: $out2)"
	if [ -x "$T/maps-i386" ] && "$T/maps-i386" >/dev/null 2>&1; then
		re='^[0-9a-f]\{8\}-[0-9a-f]\{8\} .*\[vdso\]$'
		out=$("$T/caller" mseal vdso kernel "$T/maps-i386" 2>&1)
		kst=$?
		out2=$("$T/caller" mseal vdso uexec "$T/maps-i386" 2>&1)
		st=$?
		k32=$(printf '%s\n' "$out" | grep -c "$re")
		u32=$(printf '%s\n' "$out2" | grep -c "$re")
		[ $kst -eq 0 ] && [ $st -eq 0 ] && [ "$k32" -eq 1 ] && [ "$u32" -eq 0 ]
		tap_ok $? "library: the vDSO sealed, an i386 program: runs without a 32-bit vDSO (kernel: $kst, $k32 such vDSO; uexec: $st, $u32)"
	else
		tap_skip "library: the vDSO sealed, an i386 program" "no i386 program runs here"
	fi
fi

# MMAP_PAGE_ZERO (setarch -Z): the kernel maps a read-execute page at 0
# for the program, and since Linux 6.11 seals it.  Through the CLI (whose
# own sealed page stays: it used to fail removing it, 127) and the library
# (whose caller took the personality after its own exec: the final stage
# maps and seals one), the same page and VmFlags as the kernel's.  A
# set-user-ID program loses MMAP_PAGE_ZERO (PER_CLEAR_ON_SETID), and
# uexec cannot remove the CLI's sealed page: refused in one line.  (The
# shell reads its own smaps: grep is exec'd by the kernel.)
zp='grep -A26 "^00000000-" /proc/$$/smaps | grep -E "^00000000-|^VmFlags" | head -2; echo ran'
if setarch -Z true 2>/dev/null; then
	k=$(setarch -Z /bin/sh -c "$zp" 2>&1)
	u=$(setarch -Z "$UEXEC" /bin/sh -c "$zp" 2>&1)
	st=$?
	[ $st -eq 0 ] && [ "$u" = "$k" ] && case $k in 00000000-*ran) true ;; *) false ;; esac
	tap_ok $? "CLI under setarch -Z: page zero as the kernel's ($st: $(echo $u) | kernel: $(echo $k))"
	k=$("$T/caller" personality 0x100000 kernel /bin/sh -c "$zp" 2>&1)
	u=$("$T/caller" personality 0x100000 uexec /bin/sh -c "$zp" 2>&1)
	st=$?
	[ $st -eq 0 ] && [ "$u" = "$k" ] && case $k in 00000000-*ran) true ;; *) false ;; esac
	tap_ok $? "library, MMAP_PAGE_ZERO taken after the caller's exec: page zero as the kernel's ($st: $(echo $u) | kernel: $(echo $k))"
	if [ "$(id -u)" -eq 0 ] && [ -n "$(echo "$k" | grep ' sl')" ]; then
		D2=$(mktemp -d)
		cp /bin/cat "$D2/cat-suid"
		chmod 4755 "$D2/cat-suid"
		u=$(setarch -Z "$UEXEC" "$D2/cat-suid" /proc/self/personality 2>&1)
		st=$?
		rm -rf "$D2"
		[ $st -eq 126 ] && [ "$(printf '%s\n' "$u" | wc -l)" -eq 1 ] &&
			case $u in "uexec: "*"sealed memory (mseal)"*) true ;; *) false ;; esac
		tap_ok $? "CLI under setarch -Z, a set-user-ID program: refused in one line ($st: $u)"
	else
		tap_skip "CLI under setarch -Z, a set-user-ID program" "not root, or this kernel does not seal page zero"
	fi
else
	tap_skip "setarch -Z" "setarch -Z is refused here"
fi

# Pending signals survive an exec, blocked, with their siginfo: a caught
# SIGCHLD, SIGWINCH and SIGUSR1, an ignored SIGUSR2.  Resetting a caught
# SIGCHLD or SIGWINCH to SIG_DFL (whose default is to ignore) or an ignored
# one's flags with rt_sigaction() discards its pending instance, which the
# kernel's flush_signal_handlers() keeps (uexec lost SIGCHLD, SIGWINCH and
# SIGUSR2).
out=$("$T/caller" pending kernel "$T/caller" report-pending 2>&1)
kst=$?
out2=$("$T/caller" pending uexec "$T/caller" report-pending 2>&1)
st=$?
[ $kst -eq 0 ] && [ $st -eq 0 ] && [ "$out2" = "$out" ] &&
	case $out in *"si_code 1 si_status 3"*) true ;; *) false ;; esac
tap_ok $? "library: pending blocked signals kept, SIGCHLD's siginfo too (kernel: $(echo $out); uexec: $st: $(echo $out2))"

# Syscall user dispatch: the kernel's exec turns it off; left on, the
# kernel reads the selector byte in memory the final stage has unmapped
# (the launch died of SIGSEGV, status 139, without a word).
out=$("$T/caller" sud kernel "$T/procself-static" 2>&1)
kst=$?
if [ $kst -eq 77 ]; then
	tap_skip "library: syscall user dispatch" "$out"
else
	out2=$("$T/caller" sud uexec "$T/procself-static" 2>&1)
	st=$?
	[ $kst -eq 0 ] && [ $st -eq 0 ] && [ "$out2" = "$out" ]
	tap_ok $? "library: syscall user dispatch on in the caller: the program runs (kernel: $kst $out; uexec: $st $out2)"
fi

# unshare(CLONE_NEWTIME): the caller's exec starts the program in the new
# time namespace (exec_task_namespaces()), its vDSO reading the
# namespace's clocks; uexec enters it with setns() (it used to run the
# program in the caller's, 10^6 s behind).  That needs CAP_SYS_ADMIN,
# which the kernel's exec does not: without it, refused in one line.
out=$("$T/caller" timens 0 kernel "$T/caller" report-clock 2>&1)
kst=$?
if [ $kst -eq 77 ]; then
	tap_skip "library: a time namespace" "$out"
else
	out2=$("$T/caller" timens 0 uexec "$T/caller" report-clock 2>&1)
	st=$?
	[ $kst -eq 0 ] && [ $st -eq 0 ] &&
		echo "$out" | awk '{ exit !($2 >= 1000000 && $4 >= 1000000) }' &&
		echo "$out2" | awk '{ exit !($2 >= 1000000 && $4 >= 1000000) }'
	tap_ok $? "library: unshare(CLONE_NEWTIME): the program's clocks are the namespace's, vDSO and /proc (kernel: $out; uexec: $st: $out2)"
	out=$("$T/caller" timens 1 kernel "$T/caller" report-clock 2>&1)
	kst=$?
	out2=$("$T/caller" timens 1 uexec "$T/caller" report-clock 2>&1)
	st=$?
	[ $kst -eq 0 ] && [ $st -eq 1 ] && [ "$(printf '%s\n' "$out2" | wc -l)" -eq 1 ] &&
		case $out2 in *"time namespace"*CAP_SYS_ADMIN*) true ;; *) false ;; esac
	tap_ok $? "library: the same without CAP_SYS_ADMIN: refused in one line (kernel: $kst; uexec: $st: $out2)"
fi

# A seccomp filter installed after glibc registered the thread's rseq area
# and denying rseq: the registration cannot be undone, and the kernel would
# write into the area after uexec unmapped it (SIGSEGV, no message).  The
# kernel's exec drops it with the mm: the program runs.  uexec refuses
# before its point of no return, in one line, the caller still running.
# Filters that deny unshare and kcmp (a container's default profile) do not
# stop a launch.
if [ "$("$T/caller" report-rseq)" = "rseq registered" ]; then
	out=$("$T/caller" seccomp rseq kernel "$T/caller" report-rseq 2>&1)
	st=$?
	out2=$("$T/caller" seccomp rseq uexec "$T/caller" report-rseq 2>&1)
	st2=$?
	[ $st -eq 0 ] && [ $st2 -eq 1 ] && [ "$(printf '%s\n' "$out2" | wc -l)" -eq 2 ] &&
		case $out2 in *"rseq area cannot be unregistered"*"caller: still here") true ;; *) false ;; esac
	tap_ok $? "library: rseq denied by seccomp after glibc registered: refused in one line, caller intact (kernel: $st $out; uexec: $st2 $out2)"
else
	tap_skip "library: rseq denied by seccomp" "glibc registered no rseq area here"
fi
# System calls the final stage needs, denied: refused before the point of
# no return (they used to fail after it: status 127), the caller intact.
for c in munmap mremap setresuid setresgid; do
	out=$("$T/caller" seccomp $c uexec "$T/procself-static" 2>&1)
	st=$?
	[ $st -eq 1 ] && case $out in *"the kernel refuses $c "*"caller: still here") true ;; *) false ;; esac
	tap_ok $? "library: $c denied by seccomp: refused before the point of no return ($st: $out)"
done
out=$("$T/caller" seccomp unshare,kcmp uexec "$T/procself-static" 2>&1)
st=$?
[ $st -eq 0 ]
tap_ok $? "library: unshare and kcmp denied by seccomp: the launch runs ($st: $out)"

# mlockall(MCL_FUTURE) lives in the mm, which the exec replaces: the
# program has no locked memory (where the caller may lock it: root here).
for how in kernel uexec; do
	out=$("$T/caller" mlockall $how /bin/grep VmLck /proc/self/status 2>&1)
	case $out in
	*"mlockall"*) tap_skip "library: mlockall(MCL_FUTURE) ($how)" "mlockall refused: $out" ;;
	*) echo "$out" | grep -q "^VmLck:[[:space:]]*0 kB$"
	   tap_ok $? "library: a caller's mlockall(MCL_FUTURE) does not outlive the exec ($how: $out)" ;;
	esac
done
# A descriptor table shared with another process (CLONE_FILES) is unshared
# by the exec before it closes the close-on-exec descriptors: the other
# process keeps them.
for how in kernel uexec; do
	out=$("$T/caller" sharedfiles $how /bin/sleep 0.4 2>&1)
	[ "$out" = "sharer: open" ]
	tap_ok $? "library: a process sharing the descriptor table keeps its close-on-exec descriptors ($how: $out)"
done
# Under a tight RLIMIT_AS uexec's own memory counts with the new image's
# (README): the launch runs as under the kernel, or is refused in one line
# that names the limit; with room it runs.  (A sanitizer build cannot start
# under such a limit at all.)
if (ldd "$UEXEC" 2>/dev/null; nm -D "$UEXEC" 2>/dev/null) | grep -q -E 'libasan|__asan_init'; then
	tap_skip "RLIMIT_AS of 1500 KiB" "a sanitizer build reserves its shadow memory"
else
	for v in 1500 65536; do
		out=$(sh -c 'ulimit -v "$1" && exec "$2" "$3"' - $v "$UEXEC" "$TESTPROGS/hello-static-pie" 2>&1)
		st=$?
		if [ $st -eq 0 ]; then
			echo "$out" | grep -q '^argc=1'
		else
			[ $v -lt 65536 ] && [ $st -eq 126 ] && [ "$(echo "$out" | wc -l)" -eq 1 ] &&
				echo "$out" | grep -q "RLIMIT_AS is $v KiB"
		fi
		tap_ok $? "RLIMIT_AS of $v KiB: runs, or one line naming the limit ($st: $(echo "$out" | head -1))"
	done
fi
# RLIMIT_NOFILE with no descriptor free: the kernel's exec needs none, uexec
# some of its own: one line, naming the limit.  (A dynamically linked uexec,
# such as a sanitizer build, fails before it runs: its loader cannot open
# the libraries.)
for v in 3 4; do
	if ldd "$UEXEC" 2>/dev/null | grep -q '=>'; then
		tap_skip "RLIMIT_NOFILE of $v" "uexec is dynamically linked: ld.so needs descriptors first"
		continue
	fi
	out=$(prlimit --nofile=$v "$UEXEC" "$TESTPROGS/hello-static" 2>&1)
	st=$?
	[ $st -eq 126 ] && [ "$(echo "$out" | wc -l)" -eq 1 ] &&
		echo "$out" | grep -q "Too many open files (RLIMIT_NOFILE is $v: "
	tap_ok $? "RLIMIT_NOFILE of $v: one line naming the limit ($st: $(echo "$out" | head -1))"
done
# Text left in the caller's stdio buffer is discarded, as execve discards it.
out=$("$T/caller" stdio "$T/procself-static" 2>&1)
st=$?
! echo "$out" | grep -q "UNFLUSHED" && echo "$out" | grep -q "procself ok"
tap_ok $? "library: the caller's unflushed stdio is not written ($st: $out)"
# An ET_EXEC at the first page above 0 (0x1000 with 4 KiB pages): it runs,
# as under the kernel, and PR_SET_MM_MAP refuses its addresses (below
# mmap_min_addr): --debug=exec says so rather than blaming capabilities.
# The kernel's mmap_min_addr is the larger of vm.mmap_min_addr and
# CONFIG_LSM_MMAP_MIN_ADDR (65536 on Debian, not in /proc; uexec assumes
# it too, final_prepare.c): with 64 KiB pages no page lies below it.
min_addr=$(cat /proc/sys/vm/mmap_min_addr 2>/dev/null || echo 0)
[ "$min_addr" -ge 65536 ] || min_addr=65536
if [ "$(id -u)" -ne 0 ] || ! command -v python3 >/dev/null; then
	tap_skip "ET_EXEC below mmap_min_addr" "needs root (mmap below mmap_min_addr) and python3"
elif [ "$PAGE" -ge "$min_addr" ]; then
	tap_skip "ET_EXEC below mmap_min_addr" "no page lies below mmap_min_addr ($min_addr) with $PAGE-byte pages"
else
	python3 - "$LTMP/low.elf" "$MACHINE" "$PAGE" <<'PY'
import struct, sys
if sys.argv[2] == 'aarch64':	# mov x0, #0; mov x8, #93; svc #0
    code, machine = struct.pack('<III', 0xd2800000, 0xd2800ba8, 0xd4000001), 183
else:				# mov $60, %eax; xor %edi, %edi; syscall
    code, machine = bytes([0xb8, 0x3c, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05]), 62
pg = int(sys.argv[3])
eh = b'\x7fELF' + bytes([2, 1, 1, 0]) + b'\0' * 8
eh += struct.pack('<HHIQQQIHHHHHH', 2, machine, 1, pg + 0x100, 64, 0, 0, 64, 56, 1, 0, 0, 0)
ph = struct.pack('<IIQQQQQQ', 1, 5, 0, pg, pg, 0x1000, 0x1000, pg)
img = bytearray(0x1000); img[:64] = eh; img[64:120] = ph; img[0x100:0x100 + len(code)] = code
open(sys.argv[1], 'wb').write(img)
PY
	chmod +x "$LTMP/low.elf"
	"$LTMP/low.elf"; k=$?
	"$UEXEC" --debug=exec "$LTMP/low.elf" 2>"$LTMP/low.err"; u=$?
	[ $k -eq 0 ] && [ $u -eq 0 ] && grep -q "exe-file failed: .*below mmap_min_addr" "$LTMP/low.err" &&
		! grep -q "exe-file failed: .*CAP_" "$LTMP/low.err"
	tap_ok $? "ET_EXEC at $(printf '%#x' "$PAGE") runs ($k, $u); the trace names mmap_min_addr ($(grep exe-file "$LTMP/low.err"))"
fi
tap_done
