#!/bin/sh
# setup.sh [--install-only]: install what uexec needs from Debian, build it,
# and run it on a bundled example.  Run as root (or with sudo) on a fresh
# Debian machine, x86_64 (amd64) or aarch64 (arm64).  --install-only stops
# after the packages (.ci/run uses it).
set -eu
cd "$(dirname "$0")"
install_packages() {
	arch=$(dpkg --print-architecture)
	# Everywhere: the build, the test programs, the tools the tests use.
	pkgs="build-essential autoconf automake libtool pkg-config
		libelf-dev libffi-dev zlib1g-dev check musl-tools
		busybox-static bash-static jq groff-base hyperfine gdb valgrind strace python3"
	case $arch in
	amd64)
		# The i386 programs (gcc-multilib, amd64 only), and the aarch64
		# cross build under qemu-user and on arm64 kernels (README,
		# aarch64): Debian 12's gcc-multilib conflicts with
		# gcc-aarch64-linux-gnu, so the cross compiler is clang with the
		# cross binutils and libgcc.
		dpkg --add-architecture arm64
		pkgs="$pkgs gcc-multilib qemu-user-static qemu-system-arm
			clang binutils-aarch64-linux-gnu libgcc-12-dev-arm64-cross libc6-dev-arm64-cross
			libelf-dev:arm64 libffi-dev:arm64 zlib1g-dev:arm64 check:arm64"
		;;
	esac
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086 # one word a package
	apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
}
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
	install_packages
fi
[ "${1-}" != --install-only ] || exit 0
[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure -q
make -j"$(nproc)" >/dev/null
make testprogs/hello-static >/dev/null
echo "+ HELLO=world src/uexec testprogs/hello-static 0 hello world"
HELLO=world src/uexec testprogs/hello-static 0 hello world
