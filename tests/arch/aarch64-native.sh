#!/bin/sh
# tests/arch/aarch64-native.sh: the README's two commands on arm64 itself,
# in a Debian 12 arm64 system booted by an arm64 kernel under
# qemu-system-aarch64 (TAP).  Manual, as root; not part of make check or CI
# (under an emulated CPU: about 15 minutes to build the root's tree, 6 to 13
# for the suite on a kernel; tests/core/small-stacks.sh alone 33 to 40).
#
# Usage: tests/arch/aarch64-native.sh [ROOT]
#
#   ROOT  the arm64 Debian root to build and test in (default
#         build-arm64/native-root); made with debootstrap when it has none.
#
# Environment:
#   AARCH64_NATIVE_KERNELS  the kernels, as aarch64-system.sh takes them:
#                           Debian packages or absolute image paths (default
#                           linux-image-arm64, Debian 12's 6.1, 4 KiB pages).
#                           Each boots in its own virtual machine, at once.
#   AARCH64_NATIVE_TESTS    test scripts for make check TESTS=...; empty (the
#                           default) runs ./run-tests.sh, the whole suite.
#   AARCH64_NATIVE_SKIP     test scripts to leave out of the whole suite (then
#                           make check TESTS= the others, not run-tests.sh).
#   AARCH64_NATIVE_TIMEOUT  seconds a virtual machine may take (default 7200).
#
# What it does, as a user with an arm64 machine would:
#  1. the root: debootstrap --arch=arm64 --variant=minbase bookworm, once;
#  2. this tree's committed HEAD cloned into ROOT/root/uexec (a clean clone);
#  3. ./setup.sh inside the root (chroot; its arm64 programs run by qemu-user
#     through a binfmt_misc entry that this script registers and removes
#     again however it ends): it installs setup.sh's arm64 package list,
#     builds uexec and runs the example; then make check TESTS= builds the
#     test programs, so that the virtual machine does not compile;
#  4. the root, uncompressed, as the initramfs of each kernel (-M virt -cpu
#     max -smp 2 -m 6144); its /init runs ./run-tests.sh (or the scripts
#     named) and prints the summary and every failing script's log;
#     A root whose tree is this HEAD, built by an earlier run, is reused
#     as it is (steps 2 and 3 skipped), to run other scripts or kernels.
#  5. TAP: setup.sh, the build of the test programs, and for each kernel
#     the run and each script that did not pass, with its log as comments.
set -u
top=$(pwd)
srcdir=$(sed -n 's/^abs_top_srcdir = //p' "$top/Makefile" 2>/dev/null)
srcdir=${srcdir:-$top}
. "$srcdir/tests/tap.sh"
R=${1:-$top/build-arm64/native-root}
case $R in /*) ;; *) R=$top/$R ;; esac
W=$top/build-arm64/native
mkdir -p "$W"

skip_all() {
	tap_skip "the README's commands on arm64 (qemu-system-aarch64)" "$1"
	tap_done
	exit 0
}
[ "$(id -u)" -eq 0 ] || skip_all "needs root (debootstrap, chroot, binfmt_misc)"
for t in debootstrap qemu-aarch64-static qemu-system-aarch64 busybox git; do
	command -v $t >/dev/null || skip_all "$t not found (setup.sh, debootstrap)"
done
[ -f /usr/lib/binfmt.d/qemu-aarch64.conf ] || skip_all "no qemu-aarch64 binfmt rule (qemu-user-static)"

# binfmt_misc's qemu-aarch64 entry, for the chroot only: what this script
# adds it removes, so that the x86_64 suite sees the machine as before.
misc=/proc/sys/fs/binfmt_misc
mounted_misc=0 registered=0
undo_binfmt() {
	for m in proc dev/pts dev sys; do
		mountpoint -q "$R/$m" 2>/dev/null && umount "$R/$m"
	done
	[ $registered -eq 0 ] || echo -1 >"$misc/qemu-aarch64"
	[ $mounted_misc -eq 0 ] || umount "$misc"
	registered=0 mounted_misc=0
}
trap undo_binfmt EXIT
trap 'exit 1' INT TERM HUP
head=$(git -C "$srcdir" rev-parse HEAD)
# Only to make the root or build its tree: a reused root needs no chroot.
if [ ! -x "$R/bin/sh" ] || [ "$(cat "$R/root/uexec-built" 2>/dev/null)" != "$head" ]; then
	if [ ! -f "$misc/status" ]; then
		mount -t binfmt_misc binfmt_misc "$misc" || skip_all "cannot mount binfmt_misc"
		mounted_misc=1
	fi
	if [ ! -e "$misc/qemu-aarch64" ]; then
		cat /usr/lib/binfmt.d/qemu-aarch64.conf >"$misc/register" ||
			skip_all "cannot register qemu-aarch64 with binfmt_misc"
		registered=1
	fi
fi

if [ ! -x "$R/bin/sh" ]; then
	debootstrap --arch=arm64 --variant=minbase bookworm "$R" >"$W/debootstrap.log" 2>&1
	tap_ok $? "debootstrap of a Debian 12 arm64 root in $R (see $W/debootstrap.log)" ||
		{ tap_done; exit 1; }
fi
if [ "$(cat "$R/root/uexec-built" 2>/dev/null)" = "$head" ]; then
	tap_diag "tree: $(git -C "$R/root/uexec" log --oneline -1), built by an earlier run"
else
	rm -f "$R/root/uexec-built"
	cp /etc/resolv.conf "$R/etc/resolv.conf"
	rm -rf "$R/root/uexec" && git clone -q "$srcdir" "$R/root/uexec" || skip_all "git clone into $R"
	tap_diag "tree: $(git -C "$R/root/uexec" log --oneline -1)"
	mount -t proc proc "$R/proc" && mount --bind /dev "$R/dev" && mount --bind /dev/pts "$R/dev/pts" &&
		mount -t sysfs sys "$R/sys" || skip_all "cannot mount /proc, /dev and /sys in $R"
	start=$(date +%s)
	chroot "$R" /bin/sh -c 'cd /root/uexec && ./setup.sh' >"$W/setup.log" 2>&1
	st=$?
	tail -1 "$W/setup.log" | grep -qx "HELLO=world"
	tap_ok $((st | $?)) "./setup.sh on arm64 (qemu-user) installs, builds and runs the example, $(($(date +%s) - start)) s (see $W/setup.log)"
	chroot "$R" /bin/sh -c 'cd /root/uexec && make -j2 check TESTS=' >"$W/build-tests.log" 2>&1 &&
		echo "$head" >"$R/root/uexec-built"
	tap_ok $? "make check TESTS= builds the test programs on arm64 (see $W/build-tests.log)"
fi
tests=${AARCH64_NATIVE_TESTS:-}
if [ -z "$tests" ] && [ -n "${AARCH64_NATIVE_SKIP:-}" ]; then
	# The suite's scripts, as its Makefile lists them, less those named.
	all=$(printf 'print-tests:\n\t@echo $(TESTS)\n' |
	      make -s -C "$R/root/uexec" -f Makefile -f - print-tests) || skip_all "cannot list the suite's scripts"
	for t in $all; do
		case " $AARCH64_NATIVE_SKIP " in *" $t "*) ;; *) tests="$tests $t" ;; esac
	done
fi
undo_binfmt

# /init: the suite, its summary and the logs of what failed, then off.
cat >"$R/init" <<'EOF'
#!/bin/sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm; mount -t devpts devpts /dev/pts; mount -t tmpfs shm /dev/shm
ln -sf /proc/self/fd /dev/fd; ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout; ln -sf /proc/self/fd/2 /dev/stderr
mount -t tmpfs tmp /tmp
hostname arm64vm
echo "@@begin $(uname -srm), page size $(getconf PAGESIZE)"
cd /root/uexec
start=$(date +%s)
if [ -s /root/tests-to-run ]; then
	make -j2 check TESTS="$(cat /root/tests-to-run)" >/root/check.out 2>&1
else
	./run-tests.sh >/root/check.out 2>&1
fi
echo "@@status $? after $(($(date +%s) - start)) s"
grep -E "^(# [A-Z]+:|test scripts:|checks:|[0-9]+ passed)" /root/check.out | sed 's/^/@@sum /'
for trs in $(find tests -name '*.trs'); do
	grep -q '^:global-test-result: \(FAIL\|ERROR\)' "$trs" || continue
	echo "@@fail ${trs%.trs}.sh"
	grep -Ev '^(ok |PASS: |SKIP: )' "${trs%.trs}.log" | head -200 | sed 's/^/@@log /'
done
echo "@@end"
sync
poweroff -f 2>/dev/null || echo o >/proc/sysrq-trigger	# minbase has no poweroff
EOF
chmod +x "$R/init"
echo $tests >"$R/root/tests-to-run"
(cd "$R" && find . -xdev ! -path './usr/share/doc/*' ! -path './usr/share/man/*' \
	! -path './usr/share/locale/*' ! -path './proc/*' ! -path './sys/*' ! -path './dev/*' |
	busybox cpio -o -H newc 2>/dev/null) >"$W/root.cpio"
tap_ok $? "the root as an initramfs ($(($(stat -c %s "$W/root.cpio") >> 20)) MiB)"

KDEBS=$top/build-arm64/debs
. "$srcdir/tests/arch/kernel-image.sh"
booted=
for spec in ${AARCH64_NATIVE_KERNELS:-linux-image-arm64}; do
	case $spec in
	/*) kernel=$spec; [ -f "$kernel" ] || kernel= ;;
	*) kernel=$(kernel_image "$spec") ;;
	esac
	if [ -z "$kernel" ]; then
		tap_skip "the suite on the arm64 kernel $spec" "no such image, or not downloaded"
		continue
	fi
	n=$(basename "$kernel" | sed 's/^vmlinuz-//')
	(timeout "${AARCH64_NATIVE_TIMEOUT:-7200}" qemu-system-aarch64 -M virt -cpu max -smp 2 -m 6144 \
		-no-reboot -net none -display none -monitor none -serial "file:$W/console-$n.raw" \
		-kernel "$kernel" -initrd "$W/root.cpio" \
		-append "console=ttyAMA0 panic=-1 quiet rdinit=/init" >"$W/qemu-$n.log" 2>&1
	 echo $? >"$W/status-$n") &
	booted="$booted $n"
done
wait
for n in $booted; do
	tr -d '\r' <"$W/console-$n.raw" >"$W/console-$n.txt"
	if ! grep -q '^@@end' "$W/console-$n.txt"; then
		tap_ok 1 "[$n] the virtual machine ran the suite to its end (qemu status $(cat "$W/status-$n"))"
		tail -30 "$W/console-$n.txt" | sed 's/^/# /'
		continue
	fi
	sed -n 's/^@@begin /# /p; s/^@@sum /# /p' "$W/console-$n.txt"
	grep -q '^@@status 0 ' "$W/console-$n.txt"
	tap_ok $? "[$n] $(sed -n 's/^@@status \([0-9]*\) after \(.*\)/status \1, \2/p' "$W/console-$n.txt"), ${tests:+make check TESTS=...}${tests:-./run-tests.sh}"
	while IFS= read -r line; do
		case $line in
		"@@fail "*) tap_ok 1 "[$n] ${line#@@fail }" ;;
		"@@log "*) echo "#   ${line#@@log }" ;;
		esac
	done <"$W/console-$n.txt"
done
tap_done
