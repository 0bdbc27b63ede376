#!/bin/sh
# tests/arch/aarch64.sh: uexec for aarch64, cross-built on this x86_64
# machine and run under qemu-user (TAP).
#
# Usage: tests/arch/aarch64.sh [BUILDDIR]   (from an x86_64 build tree;
# BUILDDIR defaults to ./build-arm64).  It cross-builds uexec and the test
# programs from this tree's distribution files (make distdir: the source
# tree may already be configured for x86_64, which an out-of-tree configure
# refuses), then runs each program with qemu-aarch64-static directly and
# through the aarch64 uexec (itself under qemu) and compares the output
# and the exit status; then Debian's busybox-static and bash-static for
# arm64, unpacked from their .debs (never installed: the :arm64 packages
# would replace the amd64 ones the x86_64 suite uses).
#
# What qemu-user cannot show.  qemu emulates the Linux ABI inside one host
# process: it builds the first process's layout itself, emulates
# /proc/self/maps (only the guest's mappings), brk, /proc/self/auxv and
# /proc/self/exe, and gives the guest no vDSO (qemu 7.2), and its own
# threads (an RCU thread) share the process.  So these runs show that uexec's
# aarch64 layer works (the ELF loading, stack, auxv, registers at entry
# through the rt_sigreturn jump, the final stage's unmapping and moving of
# mappings, exit status), and that a program sees the same facts as under
# qemu's own loader; they cannot show layout or /proc fidelity to the arm64
# kernel (addresses, the vDSO's place, brk randomisation, PR_SET_MM_MAP's
# effect).  That needs a real arm64 kernel: there the x86_64 suite's checks
# (make check) run natively, unchanged.  Under qemu, uexec runs with
# --no-system-binfmt (the host's binfmt.d names qemu for aarch64 ELF
# files) and UEXEC_EMULATOR_THREADS=1 (qemu's RCU thread).
#
# Needs: qemu-user-static, a cross C compiler (aarch64-linux-gnu-gcc, or
# clang with binutils-aarch64-linux-gnu and libgcc-12-dev-arm64-cross),
# libc6-dev-arm64-cross, and libelf-dev, libffi-dev, zlib1g-dev, check for
# arm64 (dpkg --add-architecture arm64).  Missing pieces: every check skips
# with the reason.
set -u
top=$(pwd)
B=${1:-$top/build-arm64}
case $B in /*) ;; *) B=$top/$B ;; esac
srcdir=$(sed -n 's/^abs_top_srcdir = //p' "$top/Makefile" 2>/dev/null)
. "${srcdir:-$top}/tests/tap.sh"

QEMU=$(command -v qemu-aarch64-static || true)
SYSROOT=/usr/aarch64-linux-gnu
PROGS="hello-static hello-pie hello-nopie hello-static-pie entry tiny bss-static
bss-pie bss-static-pie bss-align2m tls-static tls-pie brk-static brk-pie
brk-static-pie auxv-maps-static auxv-maps-pie auxv-maps-static-pie signals-static
signals-pie fds-static fds-pie status-static status-pie loadaddr-static-pie bti mte"
# The static musl programs (musl_cc); hello-musl-dynamic, whose interpreter
# qemu's sysroot lacks, runs on the arm64 kernel only (aarch64-system.sh).
MUSL_PROGS="hello-musl-static bss-musl-static tls-musl-static"

skip_all() {
	tap_skip "aarch64 under qemu" "$1"
	tap_done
	exit 0
}

pick_cc() {
	if command -v aarch64-linux-gnu-gcc >/dev/null 2>&1; then
		echo aarch64-linux-gnu-gcc
	elif command -v clang >/dev/null 2>&1 && command -v aarch64-linux-gnu-ld >/dev/null &&
	     [ -d /usr/lib/gcc-cross/aarch64-linux-gnu ]; then
		echo "clang --target=aarch64-linux-gnu"
	fi
}

# musl for the musl test programs: Debian 12 has no aarch64 musl-gcc (the
# cross one comes with gcc-aarch64-linux-gnu, which gcc-multilib excludes),
# so musl-dev:arm64 and musl:arm64 are unpacked (not installed) into
# $B/debs/musl and $B/musl-cc drives clang with them: crt1.o and libc.a
# (static), Scrt1.o and the shared libc, ld-musl-aarch64.so.1 (-pie).  Only
# with clang.
# Prints the driver's path, or nothing.
musl_cc() {
	m=$B/debs/musl
	case $CC_ARM in clang*) ;; *) return ;; esac
	if [ ! -f "$m/root/usr/lib/aarch64-linux-musl/libc.a" ]; then
		mkdir -p "$m" && rm -f "$m"/*.deb
		(cd "$m" && apt-get download musl-dev:arm64 musl:arm64) >"$m/download.log" 2>&1
		for d in "$m"/*.deb; do [ -f "$d" ] && dpkg -x "$d" "$m/root"; done
	fi
	L=$m/root/usr/lib/aarch64-linux-musl
	[ -f "$L/libc.a" ] && [ -f "$L/Scrt1.o" ] && [ -f "$m/root/lib/aarch64-linux-musl/libc.so" ] ||
		return
	cat >"$B/musl-cc" <<EOF
#!/bin/sh
# clang for aarch64 with musl-dev:arm64 unpacked in $m (tests/arch/aarch64.sh)
L=$L
start="\$L/crt1.o \$L/crti.o" end=\$L/crtn.o lib=\$L/libc.a
for a; do
	case \$a in
	-pie) start="\$L/Scrt1.o \$L/crti.o" lib="-Wl,-dynamic-linker,/lib/ld-musl-aarch64.so.1 -L$m/root/lib/aarch64-linux-musl -lc" ;;
	-nostartfiles) nostart=1 ;;	# the caller names them (the musl CLI: rcrt1.o)
	esac
done
[ -z "\$nostart" ] || start= end=
exec clang --target=aarch64-linux-gnu -nostdinc -isystem $m/root/usr/include/aarch64-linux-musl \\
	-isystem $(clang -print-resource-dir)/include -nostdlib \$start "\$@" \$lib \\
	$(clang --target=aarch64-linux-gnu -print-libgcc-file-name) \$end
EOF
	chmod +x "$B/musl-cc" && echo "$B/musl-cc"
}

# Copy the distribution files to $B/src, keeping unchanged files' times
# (so that make rebuilds only what changed).
sync_sources() {
	sh "${srcdir:-$top}/tests/sync-dist.sh" "$top" "$B"
}

build() {
	CC_ARM=$(pick_cc)
	[ -n "$CC_ARM" ] || return 2
	mkdir -p "$B" && sync_sources || return 1
	cd "$B/src" || return 1
	MUSL=$(musl_cc)
	[ -z "$MUSL" ] || PROGS="$PROGS $MUSL_PROGS"
	if [ ! -f Makefile ]; then
		PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig \
			./configure -q --host=aarch64-linux-gnu CC="$CC_ARM" ${MUSL:+MUSL_GCC="$MUSL"} \
			${MUSL:+--with-cli-libc=musl} \
			>"$B/configure.log" 2>&1 || return 1
	fi
	make -j2 src/uexec >"$B/build.log" 2>&1 &&
		(for p in $PROGS; do echo "testprogs/$p"; done | xargs make -j2) >>"$B/build.log" 2>&1 &&
		{ [ -z "$MUSL" ] || make testprogs/hello-musl-dynamic >>"$B/build.log" 2>&1; }
	status=$?
	[ $status -eq 0 ] || status=1	# a failed build is a failure, never "no compiler"
	cd "$top" || return 1
	return $status
}

[ -n "$QEMU" ] || skip_all "qemu-aarch64-static not found (Debian package qemu-user-static)"
[ -f "$SYSROOT/lib/ld-linux-aarch64.so.1" ] || skip_all "no $SYSROOT (Debian package libc6-dev-arm64-cross)"
[ -f /usr/lib/aarch64-linux-gnu/pkgconfig/libelf.pc ] ||
	skip_all "no arm64 libelf (dpkg --add-architecture arm64; apt-get install libelf-dev:arm64 libffi-dev:arm64 zlib1g-dev:arm64 check:arm64)"
build
case $? in
0) ;;
2) skip_all "no aarch64 cross compiler (gcc-aarch64-linux-gnu, or clang with binutils-aarch64-linux-gnu and libgcc-12-dev-arm64-cross)" ;;
*) tap_ok 1 "cross build (see $B/*.log)"; tail -20 "$B/build.log" "$B/configure.log" 2>/dev/null | sed 's/^/# /'; tap_done; exit 1 ;;
esac
tap_ok 0 "cross build of uexec and the test programs for aarch64 ($CC_ARM${MUSL:+; musl: $MUSL})"
[ -n "$MUSL" ] || tap_skip "musl programs for aarch64" "no musl-dev:arm64 to unpack, or not clang (see $B/debs/musl/download.log)"

U="$B/src/src/uexec"
T="$B/src/testprogs"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
export UEXEC_EMULATOR_THREADS=1
q() { "$QEMU" -L "$SYSROOT" "$@"; }

# Lines a program prints under qemu-user, directly or through uexec, for
# what qemu emulates itself (see the top of this file); they are dropped
# from both outputs before the comparison and listed as diagnostics.
#  - nzcv: qemu's own loader starts a program with the Z flag set (the
#    kernel, and uexec's rt_sigreturn entry, leave nzcv 0);
#  - AT_SYSINFO_EHDR: qemu 7.2 gives aarch64 programs no vDSO;
#  - /proc/self/auxv: qemu answers from its own copy of the first auxv and
#    ignores PR_SET_MM_MAP's;
#  - "in a mapping of ''": qemu's emulated maps name only the stack it made;
#  - start_brk, [heap]: qemu's /proc/self/stat has no start_brk and its
#    maps no [heap].
QEMU_KNOWN='^FAIL (nzcv is not 0|AT_SYSINFO_EHDR is (missing|not mapped)|/proc/self/auxv differs|.* is in a mapping of .., not .\[stack\].|cannot read start_brk|the grown heap is not shown as \[heap\])'

# run WHO ARGS...: WHO.out (qemu-known lines dropped), WHO.known, WHO.rc;
# each run gets 30 s.
run() {
	who=$1; shift
	(cd "$TMP" && timeout 30 "$QEMU" -L "$SYSROOT" "$@" >"$who.raw" 2>"$who.err"
	 echo $? >"$who.rc")
	grep -Ev "$QEMU_KNOWN" "$TMP/$who.raw" >"$TMP/$who.out"
	grep -E "$QEMU_KNOWN" "$TMP/$who.raw" >"$TMP/$who.known"
}

# compare DESC PROG ARGS...: the same output and status directly and
# through uexec (both see PROG by the same path).  Where qemu-known lines
# were dropped, the status (a self-check's 1) is not compared.
compare() {
	desc=$1; shift
	run d "$@"
	dr=$(cat "$TMP/d.rc")
	if [ "$dr" = 124 ]; then
		tap_skip "$desc" "hangs under qemu-aarch64 itself, without uexec (killed after 30 s; $("$QEMU" --version | head -1))"
		RESULTS="$RESULTS$desc|timeout|not run
"
		return
	fi
	run u "$U" --no-system-binfmt "$@"
	ur=$(cat "$TMP/u.rc")
	note=
	if [ -s "$TMP/d.known" ] || [ -s "$TMP/u.known" ]; then
		note=" (qemu-known lines dropped, status not compared)"
		ur_cmp=$dr
	else
		ur_cmp=$ur
	fi
	if cmp -s "$TMP/d.out" "$TMP/u.out" && [ "$dr" = "$ur_cmp" ]; then
		tap_ok 0 "$desc: status $dr/$ur, same output directly and through uexec$note"
	elif [ -n "${TODO:-}" ]; then
		_tap_n=$((_tap_n + 1))
		echo "not ok $_tap_n - $desc # TODO $TODO"
	else
		tap_ok 1 "$desc"
		tap_diag "direct status $dr, uexec status $ur"
		diff "$TMP/d.out" "$TMP/u.out" | head -20 | sed 's/^/# /'
		head -5 "$TMP/u.err" | sed 's/^/# uexec: /'
	fi
	sed 's/^/# direct, qemu-known: /' "$TMP/d.known"
	sed 's/^/# uexec, qemu-known: /' "$TMP/u.known"
	RESULTS="$RESULTS$desc|$dr|$ur
"
}
RESULTS=

for p in $PROGS; do
	case $p in
	hello-*) compare "$p" "$T/$p" 3 hello "a b" "" ;;
	entry) compare "$p" "$T/$p" a "b c" "" ;;
	status-*) compare "$p exit 7" "$T/$p" exit 7
		  compare "$p raise TERM" "$T/$p" raise 15
		  compare "$p segv" "$T/$p" segv ;;
	loadaddr-*)
		# Prints addresses: layout, which qemu's loader does not
		# place as the arm64 kernel does (a real arm64 kernel only).
		run d "$T/$p"; run u "$U" --no-system-binfmt "$T/$p"
		tap_ok "$(cat "$TMP/u.rc")" "$p runs through uexec (status $(cat "$TMP/u.rc"))"
		tap_skip "$p layout" "addresses under qemu are qemu's layout, not the kernel's" ;;
	*) compare "$p" "$T/$p" ;;
	esac
done

# Debian's busybox-static and bash-static for arm64, unpacked (not installed).
debs="$B/debs"
if [ ! -x "$debs/root/bin/busybox" ] || [ ! -x "$debs/root/bin/bash-static" ]; then
	mkdir -p "$debs" && rm -f "$debs"/*.deb
	(cd "$debs" && apt-get download busybox-static:arm64 bash-static:arm64) >"$debs/download.log" 2>&1
	for d in "$debs"/*.deb; do [ -f "$d" ] && dpkg -x "$d" "$debs/root"; done
fi
BB=$debs/root/bin/busybox
BS=$debs/root/bin/bash-static
if [ -x "$BB" ]; then
	compare "busybox echo" "$BB" echo hello world
	compare "busybox sh arithmetic and exit" "$BB" sh -c 'echo $((6 * 7)); exit 3'
	compare "busybox printf" "$BB" printf '%s|%d\n' a 1 b 2
	compare "busybox env" "$BB" env
else
	tap_skip "busybox-static:arm64" "apt-get download failed (see $debs/download.log)"
fi
if [ -x "$BS" ]; then
	compare "bash-static arguments" "$BS" -c 'echo $#; printf "%s|" "$@"; echo; exit 5' x a "b c" ""
	compare "bash-static builtins" "$BS" -c 'f() { return 7; }; f; echo $? ${BASH_VERSINFO[0]}'
	# A return from a signal handler (bash's SIGCHLD after a subshell):
	# qemu 7.2 keeps its sigreturn trampoline in an unnamed anonymous page
	# of the guest, which the final stage keeps (arch.c; on a kernel the
	# trampoline is in the vDSO, which uexec keeps too).
	compare "bash-static subshell (a signal handler returns)" "$BS" -c '(echo sub); echo $?'
else
	tap_skip "bash-static:arm64" "apt-get download failed (see $debs/download.log)"
fi

# A GNU property note the arm64 kernel refuses (its n_type is not
# NT_GNU_PROPERTY_TYPE_0; fs/binfmt_elf.c parse_elf_properties(): ENOEXEC):
# one line naming the file and the reason, status 126, before anything of
# the program is mapped.
off=$(readelf -lW "$T/bti" 2>/dev/null | awk '$1 == "GNU_PROPERTY" {print $2}')
bad=$TMP/bti-badnote
if [ -n "$off" ] && cp "$T/bti" "$bad" &&
   printf '\001\000\000\000' | dd of="$bad" bs=1 seek=$((off + 8)) conv=notrunc 2>/dev/null; then
	(cd "$TMP" && q "$U" --no-system-binfmt "$bad" >b.out 2>b.err; echo $? >b.rc)
	[ "$(cat "$TMP/b.rc")" = 126 ] && [ "$(wc -l <"$TMP/b.err")" = 1 ] && [ ! -s "$TMP/b.out" ] &&
		grep -q "^uexec: $bad: Exec format error (PT_GNU_PROPERTY does not hold an NT_GNU_PROPERTY_TYPE_0 note" "$TMP/b.err"
	tap_ok $? "a malformed GNU property note: refused in one line, status 126 (status $(cat "$TMP/b.rc"))"
	sed 's/^/# /' "$TMP/b.err"
	# The interpreter's note is the one read when there is one: refused
	# as the interpreter's, and where it asks for BTI, PROT_BTI goes on
	# the interpreter's text only (the program's is ld.so's to guard).
	(cd "$TMP" && q "$U" --no-system-binfmt --interp="$bad" "$T/hello-pie" >bi.out 2>bi.err
	 echo $? >bi.rc)
	[ "$(cat "$TMP/bi.rc")" = 126 ] && [ "$(wc -l <"$TMP/bi.err")" = 1 ] &&
		grep -q "(interpreter $bad: PT_GNU_PROPERTY does not hold" "$TMP/bi.err"
	tap_ok $? "a malformed GNU property note of the interpreter: refused as the interpreter's, status 126"
	sed 's/^/# /' "$TMP/bi.err"
	(cd "$TMP" && q "$U" --no-system-binfmt --interp="$T/bti" --dry-run "$T/hello-pie" >bp.out 2>&1)
	grep -q '^gnu properties: bti (on the executable segments of the interpreter)' "$TMP/bp.out" &&
		grep -Eq '^  interp +file .* r-x \(prot 0x15\)' "$TMP/bp.out" &&
		! grep -Eq '^  exe .*\(prot ' "$TMP/bp.out"
	tap_ok $? "a BTI interpreter (--dry-run): PROT_BTI on its text, not on the program's"
	grep -E '^gnu|^  (exe|interp) +file' "$TMP/bp.out" | sed 's/^/# /'
else
	tap_ok 1 "a malformed GNU property note: no PT_GNU_PROPERTY in bti to break (readelf -lW)"
fi

# --compare needs ptrace, which qemu-user does not emulate: one line,
# status 2.  It is tested on a real arm64 kernel (aarch64-system.sh).
(cd "$TMP" && q "$U" --no-system-binfmt --compare "$T/hello-static" >c.out 2>c.err; echo $? >c.rc)
[ "$(wc -l <"$TMP/c.err")" = 1 ] && grep -q "^uexec: --compare: ptrace is not implemented here" "$TMP/c.err" &&
	[ "$(cat "$TMP/c.rc")" = 2 ]
tap_ok $? "--compare under qemu-user, which has no ptrace: one line, status 2"
sed 's/^/# /' "$TMP/c.err"

# The aarch64 layer's own unit tests (tests/unit/arch/aarch64), under
# qemu-user in Check's no-fork mode (qemu 7.2 spins in a forked Check
# child); the rest of the unit suite is the host's.
(cd "$B/src" && make -j2 tests/unit/check_uexec) >"$B/unit-build.log" 2>&1 &&
	(cd "$TMP" && CK_FORK=no CK_RUN_SUITE=arch_aarch64 timeout 60 "$QEMU" -L "$SYSROOT" \
		"$B/src/tests/unit/check_uexec" >unit.out 2>&1) &&
	grep -q '^1\.\.[1-9]' "$TMP/unit.out" && ! grep -q '^not ok' "$TMP/unit.out"
tap_ok $? "the aarch64 layer's unit tests (arch_aarch64 suite) under qemu-user (see $B/unit-build.log)"
sed 's/^/# /' "$TMP/unit.out" 2>/dev/null

tap_diag "program | direct status | through uexec" 
printf '%s' "$RESULTS" | sed 's/^/# /'
tap_done
