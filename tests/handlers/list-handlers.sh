#!/bin/sh
# --list-handlers: the handler list in order, where each handler came
# from (built in, rule file and line, --binfmt, plugin path) and whether
# it is enabled.
. "$top_srcdir/tests/handlers/lib.sh"
I=$SHOWARGS

run out err ux --list-handlers
check "built-in handlers: script then elf" sh -c "[ $rc -eq 0 ] && sed -n 1p out | grep -q '^ *1  script  *enabled  *built-in\$' && sed -n 2p out | grep -q '^ *2  elf  *enabled  *built-in\$'"

printf ':fromfile:E::ff::%s:O\n' "$I" > r.conf
run out err ux --binfmt ":first:E::a::$I:" --binfmt-file r.conf \
	--plugin "$TPLUGINS/outcomes.so" --plugin "$PLUGINDIR/gzip.so" \
	--disable-handler first --list-handlers
names=$(awk '$1 ~ /^[0-9]+$/ {printf "%s ", $2}' out)
check "order: head plugin, newest rule, older rule, script, elf, tail plugin" \
	[ "$names" = "outcomes misc:fromfile misc:first script elf gzip " ]
check "a rule file's rule: its file and line" grep -q "misc:fromfile  *enabled  *r.conf:1\$" out
check "a --binfmt rule" grep -q "misc:first  *disabled  *--binfmt\$" out
check "a rule's description" grep -qxF "     extension .ff -> $I flags O" out
check "a plugin's handler: the plugin's path" grep -q "outcomes  *enabled  *plugin $TPLUGINS/outcomes.so\$" out
check "gzip from its plugin" grep -q "gzip  *enabled  *plugin $PLUGINDIR/gzip.so\$" out
run out err ux --disable-handler nosuch --list-handlers
check "disabling an unknown handler is an error" sh -c "[ $rc -eq 2 ] && grep -q \"no handler 'nosuch'\" err"
cp "$I" prog
run out err ux --disable-handler elf ./prog
check "with the ELF handler disabled, an ELF program is ENOEXEC" [ $rc -eq 126 ]

tap_done
