#!/bin/sh
# i386 programs run as the kernel runs them on x86_64 (its compat ABI):
# 4-byte stack words and auxv, ELF_ET_DYN_BASE and the stack below 4 GiB,
# the 32-bit vDSO (AT_SYSINFO), entered in 32-bit mode.  procself checks
# the process itself; under setarch -R the maps below 4 GiB are the
# kernel's, line for line (above 4 GiB uexec's 64-bit process keeps the
# vsyscall page and the final stage's mapping: a documented difference).
. "$top_srcdir/tests/tap.sh"
T=$top_builddir/tests/core
R="setarch $MACHINE -R"

low() {		# the lines of maps output below 4 GiB (8 hex digits or fewer)
	grep -Ev '^[0-9a-f]{9,}-'
}
for v in i386 i386-dyn; do
	if [ ! -x "$T/procself-$v" ]; then
		tap_skip "$v programs" "not built (gcc-multilib)"
		continue
	fi
	out=$("$T/procself-$v" a 'b c' 2>&1)
	tap_ok $? "procself-$v checks itself under the kernel"
	out=$("$UEXEC" "$T/procself-$v" a 'b c' 2>&1)
	st=$?
	[ $st -eq 0 ] || tap_diag "$out"
	tap_ok $st "procself-$v: the process under uexec is the program's ($out)"
	if $R true 2>/dev/null; then
		a=$($R "$T/maps-$v" | low)
		b=$($R "$UEXEC" "$T/maps-$v" | low)
		[ "$a" = "$b" ] || tap_diag "kernel:" "$a" "uexec:" "$b"
		[ "$a" = "$b" ]
		tap_ok $? "maps-$v under setarch -R: below 4 GiB the kernel's maps, exe and brk"
		"$UEXEC" "$T/maps-$v" | grep -q '\[vdso\]'
		tap_ok $? "maps-$v: a 32-bit vDSO is mapped"
	fi
	# e_machine EM_486 (6), which elf_check_arch_ia32() takes as EM_386
	# (uexec refused it: "a 32-bit ELF of another machine than i386").
	D=$(mktemp -d)
	cp "$T/procself-$v" "$D/procself-486"
	printf '\006' | dd of="$D/procself-486" bs=1 seek=18 conv=notrunc 2>/dev/null
	k=$("$D/procself-486" a 2>&1)
	kst=$?
	out=$("$UEXEC" "$D/procself-486" a 2>&1)
	st=$?
	rm -rf "$D"
	[ $kst -eq 0 ] && [ $st -eq 0 ] && [ "$out" = "$k" ]
	tap_ok $? "procself-$v as EM_486: runs as under the kernel ($kst/$st: $out)"
done
tap_done
