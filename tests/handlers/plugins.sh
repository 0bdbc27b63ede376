#!/bin/sh
# Plugins: each outcome of a handler (accept, decline, fail, rewrite, and
# the error of returning 0 having done nothing), the ABI check (a plugin
# built for another version is refused and none of its code runs), init
# failures, UEXEC_PLUGIN_PATH, the gzip plugin and the documented example.
. "$top_srcdir/tests/handlers/lib.sh"
I=$SHOWARGS
OUT="$TPLUGINS/outcomes.so"
cp "$I" outcome-prog
mkprog outcome-text "not a program\n"

UEXEC_TEST_MODE=accept run out err ux --plugin "$OUT" ./outcome-prog a
check "accept: the plugin loads the ELF itself" sh -c "[ $rc -eq 0 ] && grep -qx 'outcomes: accept ./outcome-prog' err && grep -qx 'argv\[0\]=./outcome-prog' out && grep -qx 'argv\[1\]=a' out"
UEXEC_TEST_MODE=accept run out err ux --plugin "$OUT" ./outcome-text
check "accept of a non-ELF fails (ENOEXEC from the ELF loader)" [ $rc -eq 126 ]
UEXEC_TEST_MODE=decline run out err ux --plugin "$OUT" ./outcome-prog
check "decline: the next handler (ELF) runs it" sh -c "[ $rc -eq 0 ] && grep -qx 'outcomes: decline ./outcome-prog' err && grep -qx 'argv\[0\]=./outcome-prog' out"
UEXEC_TEST_MODE=fail run out err ux --plugin "$OUT" ./outcome-prog
check "fail: the exec fails with the plugin's error and reason" sh -c "[ $rc -eq 126 ] && grep -q 'outcomes: refusing ./outcome-prog' err && [ ! -s out ]"
UEXEC_TEST_MODE=rewrite UEXEC_TEST_TARGET="$I" run out err ux --plugin "$OUT" ./outcome-text x
check "rewrite: to another file, back through the list" sh -c "[ $rc -eq 0 ] && grep -qx 'argv\[0\]=$I' out && grep -qx 'argv\[1\]=--from-plugin' out && grep -qx 'argv\[2\]=./outcome-text' out && grep -qx 'argv\[3\]=x' out"
mkprog rw-target.sh "#!$I via-script\n"
UEXEC_TEST_MODE=rewrite UEXEC_TEST_TARGET="$WORK/rw-target.sh" run out err ux --plugin "$OUT" ./outcome-text
check "rewrite to a script: the script handler takes it next" sh -c "[ $rc -eq 0 ] && grep -qx 'argv\[1\]=via-script' out"
UEXEC_TEST_MODE=rewrite UEXEC_TEST_TARGET="$WORK/missing" run out err ux --plugin "$OUT" ./outcome-text
check "rewrite to a missing file: ENOENT (127)" [ $rc -eq 127 ]
UEXEC_TEST_MODE=nothing run out err ux --plugin "$OUT" ./outcome-prog
check "0 without a rewrite or a plan: an error (126)" sh -c "[ $rc -eq 126 ] && grep -q 'no load plan' err"

# The ABI check happens before the plugin is loaded.
run out err ux --plugin "$TPLUGINS/badabi.so" ./outcome-prog
check "another ABI version: refused (2)" sh -c "[ $rc -eq 2 ] && grep -q 'refused: built for plugin ABI version' err"
check "... with both versions named" sh -c "grep -q 'version [0-9]*, this uexec has version [0-9]*' err"
check "... and none of its code ran (not even its constructor)" sh -c "! grep -q 'RAN' err"
run out err ux --plugin "$TPLUGINS/initfail.so" --list-handlers
check "init failing: reported (2)" sh -c "[ $rc -eq 2 ] && grep -q 'init failed: No such device' err"
run out err ux --plugin "$I" --list-handlers
check "not a shared object: refused" sh -c "[ $rc -eq 2 ] && grep -q 'not a shared object' err"
run out err ux --plugin /no/such.so --list-handlers
check "a missing plugin: refused" sh -c "[ $rc -eq 2 ] && grep -q 'No such file' err"
run out err ux --plugin "$PLUGINDIR/gzip.so" --plugin "$PLUGINDIR/gzip.so" --list-handlers
check "the same plugin twice is loaded once" sh -c "[ $rc -eq 0 ] && [ \$(grep -c '^ *[0-9]*  gzip ' out) -eq 1 ]"

