#!/bin/sh
# tests/arch/aarch64-kernel-64k.sh: build an arm64 kernel with 64 KiB pages
# for aarch64-system.sh, which Debian does not ship as a package; or, with
# PAGES 4k, one with 4 KiB pages and the 52-bit virtual address space
# (LPA2, which qemu's -cpu max has), which Debian does not ship either.
#
# Usage: tests/arch/aarch64-kernel-64k.sh [BUILDDIR [PAGES]]   (PAGES: 64k,
# the default, or 4k)
#
# Prints the path of the image, BUILDDIR/debs/kernel-64k/boot/vmlinuz-VER-64k
# (or kernel-4k-52/boot/vmlinuz-VER-4k-52; built once, later calls print the
# path at once), or nothing with the reason on stderr.  The source is Debian's linux-source-6.12 package
# (downloaded with apt-get download, never installed); the configuration is
# allnoconfig plus what the guest checks need (initramfs, serial console,
# /proc, sysfs, tmpfs, devtmpfs, ELF, #! and binfmt_misc, ptrace's
# PR_SET_MM_MAP, the CPU features qemu's -cpu max offers) with 64 KiB pages
# (or 4 KiB) and the 52-bit virtual address space that servers with such
# kernels use.
# There is no compat (AArch32) ABI with 64 KiB pages.  Needs clang, the
# arm64 binutils, flex, bison and bc; about 15 minutes on two cores.
#
# To run the system test on it:
#   AARCH64_KERNELS="$(tests/arch/aarch64-kernel-64k.sh)" tests/arch/aarch64-system.sh
set -u
top=$(pwd)
B=${1:-$top/build-arm64}
case $B in /*) ;; *) B=$top/$B ;; esac
case ${2:-64k} in
64k) tag=64k pages=ARM64_64K_PAGES ;;
4k) tag=4k-52 pages=ARM64_4K_PAGES ;;
*) echo "aarch64-kernel-64k: PAGES is 64k or 4k, not $2" >&2; exit 1 ;;
esac
K=$B/debs/kernel-$tag
image=$(ls "$K"/boot/vmlinuz-*-$tag 2>/dev/null | head -1)
[ -n "$image" ] && { echo "$image"; exit 0; }

fail() { echo "aarch64-kernel-$tag: $1 (see $K/build.log)" >&2; exit 1; }
for t in clang aarch64-linux-gnu-ld flex bison bc; do
	command -v $t >/dev/null || { echo "aarch64-kernel-64k: $t not found" >&2; exit 1; }
done
mkdir -p "$K/boot" || exit 1
exec 3>"$K/build.log"

# The source is shared with the other page size's build.
[ -d "$K/src" ] || [ ! -d "$B/debs/kernel-64k/src" ] || ln -s "$B/debs/kernel-64k/src" "$K/src"
if ! ls -d "$K"/src/linux-source-* >/dev/null 2>&1; then
	rm -rf "$K/src" && mkdir -p "$K/src" &&
	(cd "$K/src" && apt-get download linux-source-6.12 &&
	 dpkg-deb --fsys-tarfile ./linux-source-*.deb | tar -x ./usr/src &&
	 tar -xf usr/src/linux-source-*.tar.xz && rm -rf ./usr ./*.deb) >&3 2>&1 ||
		fail "cannot download or unpack linux-source-6.12"
fi
src=$(ls -d "$K"/src/linux-source-* | head -1)
ver=$(make -s -C "$src" kernelversion 2>/dev/null)
O=$K/out
mk() { make -C "$src" -s ARCH=arm64 CC=clang CROSS_COMPILE=aarch64-linux-gnu- O="$O" "$@"; }

OPTS="$pages ARM64_VA_BITS_52 ARM64_PA_BITS_52 SMP PRINTK TTY
SERIAL_AMBA_PL011 SERIAL_AMBA_PL011_CONSOLE BLK_DEV_INITRD RD_GZIP PROC_FS
PROC_SYSCTL SYSFS TMPFS DEVTMPFS SHMEM BINFMT_ELF BINFMT_SCRIPT BINFMT_MISC
COREDUMP CHECKPOINT_RESTORE SECCOMP NET UNIX HIGH_RES_TIMERS NO_HZ_IDLE
TRANSPARENT_HUGEPAGE ARM64_PTR_AUTH ARM64_BTI ARM64_SVE ARM64_MTE
ARM64_TAGGED_ADDR_ABI ARM64_HW_AFDBM ARM64_PAN ARM64_LSE_ATOMICS
ARM64_USE_LSE_ATOMICS ARM64_RAS_EXTN ARM64_CNP ARM64_AMU_EXTN ARM64_TLB_RANGE
ARM64_E0PD ARM64_EPAN ARM64_POE"
mk allnoconfig >&3 2>&1 || fail "allnoconfig failed"
for o in $OPTS; do "$src/scripts/config" --file "$O/.config" --enable "$o"; done
# Twice: some options only become visible once their dependencies are set.
mk olddefconfig >&3 2>&1 && mk olddefconfig >&3 2>&1 || fail "olddefconfig failed"
for o in $pages ARM64_VA_BITS_52 BLK_DEV_INITRD SERIAL_AMBA_PL011_CONSOLE \
	 DEVTMPFS BINFMT_MISC CHECKPOINT_RESTORE PROC_PAGE_MONITOR; do
	grep -q "^CONFIG_$o=y" "$O/.config" || fail "CONFIG_$o did not stay set"
done
mk -j"$(nproc)" Image >&3 2>&1 || fail "the kernel build failed"
cp "$O/arch/arm64/boot/Image" "$K/boot/vmlinuz-$ver-$tag" || fail "no image"
echo "$K/boot/vmlinuz-$ver-$tag"
