#!/bin/sh
# Rule files: --binfmt-file and the binfmt.d directories systemd-binfmt
# reads (here pointed elsewhere with UEXEC_BINFMT_D_PATH): comments, blank
# lines, errors, file-name order, and earlier directories hiding later ones.
. "$top_srcdir/tests/handlers/lib.sh"
I=$SHOWARGS
mkprog prog.aa "prog\n"
mkprog prog.bb "prog\n"

cat > rules.conf <<EOR
# a comment
; another comment

   :aa:E::aa::$I:P
${TAB}:bb:E::bb::$I:	
EOR
run out err ux --binfmt-file rules.conf --list-handlers
check "a rule file with comments and blank lines" sh -c "[ $rc -eq 0 ] && grep -q 'misc:aa .*rules.conf:4\$' out && grep -q 'misc:bb .*rules.conf:5\$' out"
run out err ux --binfmt-file rules.conf -a Z ./prog.aa
check "its rules work (flags of line 4)" sh -c "grep -qx AT_FLAGS=1 out && grep -qx 'argv\[2\]=Z' out"

cat > bad.conf <<EOR
:good:E::good::$I:
:bad1:X::x::$I:
# fine
:bad2:E::x::$I:Q
:good2:E::good2::$I:
EOR
run out err ux --binfmt-file bad.conf ./prog.aa
check "bad lines are fatal for --binfmt-file (2)" [ $rc -eq 2 ]
check "each bad line is reported with its number" sh -c "grep -q 'bad.conf:2: invalid rule' err && grep -q 'bad.conf:4: invalid rule' err && [ \$(wc -l < err) -eq 2 ]"
run out err ux --binfmt-file "$WORK/none.conf" ./prog.aa
check "a missing --binfmt-file (2)" sh -c "[ $rc -eq 2 ] && grep -q 'No such file' err"

# The system directories (UEXEC_BINFMT_D_PATH replaces the defaults).
mkdir etc run usr
printf ':aa:E::aa::%s/etc-interp:\n' "$WORK" > etc/10-aa.conf
printf ':aa:E::aa::%s:\n' "$I" > usr/10-aa.conf
printf ':bb:E::bb::%s:\n' "$I" > usr/20-bb.conf
printf ':cc:E::cc::%s:\n' "$I" > usr/30-cc.conf
ln -s /dev/null run/30-cc.conf
printf ':zz:E::zz::%s:\n' "$I" > usr/40-zz.txt
printf ':bad:E::x::%s:Q\n' "$I" > usr/50-bad.conf
cp "$I" etc-interp
export UEXEC_BINFMT_D_PATH="$WORK/etc:$WORK/run:$WORK/usr"
run out err "$UEXEC" --list-handlers
check "binfmt.d: rules loaded" sh -c "grep -q 'misc:aa ' out && grep -q 'misc:bb ' out"
check "binfmt.d: an earlier directory hides a file of the same name" sh -c "grep -q 'misc:aa .*etc/10-aa.conf:1' out && ! grep -q 'usr/10-aa.conf' out"
check "binfmt.d: a /dev/null symlink masks a file" sh -c "! grep -q 'misc:cc' out"
check "binfmt.d: only *.conf" sh -c "! grep -q 'misc:zz' out"
check "binfmt.d: files in name order (the later file's rule is tried first)" sh -c "awk '/misc:bb/{b=NR} /misc:aa/{a=NR} END{exit !(b < a)}' out"
check "binfmt.d: a bad line is skipped, listed, not fatal" sh -c "[ $rc -eq 0 ] && grep -q '^skipped .*50-bad.conf:1: invalid rule' out && [ ! -s err ]"
run out err "$UEXEC" ./prog.aa
check "binfmt.d rules apply by default" has out "argv[0]=$WORK/etc-interp"
run out err "$UEXEC" --no-system-binfmt ./prog.aa
check "--no-system-binfmt turns them off" [ $rc -eq 126 ]
run out err "$UEXEC" --binfmt ":aa2:E::aa::$I:" ./prog.aa
check "--binfmt rules come after (in front of) the system's" has out "argv[0]=$I"
# Flag F in a system rule: opened at the rule's first match.
mkdir fdir
printf ':ff:E::ff::%s/gone:F\n:fg:E::fg::%s:F\n' "$WORK" "$I" > fdir/f.conf
mkprog prog.ff "x\n"
mkprog prog.fg "x\n"
UEXEC_BINFMT_D_PATH="$WORK/fdir" run out err "$UEXEC" ./prog.fg
check "binfmt.d: an F rule runs its interpreter" has out "argv[0]=$I"
UEXEC_BINFMT_D_PATH="$WORK/fdir" run out err "$UEXEC" ./prog.ff
check "binfmt.d: an F rule whose interpreter is gone fails the exec that needs it" \
	sh -c "[ $rc -eq 127 ] && grep -q 'rule ff: interpreter $WORK/gone' err"
unset UEXEC_BINFMT_D_PATH

# The real defaults: with qemu-user-static installed, a foreign ELF needs
# no configuration.
if [ -f /usr/lib/binfmt.d/qemu-aarch64.conf ] && [ -e /usr/libexec/qemu-binfmt/aarch64-binfmt-P ]; then
	run out err "$UEXEC" --list-handlers
	check "the system's qemu-aarch64 rule is listed" grep -q 'misc:qemu-aarch64 .*/usr/lib/binfmt.d/qemu-aarch64.conf:1' out
	# An aarch64 ELF header (ET_EXEC, EM_AARCH64): the rule rewrites the
	# exec to qemu; the dry run plans qemu without running it.
	printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\002\000\267\000' > arm64 &&
		chmod +x arm64
	run out err "$UEXEC" --dry-run ./arm64
	check "an aarch64 program is planned with qemu (dry run)" sh -c "[ $rc -eq 0 ] && grep -q qemu out"
else
	tap_skip "the system's qemu-aarch64 rule" "qemu-user-static is not installed"
	tap_skip "an aarch64 program through qemu" "qemu-user-static is not installed"
fi

tap_done
