#!/bin/sh
# What a launch asks of the kernel, counted with strace (counts do not
# depend on the machine's load, times do): the layout asks for the kernel's
# mappings with PROCMAP_QUERY and no launch reads /proc/self/maps as text
# where the kernel answers so (Linux 6.11); the library learns that its
# caller is alone on its mm from one unshare(CLONE_VM), without listing
# threads or comparing processes.  The programs must still run.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"

if ! command -v strace >/dev/null || ! strace -o /dev/null true 2>/dev/null; then
	tap_skip "system calls of a launch" "strace cannot run here"
	tap_done
	exit
fi

# maps_text_reads TRACE: the read()s of a descriptor open on
# /proc/self/maps, as "pid fd" lines; "noquery" when PROCMAP_QUERY failed.
maps_text_reads() {
	awk '
	/openat\(.*"\/proc\/self\/maps"/ { split($0, a, "= "); fd[$1 " " a[2] + 0] = 1 }
	/^[0-9]+ +close\(/ { f = $0; sub(/.*close\(/, "", f); delete fd[$1 " " f + 0] }
	/^[0-9]+ +ioctl\(/ && /ENOTTY/ { print "noquery" }
	/^[0-9]+ +read\(/ { f = $0; sub(/.*read\(/, "", f); if ((key = $1 " " f + 0) in fd) print key }
	' "$1"
}

for prog in hello-static hello-static-pie hello-pie; do
	need_prog "$prog" || continue
	if [ "$KVERSION" -lt 6011 ]; then
		tap_skip "CLI, $prog: /proc/self/maps not read as text" "no PROCMAP_QUERY (Linux $(uname -r) < 6.11)"
		continue
	fi
	t="$TESTTMP/$prog.trace"
	out=$(strace -f -qq -o "$t" -e trace=openat,close,read,ioctl "$UEXEC" "$TESTPROGS/$prog" 2>&1)
	st=$?
	reads=$(maps_text_reads "$t")
	if [ "$reads" = noquery ] || echo "$reads" | grep -q noquery; then
		tap_skip "CLI, $prog: /proc/self/maps not read as text" "no PROCMAP_QUERY (Linux < 6.11)"
		continue
	fi
	[ "$st" -eq 0 ] && [ -n "$out" ] && [ -z "$reads" ]
	tap_ok $? "CLI, $prog: runs, /proc/self/maps not read as text (status $st; reads: ${reads:-none})"
	[ -n "$reads" ] && grep -n 'maps\|read(' "$t" | sed 's/^/# /' | head -20
done

L="$top_builddir/tests/integration/launch"
for prog in hello-static hello-pie; do
	need_prog "$prog" || continue
	t="$TESTTMP/lib-$prog.trace"
	out=$(strace -f -qq -o "$t" -e trace=unshare,kcmp,openat,getdents64 \
		"$L" -L "$TESTPROGS/$prog" 2>&1)
	st=$?
	alone=$(grep -c 'unshare(CLONE_VM) *= 0' "$t")
	looked=$(grep -cE 'kcmp\(|"/proc/[^"]*/(task|children)' "$t")
	[ "$st" -eq 0 ] && [ -n "$out" ] && [ "$alone" -eq 1 ] && [ "$looked" -eq 0 ]
	tap_ok $? "library, $prog: one unshare(CLONE_VM) tells the caller is alone, no thread or process scan (status $st, unshare $alone, scans $looked)"
done
tap_done
