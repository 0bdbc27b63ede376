#!/bin/sh
# The final stage runs from a copy of its section after uexec's memory is
# gone: its object must reference nothing outside that section (no .rodata
# constants, no libc, no stack protector), or it would read unmapped memory.
. "$top_srcdir/tests/tap.sh"
obj=$(ls "$top_builddir"/src/.libs/libuexec_final_la-final.o \
	"$top_builddir"/src/libuexec_final_la-final.o 2>/dev/null | head -1)
if [ -z "$obj" ] || ! command -v objdump >/dev/null; then
	tap_skip "final stage isolation" "object or objdump not found"
	tap_done
	exit
fi
undef=$(nm -u "$obj" | awk '{print $2}' | grep -v '^uexec_arch_final_jump$')
[ -z "$undef" ]
tap_ok $? "final.o calls nothing but the arch's final jump (undefined: ${undef:-none})"
data=$(objdump -h "$obj" | awk '$2 ~ /^\.(rodata|data|bss)/ && $3 != "00000000" {print $2}')
[ -z "$data" ]
tap_ok $? "final.o has no data of its own (${data:-none})"
other=$(objdump -h "$obj" | awk '$2 ~ /^\.text/ && $3 != "00000000" {print $2}')
[ -z "$other" ]
tap_ok $? "all of final.o's code is in uexec_final_text (${other:-ok})"
tap_done
