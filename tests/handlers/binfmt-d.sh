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
# f_rules DIR GONE OK WHAT: with the rules of DIR, the F rule OK runs its
# interpreter and the F rule GONE (interpreter $WORK/gone) fails the exec.
f_rules() {
	mkprog prog.$2 "x\n"
	mkprog prog.$3 "x\n"
	UEXEC_BINFMT_D_PATH="$WORK/$1" run out err "$UEXEC" ./prog.$3
	check "$4: an F rule runs its interpreter" has out "argv[0]=$I"
	UEXEC_BINFMT_D_PATH="$WORK/$1" run out err "$UEXEC" ./prog.$2
	check "$4: an F rule whose interpreter is gone fails the exec that needs it" \
		sh -c "[ $rc -eq 127 ] && grep -q 'rule $2: interpreter $WORK/gone' err"
}
f_rules fdir ff fg binfmt.d
unset UEXEC_BINFMT_D_PATH

# The cache of the binfmt.d rules: a plain launch reads the rules from it,
# and any change to the files is seen by the next launch.  Stamps younger
# than two seconds are never cached (a change within one clock tick would
# not show), so the test waits before the launches that write it.
CACHE="$XDG_RUNTIME_DIR/uexec-binfmt.d.cache"
mkdir cdir
printf ':ca:E::ca::%s:\n' "$I" > cdir/10-a.conf
printf ':cf:E::cf::%s/gone:F\n:cg:E::cg::%s:F\n' "$WORK" "$I" > cdir/30-f.conf
age() { touch -d '-1 hour' "$@"; }
age cdir cdir/*
sleep 3
lh() { UEXEC_BINFMT_D_PATH="$WORK/cdir" run out err "$UEXEC" "$@" --list-handlers; }
lh
cp out cold.out
check "cache: written by a launch that parsed the files" sh -c "[ $rc -eq 0 ] && [ -s '$CACHE' ] && grep -q 'misc:ca ' out"
lh --debug=handlers
check "cache: the next launch takes the rules from it, same list" \
	sh -c "grep -q 'the rules come from the cache' err && [ \"\$(grep -v '^uexec' out)\" = \"\$(cat cold.out)\" ]"
# Flag F keeps its lazy open: the interpreter is opened at the first match.
f_rules cdir cf cg "binfmt.d from the cache"
# Where the cache cannot be written or read, the rules are parsed, silently.
cp cold.out ref.out
mkdir -m 700 notmine && chown nobody notmine 2>/dev/null || chmod 500 notmine
XDG_RUNTIME_DIR="$WORK/notmine" lh
check "cache: a directory that is not the user's: same list, nothing on stderr" \
	sh -c "[ $rc -eq 0 ] && cmp -s out ref.out && [ ! -s err ] && [ -z \"\$(ls notmine 2>/dev/null)\" ]"
XDG_RUNTIME_DIR=/proc/sys lh
check "cache: an unusable directory (/proc/sys: read-only, not 0700): same list, nothing on stderr" sh -c "[ $rc -eq 0 ] && cmp -s out ref.out && [ ! -s err ]"
# Under an RLIMIT_FSIZE smaller than the cache, a write would raise
# SIGXFSZ and end the launch: the cache is not written, and nothing is
# left behind.
mkdir -m 700 fsz
# (Its output goes through pipes, which the limit does not bind.)
XDG_RUNTIME_DIR="$WORK/fsz" UEXEC_BINFMT_D_PATH="$WORK/cdir" run out err \
	sh -c '{ prlimit --fsize=0 "$1" --list-handlers 2>&1; echo "status $?"; } | cat' - "$UEXEC"
grep -v '^status ' out >fsz.out
check "cache: RLIMIT_FSIZE 0: same list, nothing written, nothing on stderr" \
	sh -c "grep -qx 'status 0' out && cmp -s fsz.out ref.out && [ -z \"\$(ls fsz)\" ]"
lh
printf 'garbage' | dd of="$CACHE" bs=1 seek=200 conv=notrunc 2>/dev/null
lh --debug=handlers
check "cache: a damaged cache is not used: same list" \
	sh -c "[ $rc -eq 0 ] && grep -q 'no usable cache' err && [ \"\$(grep -v '^uexec' out)\" = \"\$(cat ref.out)\" ]"
truncate -s 100 "$CACHE"
lh
check "cache: a truncated cache is not used: same list" sh -c "[ $rc -eq 0 ] && cmp -s out ref.out && [ ! -s err ]"
UEXEC_BINFMT_D_PATH="$WORK/cdir" run out err "$UEXEC" ./prog.cg
check "cache: after a damaged cache, rules still run" has out "argv[0]=$I"
lh --debug=handlers
check "cache: a damaged cache is replaced by the next launch that parses" \
	sh -c "grep -q 'the rules come from the cache' err && [ \"\$(grep -v '^uexec' out)\" = \"\$(cat ref.out)\" ]"

# Adding a file.
printf ':cb:E::cb::%s:\n' "$I" > cdir/20-b.conf
lh
check "cache: an added rule file is seen by the next launch" grep -q 'misc:cb ' out
# Editing a file in place, same size, its mtime put back: only its ctime
# tells (the cache is written again first, from old enough stamps).
sleep 3
lh --debug=handlers
check "cache: rewritten after a change (once the stamps are old enough)" \
	sh -c "grep -q 'misc:cb ' out && grep -q 'cache' err && ! grep -q 'not written' err"
lh --debug=handlers
check "cache: and used" grep -q 'the rules come from the cache' err
touch -r cdir/10-a.conf a.stamp
printf ':ca:E::cz::%s:\n' "$I" > cdir/10-a.conf
touch -r a.stamp cdir/10-a.conf
lh
check "cache: an edited rule file (same size and mtime) is seen by the next launch" \
	sh -c "grep -q 'extension .cz ' out && ! grep -q 'extension .ca ' out"
# Removing a file.
rm cdir/20-b.conf
age cdir
lh
check "cache: a removed rule file is seen by the next launch" sh -c "! grep -q 'misc:cb' out && grep -q 'misc:ca ' out"
# A change to the last file, found after the first file's rules were
# registered from the cache: those are dropped again and the files parsed,
# so that every rule is listed once, as the files now say.
sleep 3
lh
lh --debug=handlers
check "cache: used again after the changes" grep -q 'the rules come from the cache' err
touch -r cdir/30-f.conf f.stamp
printf ':cf:E::cf::%s/gone:F\n:cg:E::ch::%s:F\n' "$WORK" "$I" > cdir/30-f.conf
touch -r f.stamp cdir/30-f.conf
lh --debug=handlers
check "cache: a change in the last rule file undoes the rules taken before it" \
	sh -c "grep -q '30-f.conf has changed' err && grep -q 'no usable cache' err &&
	       grep -q 'extension .ch ' out && ! grep -q 'extension .cg ' out &&
	       [ \$(grep -c '^ *[0-9]*  misc:ca ' out) -eq 1 ] && [ \$(grep -c '  misc:' out) -eq 3 ] &&
	       ! grep -q '^skipped' out"
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
