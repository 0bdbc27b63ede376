#!/bin/sh
# kernel-accepts: odd files the running kernel starts, uexec starts as the
# kernel does (same output, same status); those it refuses, uexec refuses.
# The kernel reads the ELF header in the machine's byte order and checks
# its magic, e_type, e_machine and e_phentsize only (fs/binfmt_elf.c
# load_elf_binary(), load_elf_phdrs(): at most 64 KiB of program headers),
# and of PT_INTERP only that its last byte is NUL.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/bad-elf/lib.sh"

if ! "$GEN" "$TESTPROGS/tiny" "$BADDIR" >"$BADDIR/list"; then
	tap_ok 1 "gen-bad-elf writes the mutants"
	tap_done
	exit 1
fi

# same_as_kernel NAME [PREFIX...]: the kernel runs it, and so does uexec.
same_as_kernel() {
	_f=$1
	shift
	run native "$@" "$BADDIR/$_f"
	[ "$(rc_of native)" -eq 0 ] && [ "$(cat "$TESTTMP/native.out")" = "tiny ran" ]
	tap_ok $? "$_f: the kernel runs it"
	run uexec "$@" "$UEXEC" "$BADDIR/$_f"
	check_uexec_run "$_f" 0 native uexec
}

# The identification: EI_CLASS, EI_DATA, EI_VERSION are not looked at (the
# file is read as the 64-bit ELF its e_machine makes it); nor are e_version
# and e_ehsize.
for f in accept-class0 accept-class3 class32 msb accept-msb accept-data0 \
	accept-version0 accept-e-version0 accept-ehsize0; do
	same_as_kernel "$f"
done

# Program headers: up to 64 KiB of them (1170 of 56 bytes); before Linux
# 6.17 also at most a page of them (73 of 56 bytes on 4 KiB pages).
for f in phnum74 phnum1000 phnum1170; do
	if [ "$KVERSION" -lt 6017 ] && [ $((${f#phnum} * 56)) -gt "$PAGE" ]; then
		"$BADDIR/$f" >/dev/null 2>&1
		[ $? -eq 126 ]
		tap_ok $? "$f: Linux $(uname -r) refuses it (126): more than a page of headers"
		refuse "$BADDIR/$f" 126 'too many program headers.*more than a page'
	else
		same_as_kernel "$f"
	fi
done
"$BADDIR/phnum1171" >/dev/null 2>&1
[ $? -eq 126 ]
tap_ok $? "phnum1171: the kernel refuses it (126)"
refuse "$BADDIR/phnum1171" 126 'too many program headers'

# PT_INTERP with a NUL inside: the path is what comes before it.  Its
# interpreter is the template moved (one read-only PT_LOAD, no bss): kernels
# before 6.7 zero the rest of the page after its last file byte in
# load_elf_interp() (padzero(), whatever the segment's protection) and kill
# the program with SIGSEGV after exec's point of no return (Debian 12's 6.1);
# 6.7 and uexec run it (README: which rule a 6.2-6.6 kernel follows depends
# on its stable backports).  Reported as TODO where the kernel kills it.
run native "$BADDIR/interp-target"
if [ "$(rc_of native)" -eq 0 ] && { "$BADDIR/accept-interp-nul" >/dev/null 2>&1; [ $? -eq 139 ]; }; then
	tap_todo 1 "accept-interp-nul: the kernel runs it" \
		"this kernel ($(uname -r)) kills a program with this ET_EXEC interpreter (SIGSEGV); uexec runs it as 6.18 does"
	run uexec "$UEXEC" "$BADDIR/accept-interp-nul"
	[ "$(rc_of uexec)" -eq 0 ] && [ "$(cat "$TESTTMP/uexec.out")" = "tiny ran" ]
	tap_ok $? "accept-interp-nul: uexec runs it, as Linux 6.18 does"
	old_kernel_segv=1
else
	same_as_kernel accept-interp-nul
	old_kernel_segv=0
fi

# An execute-only interpreter run by another user: the kernel needs no read
# permission, uexec must read it to map it.  A documented difference
# (README): one line, 126, the interpreter named.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1 &&
   chmod 755 "$BADDIR" && setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
	cat "$BADDIR/interp-0711" >/dev/null 2>&1; then
	chmod 711 "$BADDIR/interp-x-only"
	AS_NOBODY="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups"
	run native $AS_NOBODY "$BADDIR/interp-0711"
	[ "$(rc_of native)" -eq 0 ] && [ "$(cat "$TESTTMP/native.out")" = "tiny ran" ]
	st=$?
	if [ $st -ne 0 ] && [ "$old_kernel_segv" -eq 1 ]; then
		tap_todo 1 "interp-0711: the kernel runs it for another user" \
			"the same ET_EXEC interpreter, which this kernel kills (see accept-interp-nul)"
	else
		tap_ok $st "interp-0711: the kernel runs it for another user"
	fi
	refuse "$BADDIR/interp-0711" 126 'interpreter .*interp-x-only: permission denied' \
		$AS_NOBODY
else
	tap_skip "interp-0711: execute-only interpreter" "needs root, setpriv and user nobody, who must reach $BADDIR"
fi
tap_done
