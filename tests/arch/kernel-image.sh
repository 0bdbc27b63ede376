# tests/arch/kernel-image.sh: sourced by aarch64-system.sh and
# aarch64-native.sh after setting KDEBS (where kernels are kept).
#
# kernel_image PKG: the image of the Debian arm64 package PKG (a
# meta-package: the one it depends on), downloaded with apt-get download
# and unpacked into $KDEBS/kernel-PKG, never installed; prints its path, or
# nothing (the reason in $KDEBS/kernel-PKG/download.log).
kernel_image() {
	kdir=$KDEBS/kernel-$1
	kernel=$(ls "$kdir"/boot/vmlinuz-* 2>/dev/null | head -1)
	if [ -z "$kernel" ]; then
		mkdir -p "$kdir"
		pkg=$(apt-cache depends "$1:arm64" 2>/dev/null |
		      sed -n 's/^ *Depends: \(linux-image-[^ :]*\).*/\1/p' | head -1)
		(cd "$kdir" && rm -f ./*.deb && apt-get download "${pkg:-$1}:arm64" &&
		 dpkg-deb --fsys-tarfile ./*.deb | tar -x --wildcards './boot/vmlinuz-*' &&
		 rm -f ./*.deb) >"$kdir/download.log" 2>&1
		kernel=$(ls "$kdir"/boot/vmlinuz-* 2>/dev/null | head -1)
	fi
	echo "$kernel"
}
