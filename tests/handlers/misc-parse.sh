#!/bin/sh
# binfmt_misc register strings: every field, the kernel's escapes, limits
# and errors (EINVAL for malformed rules, EEXIST, ENAMETOOLONG, and the
# open error of flag F).  --list-handlers shows what was parsed.
. "$top_srcdir/tests/handlers/lib.sh"

# good RULE DESC EXPECTED-DESCRIPTION-LINE
good() {
	run out err ux --binfmt "$1" --list-handlers
	check "$2" sh -c "[ $rc -eq 0 ] && grep -qxF -- '     $3' out"
}
# bad RULE DESC ERRNO-TEXT [REASON]
bad() {
	run out err ux --binfmt "$1" --list-handlers
	check "$2" sh -c "[ $rc -eq 2 ] && grep -qF -- '$3' err && grep -qF -- '${4:-$3}' err"
}

I=$SHOWARGS
good ":m:M::ABC::$I:" "M: magic" "magic 414243 -> $I"
good ":m:M:5:ABC::$I:" "M: offset" "magic 414243 at 5 -> $I"
good ":m:M:+7:ABC::$I:" "M: offset with '+' (kstrtoint)" "magic 414243 at 7 -> $I"
good ":m:M::\\x7fELF\\x02:\\xff\\xff\\xff\\xff\\xfe:$I:" "M: \\x escapes, mask" \
	"magic 7f454c4602 mask fffffffffe -> $I"
good ":m:M::\\x3aA\\x3a::$I:" "an escaped delimiter in the magic" "magic 3a413a -> $I"
good ":m:M::a\\b::$I:" "a backslash that is no escape stays" "magic 615c62 -> $I"
good ":m:M::\\x00\\x01::$I:" "NUL bytes in the magic" "magic 0001 -> $I"
good ":m:M:249:1234567::$I:" "offset + size = 256 (BINPRM_BUF_SIZE)" "magic 31323334353637 at 249 -> $I"
good ":m:E::tst::$I:" "E: extension" "extension .tst -> $I"
good ":m:E:junk:tst:junk:$I:" "E: offset and mask are ignored" "extension .tst -> $I"
good "|m|E||tst||$I|P" "another delimiter" "extension .tst -> $I flags P"
good ":m:E::tst::$I:POCF" "all flags (C implies O)" "extension .tst -> $I flags PCF"
good ":m:E::tst::$I:OO" "a repeated flag" "extension .tst -> $I flags O"
good ":m:E::tst::$I:P$NL" "a trailing newline" "extension .tst -> $I flags P"
good ":m:E::tst::/i n t e r p:" "blanks in the interpreter" "extension .tst -> /i n t e r p"

bad ":a:E::x::" "under 11 bytes" "Invalid argument" "11 to 1920"
long=$(printf '%1900s' "" | tr ' ' A)
bad ":m:M::$long::$I:" "over 1920 bytes" "Invalid argument" "11 to 1920"
bad "::E::tst::$I:" "empty name" "Invalid argument" "empty name"
bad ":.:E::tst::$I:" "name '.'" "Invalid argument" "'.'"
bad ":..:E::tst::$I:" "name '..'" "Invalid argument" "'..'"
bad ":a/b:E::tst::$I:" "name with '/'" "Invalid argument" "'/'"
n256=$(printf '%256s' "" | tr ' ' n)
bad ":$n256:E::tst::$I:" "name over NAME_MAX: ENAMETOOLONG" "File name too long"
bad ":m:X::tst::$I:" "type X" "Invalid argument" "neither M nor E"
bad ":m:MM::tst::$I:" "type of two letters" "Invalid argument" "not one letter"
bad ":m:M:x:AB::$I:" "offset not a number" "Invalid argument" "offset"
bad ":m:M:-1:AB::$I:" "negative offset" "Invalid argument" "offset"
bad ":m:M:99999999999:AB::$I:" "offset overflows int" "Invalid argument" "offset"
bad ":m:M:::\\xff:$I:" "empty magic" "Invalid argument" "empty magic"
bad ":m:M::\\x4:\\xff:$I:" "\\x with one digit before the delimiter" "Invalid argument" "escape in the magic"
bad ":m:M::\\xZZ::$I:" "\\x with no hex digit" "Invalid argument" "escape in the magic"
bad ":m:M::AB:\\xg0:$I:" "bad escape in the mask" "Invalid argument" "escape in the mask"
bad ":m:M::AB:\\xff:$I:" "mask shorter than the magic" "Invalid argument" "differ in length"
bad ":m:M:250:1234567::$I:" "offset + size > 256" "Invalid argument" "256"
bad ":m:E::::$I:" "E: empty extension" "Invalid argument" "extension"
bad ":m:E::a/b::$I:" "E: extension with '/'" "Invalid argument" "extension"
bad ":m:E::tst:::" "empty interpreter" "Invalid argument" "empty interpreter"
bad ":m:E::tst::$I:X" "unknown flag" "Invalid argument" "unknown flag"
bad ":m:E::tst::$I:P " "text after the flags" "Invalid argument" "after the flags"
bad ":m:E::tst::$I" "no delimiter after the interpreter" "Invalid argument" "missing fields"
bad ":m:M::ABCDEFGH:" "M rule cut after the mask" "Invalid argument"
bad ":m:E::tst::$WORK/nonexistent:F" "F: the interpreter is opened at registration" \
	"No such file or directory" "flag F"
run out err ux --binfmt ":m:E::tst::$WORK/nonexistent:" --list-handlers
check "without F a missing interpreter registers" [ $rc -eq 0 ]
run out err ux --binfmt ":dup:E::a::$I:" --binfmt ":dup:E::b::$I:" --list-handlers
check "a name in use: EEXIST" sh -c "[ $rc -eq 2 ] && grep -q 'File exists' err"
# binfmt_misc's own files: the kernel's register finds them (EEXIST).
bad ":register:E::a::$I:" "the name 'register': EEXIST" "File exists" "control file"
bad ":status:M::ABC::$I:" "the name 'status': EEXIST" "File exists" "control file"

tap_done
