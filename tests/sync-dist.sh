#!/bin/sh
# tests/sync-dist.sh TOP DEST: copy the distribution files of the built tree
# TOP (make distdir) into DEST/src, keeping the times of files that did not
# change, so that make in DEST/src rebuilds only what changed.  make's output
# goes to DEST/distdir.log; exits 1 when make distdir fails.  Used by the
# builds of a second tree: tests/arch/aarch64.sh's cross build and
# bench/phases.sh's measuring build.
set -u
top=$1 B=$2
mkdir -p "$B" || exit 1
rm -rf "$B/dist.tmp"
make -s -C "$top" distdir distdir="$B/dist.tmp" >"$B/distdir.log" 2>&1 || exit 1
(cd "$B/dist.tmp" && find . -type f) | while read -r f; do
	mkdir -p "$B/src/$(dirname "$f")"
	cmp -s "$B/dist.tmp/$f" "$B/src/$f" || cp -p "$B/dist.tmp/$f" "$B/src/$f"
done
rm -rf "$B/dist.tmp"
