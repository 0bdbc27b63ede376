#!/bin/sh
# binfmt_misc rules at work: matching by magic (offset, mask, beyond the
# 128-byte header) and by extension, the order of rules and handlers, and
# the flags as the interpreter (showargs) sees them: argv, AT_FLAGS
# (AT_FLAGS_PRESERVE_ARGV0) and AT_EXECFD.
. "$top_srcdir/tests/handlers/lib.sh"
I=$SHOWARGS

mkprog prog "XYZMAGIC rest of the file\n"

# M at offset 0, no flags: argv [interpreter, filename, argv[1]...].
run out err ux --binfmt ":xyz:M::XYZ::$I:" -a ZERO ./prog a b
check "M: the rule runs the interpreter" [ $rc -eq 0 ]
check "argv without P: [interp, file, argv[1]...]" sh -c "grep -qx argc=4 out && grep -qx 'argv\[0\]=$I' out && grep -qx 'argv\[1\]=./prog' out && grep -qx 'argv\[2\]=a' out && grep -qx 'argv\[3\]=b' out"
check "without P: AT_FLAGS 0" has out "AT_FLAGS=0"
check "without O: no AT_EXECFD" has out "AT_EXECFD=none"

run out err ux --binfmt ":xyz:M:3:MAGIC::$I:" ./prog
check "M: magic at an offset" [ $rc -eq 0 ]
run out err ux --binfmt ":xyz:M:2:MAGIC::$I:" ./prog
check "M: the same magic at another offset does not match" [ $rc -eq 126 ]
# 'X' is 0x58; 0x5a & 0xf0 == 0x58 & 0xf0: the mask hides the low bits.
run out err ux --binfmt ":xyz:M::Z:\\xf0:$I:" ./prog
check "M: the mask hides bits" [ $rc -eq 0 ]
run out err ux --binfmt ":xyz:M::Z:\\x0f:$I:" ./prog
check "M: unmasked bits must match" [ $rc -eq 126 ]
{ printf 'HEAD'; printf '%196s' "" | tr ' ' .; printf 'FARMAGIC'; } > far && chmod +x far
run out err ux --binfmt ":far:M:200:FARMAGIC::$I:" ./far
check "M: magic past the 128-byte header (kernel buffer: 256)" [ $rc -eq 0 ]
run out err ux --binfmt ":far:M:248:\\x00\\x00::$I:" ./far
check "M: a short file is zero-padded (as the kernel's buffer)" [ $rc -eq 0 ]

# E: the extension after the last dot of the name.
cp prog prog.tst
run out err ux --binfmt ":tst:E::tst::$I:" ./prog.tst
check "E: the extension matches" has out "argv[1]=./prog.tst"
run out err ux --binfmt ":tst:E::tst::$I:" ./prog
check "E: no extension, no match (ENOEXEC)" [ $rc -eq 126 ]
mkdir d.tst && cp prog d.tst/prog
run out err ux --binfmt ":tst:E::tst::$I:" ./d.tst/prog
check "E: a dot in a directory is no extension" [ $rc -eq 126 ]

# P: argv[0] stays, AT_FLAGS has AT_FLAGS_PRESERVE_ARGV0 (1).
run out err ux --binfmt ":xyz:M::XYZ::$I:P" -a ZERO ./prog a
check "P: argv [interp, file, argv[0], argv[1]...]" sh -c "grep -qx argc=4 out && grep -qx 'argv\[1\]=./prog' out && grep -qx 'argv\[2\]=ZERO' out && grep -qx 'argv\[3\]=a' out"
check "P: AT_FLAGS is AT_FLAGS_PRESERVE_ARGV0" has out "AT_FLAGS=1"

# O: the program open as AT_EXECFD, not close-on-exec.
run out err ux --binfmt ":xyz:M::XYZ::$I:O" ./prog
check "O: AT_EXECFD is given" sh -c "grep -q '^AT_EXECFD=[0-9]' out"
check "O: AT_EXECFD is the program" has out "execfd.path=$WORK/prog"
check "O: the descriptor survives the exec (not close-on-exec)" has out "execfd.cloexec=0"
check "O: its content is the program's" has out "execfd.head=XYZMAGIC"
check "O: argv[0] still goes" has out "argv[1]=./prog"
# C implies O; credentials do nothing without privileges.
run out err ux --binfmt ":xyz:M::XYZ::$I:C" ./prog
check "C implies O: AT_EXECFD is the program" has out "execfd.path=$WORK/prog"
run out err ux --binfmt ":xyz:M::XYZ::$I:PC" -a ZERO ./prog
check "P and C together" sh -c "grep -qx AT_FLAGS=1 out && grep -qx 'argv\[2\]=ZERO' out && grep -qx 'execfd.path=$WORK/prog' out"

# F: the interpreter is opened when the rule is registered.
cp "$I" interp-f
run out err ux --binfmt ":xyz:M::XYZ::$WORK/interp-f:F" ./prog
check "F: the rule runs the interpreter opened at registration" has out "argv[0]=$WORK/interp-f"
chmod 644 interp-f
run out err ux --binfmt ":xyz:M::XYZ::$WORK/interp-f:F" ./prog
check "F: an interpreter that cannot be opened fails the registration (2)" sh -c "[ $rc -eq 2 ] && grep -q 'Permission denied' err"
run out err ux --binfmt ":xyz:M::XYZ::$WORK/interp-f:" ./prog
check "without F: it fails the exec instead (126)" sh -c "[ $rc -eq 126 ] && grep -q 'rule xyz: interpreter' err"

# A rule whose interpreter is a script: the list is tried again.
mkprog interp.sh "#!$I script-arg\n"
run out err ux --binfmt ":xyz:M::XYZ::$WORK/interp.sh:" ./prog a
check "a rule whose interpreter is a script" sh -c "[ $rc -eq 0 ] && grep -qx argc=5 out && grep -qx 'argv\[1\]=script-arg' out && grep -qx 'argv\[2\]=$WORK/interp.sh' out && grep -qx 'argv\[3\]=./prog' out && grep -qx 'argv\[4\]=a' out"
mkprog interp2.sh "#!/bin/busybox sh\necho \"run by \$0 for \$1\"\n"
run out err ux --binfmt ":xyz:M::XYZ::$WORK/interp2.sh:" ./prog
check "... a busybox sh script as the interpreter" has out "run by $WORK/interp2.sh for ./prog"
run out err ux --binfmt ":xyz:M::XYZ::$WORK/interp.sh:O" ./prog
check "... with O: ENOEXEC, as the kernel (one AT_EXECFD per exec)" sh -c "[ $rc -eq 126 ] && grep -q 'AT_EXECFD' err"

# Order: the newest rule first; rules before the script and ELF handlers.
cp "$I" other
run out err ux --binfmt ":old:M::XYZ::$I:" --binfmt ":new:M::XYZ::$WORK/other:" ./prog
check "the newest of two matching rules wins" has out "argv[0]=$WORK/other"
mkprog scr.tst "#!/bin/busybox false\n"
run out err ux --binfmt ":tst:E::tst::$I:" ./scr.tst
check "rules go before the script handler" has out "argv[1]=./scr.tst"
cp "$I" elfprog.tst
run out err ux --binfmt ":tst:E::tst::$I:" ./elfprog.tst
check "rules go before the ELF handler" has out "argv[1]=./elfprog.tst"
run out err ux --binfmt ":tst:E::tst::$I:" --disable-handler tst ./elfprog.tst
check "a disabled rule is skipped (the ELF handler runs it)" has out "argv[0]=./elfprog.tst"

tap_done
