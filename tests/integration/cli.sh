#!/bin/sh
# cli: PATH search, -a/--argv0, --help, --version, usage errors.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"

# expect_status NAME WANT DESC: NAME's run ended with WANT.
expect_status() {
	[ "$(rc_of "$1")" -eq "$2" ]
	tap_ok $? "$3 (status $2)"
	[ "$(rc_of "$1")" -eq "$2" ] || show "$1"
}

# expect_grep NAME STREAM REGEX DESC
expect_grep() {
	grep -Eq -- "$3" "$TESTTMP/$1.$2"
	tap_ok $? "$4"
}

SEARCH="$TESTPROGS:/usr/bin:/bin"
run native env PATH="$SEARCH" hello-static 3 x
run uexec env PATH="$SEARCH" "$UEXEC" hello-static 3 x
check_uexec_run "PROGRAM without a slash is found through PATH" 3 native uexec
expect_grep uexec out '^argv\[0\]=hello-static$' "PATH search keeps argv[0] as given"

run uexec env PATH="$SEARCH" "$UEXEC" no-such-program-uexec
expect_status uexec 127 "a name not in PATH"
expect_grep uexec err '^uexec: no-such-program-uexec: ' "not found: one 'uexec: NAME: ' line"

# An empty name: execvp("") is ENOENT (127), whatever PATH holds (the
# execvp of env(1) says ENOENT too).
run native env PATH="$SEARCH" env ""
run uexec env PATH="$SEARCH" "$UEXEC" ""
[ "$(rc_of native)" -eq 127 ]
tap_ok $? "execvp() of \"\" is 127"
expect_status uexec 127 "an empty program name is not found"
[ "$(wc -l <"$TESTTMP/uexec.err")" -eq 1 ]
tap_ok $? "an empty name: one line on stderr"

run uexec "$UEXEC" -a my-name "$TESTPROGS/hello-static" 4
expect_status uexec 4 "-a NAME"
expect_grep uexec out '^argv\[0\]=my-name$' "-a sets argv[0]"
expect_grep uexec out '^argv\[1\]=4$' "-a keeps the other arguments"
run uexec "$UEXEC" --argv0=other "$TESTPROGS/hello-static"
expect_grep uexec out '^argv\[0\]=other$' "--argv0= sets argv[0]"
run uexec "$UEXEC" -- "$TESTPROGS/hello-static" -a
expect_grep uexec out '^argv\[1\]=-a$' "options after -- belong to the program"

run uexec "$UEXEC" --help
expect_status uexec 0 "--help"
expect_grep uexec out '^Usage: uexec' "--help prints the usage on stdout"
run uexec "$UEXEC" --version
expect_status uexec 0 "--version"
expect_grep uexec out '^uexec [0-9]' "--version prints the version"
run uexec "$UEXEC"
expect_status uexec 2 "no PROGRAM"
expect_grep uexec err '^Usage: uexec' "no PROGRAM: the usage on stderr"
run uexec "$UEXEC" --no-such-option "$TESTPROGS/hello-static"
expect_status uexec 2 "an unknown option"

# A bad option: status 2 and one line in glibc's words, whichever libc the
# CLI is linked with (getopt's own messages differ between glibc and musl).
bad_option() {	# bad_option WANT-LINE ARGS...
	want=$1; shift
	run uexec "$UEXEC" "$@"
	[ "$(rc_of uexec)" -eq 2 ] && [ "$(wc -l <"$TESTTMP/uexec.err")" -eq 1 ] &&
		[ "$(cat "$TESTTMP/uexec.err")" = "uexec: $want (uexec --help lists the options)" ]
	tap_ok $? "uexec $*: status 2, one line: $want"
	[ "$(rc_of uexec)" -eq 2 ] || show uexec
}
bad_option "unrecognized option '--bogus=1'" --bogus=1 "$TESTPROGS/hello-static"
bad_option "invalid option -- 'Z'" -Z "$TESTPROGS/hello-static"
bad_option "invalid option -- 'Z'" -vZ "$TESTPROGS/hello-static"
bad_option "option requires an argument -- 'a'" -a
bad_option "option '--argv0' requires an argument" --argv0
bad_option "option '--json' doesn't allow an argument" --json=yes "$TESTPROGS/hello-static"
bad_option "option '--help' doesn't allow an argument" --help=1
bad_option "option '--bin' is ambiguous" --bin x "$TESTPROGS/hello-static"
tap_done