# UEXEC_PLUGIN_PATH: files and directories; its failures only warn.
mkdir pdir && cp "$OUT" pdir/ && cp "$TPLUGINS/badabi.so" pdir/zz-badabi.so
UEXEC_PLUGIN_PATH="$WORK/pdir" UEXEC_TEST_MODE=fail run out err ux ./outcome-prog
check "UEXEC_PLUGIN_PATH: a directory of plugins" grep -q 'outcomes: refusing' err
check "UEXEC_PLUGIN_PATH: a bad plugin is a warning" grep -q 'warning: UEXEC_PLUGIN_PATH: .*zz-badabi.so: refused' err
UEXEC_PLUGIN_PATH="$PLUGINDIR/gzip.so" run out err ux --list-handlers
check "UEXEC_PLUGIN_PATH: a file" grep -q "gzip .*plugin $PLUGINDIR/gzip.so" out

# gzip: a compressed program runs with its own argv.
gzip -9c "$I" > prog.gz && chmod +x prog.gz
run out err ux --plugin "$PLUGINDIR/gzip.so" ./prog.gz a b
check "gzip: a compressed program runs" sh -c "[ $rc -eq 0 ] && grep -qx 'argv\[0\]=./prog.gz' out && grep -qx 'argv\[2\]=b' out && grep -qx argc=3 out"
run out err ux ./prog.gz
check "gzip: without the plugin, ENOEXEC (126)" [ $rc -eq 126 ]
{ gzip -c "$I" | head -c 20000; } > trunc.gz && chmod +x trunc.gz
run out err ux --plugin "$PLUGINDIR/gzip.so" ./trunc.gz
check "gzip: truncated data fails" sh -c "[ $rc -eq 126 ] && grep -q 'gzip: truncated' err"
{ gzip -c "$I" | head -c 100; head -c 3000 /dev/zero | tr '\0' x; } > corrupt.gz && chmod +x corrupt.gz
run out err ux --plugin "$PLUGINDIR/gzip.so" ./corrupt.gz
check "gzip: corrupt data fails" sh -c "[ $rc -eq 126 ] && grep -q 'gzip: corrupt' err"
printf '#!/bin/busybox sh\necho hi\n' | gzip -c > script.gz && chmod +x script.gz
run out err ux --plugin "$PLUGINDIR/gzip.so" ./script.gz
check "gzip: a compressed script is refused with a reason" sh -c "[ $rc -eq 126 ] && grep -q 'compressed #! script' err"
{ printf 'XYZ' | gzip -c; } > rule.gz && chmod +x rule.gz
run out err ux --plugin "$PLUGINDIR/gzip.so" --binfmt ":xyz:M::XYZ::$I:" ./rule.gz
check "gzip: the decompressed file goes back through the list (a rule)" has out "argv[1]=./rule.gz"

# The documented example plugin (doc/plugin-example/crlf.c).
printf '#!%s\r\nrest\r\n' "$I" > crlf && chmod +x crlf
run out err ux ./crlf
check "a CRLF script fails without the example plugin (interpreter 'X\\r')" [ $rc -eq 127 ]
run out err ux --plugin "$TPLUGINS/crlf.so" ./crlf q
check "the example plugin runs it" sh -c "[ $rc -eq 0 ] && grep -qx 'argv\[0\]=$I' out && grep -qx 'argv\[1\]=./crlf' out && grep -qx 'argv\[2\]=q' out && grep -qx argc=3 out"
printf '#!%s  crlf-arg \r\nrest\r\n' "$I" > crlf2 && chmod +x crlf2
run out err ux --plugin "$TPLUGINS/crlf.so" ./crlf2
check "the example plugin: the argument without its CR" has out "argv[1]=crlf-arg "

tap_done
