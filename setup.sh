#!/bin/sh
# setup.sh: install what uexec needs from Debian, build it, and run it on a
# bundled example.  Run as root (or with sudo) on a fresh Debian machine.
set -eu
cd "$(dirname "$0")"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
	export DEBIAN_FRONTEND=noninteractive
	dpkg --add-architecture arm64	# the aarch64 cross build (README)
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends \
		build-essential autoconf automake libtool pkg-config \
		libelf-dev libffi-dev zlib1g-dev check musl-tools gcc-multilib \
		busybox-static bash-static jq groff-base qemu-user-static qemu-system-arm hyperfine gdb valgrind strace python3 \
		clang binutils-aarch64-linux-gnu libgcc-12-dev-arm64-cross libc6-dev-arm64-cross \
		libelf-dev:arm64 libffi-dev:arm64 zlib1g-dev:arm64 check:arm64 >/dev/null
fi
[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure -q
make -j"$(nproc)" >/dev/null
make testprogs/hello-static >/dev/null
echo "+ HELLO=world src/uexec testprogs/hello-static 0 hello world"
HELLO=world src/uexec testprogs/hello-static 0 hello world
