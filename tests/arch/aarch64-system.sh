#!/bin/sh
# tests/arch/aarch64-system.sh: the aarch64 uexec on a real arm64 kernel,
# in a virtual machine under qemu-system-aarch64 (TAP).
#
# Usage: tests/arch/aarch64-system.sh [BUILDDIR]   (after
# tests/arch/aarch64.sh, whose cross build in BUILDDIR, ./build-arm64 by
# default, it uses and extends with the layout probes).
#
# qemu-user (aarch64.sh) emulates the Linux ABI itself, so it cannot show
# layout, /proc or ptrace fidelity to the arm64 kernel.  Here the kernel is
# Debian's own arm64 kernel (linux-image-arm64, downloaded with apt-get
# download and unpacked, never installed), booted by qemu-system-aarch64
# (-M virt -cpu max: the emulated CPU has PAC, BTI and SVE) with an
# initramfs of busybox, bash-static, the arm64 glibc, uexec, the test
# programs and aarch64-guest.sh, which runs the checks and prints them on
# the serial console; only the machine is emulated.  The kernels are
# Debian's packages or the images (absolute paths, a +mte suffix allowed) named
# by AARCH64_KERNELS (default: linux-image-arm64,
# Debian 12's 6.1 with 4 KiB pages and no PROCMAP_QUERY; the same on a CPU
# with MTE, written linux-image-arm64+mte (-M virt,mte=on); and
# linux-image-6.12-arm64-16k, 6.12 with 16 KiB pages and PROCMAP_QUERY);
# the checks run once on each, in virtual machines that run at once, their
# lines marked with the kernel's name.
# Debian ships no 64 KiB-page kernel: aarch64-kernel-64k.sh builds one from
# Debian's kernel source (about 15 minutes), and
#   AARCH64_KERNELS="$(tests/arch/aarch64-kernel-64k.sh)" tests/arch/aarch64-system.sh
# runs the checks on it.
#
# Needs: what aarch64.sh needs, qemu-system-arm (qemu-system-aarch64) and
# the arm64 package lists (dpkg --add-architecture arm64).  A missing piece
# skips with the reason.  About 5 1/2 minutes a kernel alone
# (boot 10 s); the kernels boot at once, in 11 1/2 minutes for three on two cores.
set -u
top=$(pwd)
B=${1:-$top/build-arm64}
case $B in /*) ;; *) B=$top/$B ;; esac
srcdir=$(sed -n 's/^abs_top_srcdir = //p' "$top/Makefile" 2>/dev/null)
srcdir=${srcdir:-$top}
. "$srcdir/tests/tap.sh"

skip_all() {
	tap_skip "aarch64 on an arm64 kernel (qemu-system-aarch64)" "$1"
	tap_done
	exit 0
}

PROGS="hello-static hello-pie hello-nopie hello-static-pie entry tiny bss-static
bss-pie bss-static-pie bss-align2m tls-static tls-pie brk-static brk-pie
brk-static-pie auxv-maps-static auxv-maps-pie auxv-maps-static-pie signals-static
signals-pie fds-static fds-pie status-static status-pie loadaddr-static-pie bti mte"
PROBES="static spie pie nopie execstack spie-2m spie-16m"
# The musl programs where aarch64.sh built them (with Debian's musl-dev:arm64,
# unpacked), the dynamic one with its interpreter in the guest's /lib.
MUSL_LD=$B/debs/musl/root/lib/ld-musl-aarch64.so.1
S=$B/src
BB=$B/debs/root/bin/busybox
BS=$B/debs/root/bin/bash-static
SYSROOT=/usr/aarch64-linux-gnu

command -v busybox >/dev/null || skip_all "no busybox to build the initramfs with (Debian package busybox-static)"
command -v qemu-system-aarch64 >/dev/null ||
	skip_all "qemu-system-aarch64 not found (Debian package qemu-system-arm)"
[ -x "$S/src/uexec" ] || skip_all "no aarch64 build in $B (run tests/arch/aarch64.sh first)"
[ -x "$BB" ] && [ -x "$BS" ] || skip_all "no arm64 busybox-static and bash-static in $B/debs (aarch64.sh unpacks them)"

# The layout probes, cross-built in the same tree.
(cd "$S" && { for p in $PROBES; do echo "tests/core/layout-probe-$p"; done
	       echo tests/core/execstate; } | xargs make -j2) >"$B/probes.log" 2>&1
tap_ok $? "cross build of the layout probes and execstate (see $B/probes.log)"
# hello linked for 4 KiB pages, with and without separate code pages
# (aarch64-guest.sh says what 16 and 64 KiB kernels do with them).
(cd "$S" && cc=$(sed -n 's/^CC = //p' Makefile) &&
 for sep in separate-code:4k noseparate-code:4k-nosep; do
	$cc -O2 -fno-pie -static -Itestprogs -Wl,-z,max-page-size=4096 \
		-Wl,-z,common-page-size=4096 -Wl,-z,${sep%%:*} \
		-o testprogs/hello-static-${sep#*:} testprogs/hello.c || exit 1
 done) >>"$B/probes.log" 2>&1
tap_ok $? "cross build of hello-static-4k and -4k-nosep, linked for 4 KiB pages (see $B/probes.log)"

KDEBS=$B/debs
. "$srcdir/tests/arch/kernel-image.sh"

[ -x "$S/testprogs/hello-musl-dynamic" ] && [ -f "$MUSL_LD" ] &&
	PROGS="$PROGS hello-musl-static bss-musl-static tls-musl-static hello-musl-dynamic"

# The initramfs.
G=$B/guest
rm -rf "$G/root" && mkdir -p "$G/root/bin" "$G/root/lib" "$G/root/t" "$G/root/proc" \
	"$G/root/sys" "$G/root/dev" "$G/root/tmp" || exit 1
cp "$BB" "$BS" "$G/root/bin/" &&
cp -L "$SYSROOT/lib/ld-linux-aarch64.so.1" "$SYSROOT/lib/libc.so.6" "$G/root/lib/" &&
{ [ ! -f "$MUSL_LD" ] || cp -L "$MUSL_LD" "$G/root/lib/"; } &&
cp "$S/src/uexec" "$G/root/t/" &&
for p in $PROGS; do cp "$S/testprogs/$p" "$G/root/t/" || exit 1; done &&
for p in $PROBES; do cp "$S/tests/core/layout-probe-$p" "$G/root/t/" || exit 1; done &&
cp "$S/tests/core/execstate" "$S/testprogs/hello-static-4k" \
	"$S/testprogs/hello-static-4k-nosep" "$G/root/t/" &&
cp "$srcdir/tests/arch/aarch64-guest.sh" "$G/root/t/guest.sh" || exit 1
echo $PROGS >"$G/root/t/progs"
for p in $PROBES; do echo "layout-probe-$p"; done >"$G/root/t/probes"
cat >"$G/root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t tmpfs tmp /tmp
mount -t devtmpfs dev /dev
echo "@@begin"
sh /t/guest.sh
echo "@@end"
poweroff -f
EOF
chmod +x "$G/root/init"
(cd "$G/root" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1) >"$G/initrd.gz" ||
	{ tap_ok 1 "initramfs"; tap_done; exit 1; }

# The name of KERNEL's results: its image's version and TAG.
kname() { echo "$(basename "$1" | sed 's/^vmlinuz-//')$2"; }

# Boot KERNEL on MACHINE (qemu's -M) with the initramfs, in the background;
# its console goes to $G/console-NAME.raw, qemu's own output to
# $G/qemu-NAME.log and qemu's status to $G/status-NAME.
boot() {
	n=$(kname "$1" "$3")
	rm -f "$G/console-$n.raw" "$G/status-$n"
	(timeout 900 qemu-system-aarch64 -M "$2" -cpu max -smp 2 -m 1024 -no-reboot -net none \
		-display none -monitor none -serial "file:$G/console-$n.raw" \
		-kernel "$1" -initrd "$G/initrd.gz" \
		-append "console=ttyAMA0 panic=-1 quiet" >"$G/qemu-$n.log" 2>&1
	 echo $? >"$G/status-$n") &
}

# Turn what the guest NAME printed into TAP lines, each marked with NAME.
report() {
	kname=$1 qs=$(cat "$G/status-$1" 2>/dev/null)
	tr -d '\r' <"$G/console-$kname.raw" >"$G/console-$kname.txt"
	if ! grep -q '^@@end' "$G/console-$kname.txt"; then
		tap_ok 1 "[$kname] the virtual machine ran the checks to their end (qemu status $qs)"
		tail -30 "$G/console-$kname.txt" "$G/qemu-$kname.log" | sed 's/^/# /'
		return
	fi
	tap_diag "arm64 kernel $kname, qemu-system-aarch64 $(qemu-system-aarch64 --version | sed -n '1s/.*version //p')"
	while IFS= read -r line; do
		case $line in
		"@@ok "*) tap_ok 0 "[$kname] ${line#@@ok }" ;;
		"@@notok "*) tap_ok 1 "[$kname] ${line#@@notok }" ;;
		"@@todo "*) _tap_n=$((_tap_n + 1)); t=${line#@@todo }
			    echo "not ok $_tap_n - [$kname] ${t%%|*} # TODO ${t#*|}" ;;
		"@@# "*) tap_diag "[$kname] ${line#@@# }" ;;
		esac
	done <"$G/console-$kname.txt"
}

# The kernels boot at once, each in its own virtual machine (one qemu
# thread does the work of each: on two cores, three kernels take about
# the time of two in a row); their results are reported in order.
booted=
for spec in ${AARCH64_KERNELS:-linux-image-arm64 linux-image-arm64+mte linux-image-6.12-arm64-16k}; do
	pkg=${spec%+mte} machine=virt tag=
	[ "$pkg" != "$spec" ] && machine=virt,mte=on tag=+mte
	case $pkg in
	/*) kernel=$pkg
	    why="no such image"
	    [ -f "$kernel" ] || kernel= ;;
	*) kernel=$(kernel_image "$pkg")
	   why="not in the package lists, or not downloaded (see $B/debs/kernel-$pkg/download.log)" ;;
	esac
	if [ -z "$kernel" ]; then
		tap_skip "aarch64 on the arm64 kernel $pkg" "$why"
		continue
	fi
	boot "$kernel" "$machine" "$tag"
	booted="$booted $(kname "$kernel" "$tag")"
done
wait
for n in $booted; do report "$n"; done
tap_done
