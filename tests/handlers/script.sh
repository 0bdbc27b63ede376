#!/bin/sh
# "#!" scripts: argv as the kernel builds it, blanks, the optional
# argument, errors, and scripts whose interpreter is a script.
. "$top_srcdir/tests/handlers/lib.sh"

# argv: [interpreter, filename, argv[1]...]; argv[0] is dropped and the
# name the script was opened by is passed.
mkprog s1 "#!$SHOWARGS\n"
run out err ux -a IGNORED ./s1 a "b c"
check "script runs its interpreter" [ $rc -eq 0 ]
check "argv[0] is the interpreter" has out "argv[0]=$SHOWARGS"
check "argv[1] is the file name, not argv[0]" has out "argv[1]=./s1"
check "the arguments follow" sh -c 'grep -qx "argv\[2\]=a" out && grep -qx "argv\[3\]=b c" out && grep -qx argc=4 out'
check "AT_FLAGS is 0, no AT_EXECFD" sh -c 'grep -qx AT_FLAGS=0 out && grep -qx AT_EXECFD=none out'

# The rest of the line after the first blank is ONE argument; blanks
# around it go, blanks inside stay.
mkprog s2 "#! \t $SHOWARGS \t one  two\t \nrest\n"
run out err ux ./s2 x
check "one optional argument with inner blanks" has out "argv[1]=one  two"
check "then the file name and argv[1]" sh -c 'grep -qx "argv\[2\]=./s2" out && grep -qx "argv\[3\]=x" out && grep -qx argc=4 out'

mkprog s3 "#!$SHOWARGS   \n"
run out err ux ./s3
check "trailing blanks: no argument" sh -c 'grep -qx argc=2 out && grep -qx "argv\[1\]=./s3" out'

mkprog s4 "#!${SHOWARGS}\tx\n"
run out err ux ./s4
check "a tab ends the interpreter path" has out "argv[1]=x"

# A NUL ends the interpreter path, and there is no argument.
mkprog s5 "#!${SHOWARGS}\0000 junk\n"
run out err ux ./s5
check "a NUL ends the line's interpreter (no argument)" sh -c 'grep -qx argc=2 out'

# No newline in a short file: the NUL padding ends the path.
mkprog s6 "#!$SHOWARGS"
run out err ux ./s6
check "no newline in a short file" [ $rc -eq 0 ]

# Through PATH: the full name found is passed.
mkdir bin && mkprog bin/s7 "#!$SHOWARGS\n"
PATH="$WORK/bin:$PATH" run out err ux s7
check "PATH lookup passes the path found" has out "argv[1]=$WORK/bin/s7"

# Errors, as execve(2) reports them.
mkprog e1 "#!\n"
run out err ux ./e1
check "#! with no interpreter: ENOEXEC (126), with the reason" sh -c "[ $rc -eq 126 ] && grep -q 'Exec format error (#! line: no interpreter)' err"
mkprog e2 "#!$WORK/missing\n"
run out err ux ./e2
check "missing interpreter: ENOENT (127), named" sh -c "[ $rc -eq 127 ] && grep -q 'interpreter $WORK/missing' err"
printf 'not executable\n' > noexec
mkprog e3 "#!$WORK/noexec\n"
run out err ux ./e3
check "interpreter not executable: EACCES (126)" sh -c "[ $rc -eq 126 ] && grep -q 'Permission denied' err"
printf '#!%s\n' "$SHOWARGS" > e4
chmod 644 e4
run out err ux ./e4
check "script not executable: EACCES (126)" [ $rc -eq 126 ]
mkprog e5 "#!/bin/busybox sh -x\n"
run out err ux ./e5
check "'sh -x' is one argument (busybox has no applet 'sh -x')" sh -c "[ $rc -ne 0 ] && grep -q 'sh -x' err"

# An interpreter that is itself a script: the list is tried again.
mkprog inner "#!$SHOWARGS inner-arg\n"
mkprog outer "#!$WORK/inner outer-arg\n"
run out err ux ./outer z
check "interpreter script: rewritten twice" [ $rc -eq 0 ]
check "argv of a two-level script" sh -c "grep -qx argc=6 out && grep -qx 'argv\[1\]=inner-arg' out && grep -qx 'argv\[2\]=$WORK/inner' out && grep -qx 'argv\[3\]=outer-arg' out && grep -qx 'argv\[4\]=./outer' out && grep -qx 'argv\[5\]=z' out"

# Real interpreters: busybox sh runs the script with its arguments.
mkprog bb "#!/bin/busybox sh\necho \"\$0|\$1|\$2\"\nexit 3\n"
run out err ux ./bb p q
check "busybox sh script: output and exit status" sh -c "[ $rc -eq 3 ] && grep -qx './bb|p|q' out"

# The kernel agrees on argv (when this kernel runs scripts as Linux >= 5.1).
./s2 x > kout 2>&1
ux ./s2 x > out 2>&1
check "same argv as the kernel for s2" cmp -s out kout

# An empty interpreter name ("#!" then a NUL): the kernel looks "" up as the
# current directory and refuses it with EACCES (126), not ENOENT (127).
printf '#!' > empty1 && chmod +x empty1
printf '#! \0/bin/sh\n' > empty2 && chmod +x empty2
for f in empty1 empty2; do
	run out err ux ./$f
	check "#! with an empty interpreter name ($f): 126, one line" \
		sh -c "[ $rc -eq 126 ] && [ \$(wc -l < err) -eq 1 ] && grep -q 'empty interpreter name' err"
done

tap_done
