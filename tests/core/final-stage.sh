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
# Relocations inside the section: only calls to the arch's final jump
# (itself in the section).  Whatever the build adds elsewhere (sanitizer
# constructors, say) does not run in the final stage.
relocs=$(objdump -r -j uexec_final_text "$obj" | awk '/R_X86|R_AARCH64|R_386/ {print $3}' |
	grep -v '^uexec_arch_final_jump-0x0*4$' | sort -u)
[ -z "$relocs" ]
tap_ok $? "the final stage refers to nothing outside its section (${relocs:-none})"
data=$(objdump -h "$obj" | awk '$2 ~ /^\.(rodata|data)/ && $3 != "00000000" {print $2}')
[ -z "$data" ]
tap_ok $? "final.o has no constants or data of its own (${data:-none})"
tap_done
