#!/bin/sh
# The final stage runs from a copy of its section after uexec's memory is
# gone: its object must reference nothing outside that section (no .rodata
# constants, no libc, no stack protector), or it would read unmapped memory.
. "$top_srcdir/tests/tap.sh"
# The objects of the section: final.c, the arch's final_arch.c (if any),
# and the arch's entry.S (the final entry and jump).
find_obj() {
	ls "$top_builddir"/src/.libs/$1.o "$top_builddir"/src/$1.o \
		"$top_builddir"/src/arch/*/.libs/$1.o "$top_builddir"/src/arch/*/$1.o \
		2>/dev/null | head -1
}
obj=$(find_obj libuexec_final_la-final)
arch_obj=$(find_obj libuexec_final_la-final_arch)
entry_obj=$(find_obj libuexec_core_la-entry)
if [ -z "$obj" ] || [ -z "$entry_obj" ] || ! command -v objdump >/dev/null; then
	tap_skip "final stage isolation" "object or objdump not found"
	tap_done
	exit
fi
# What the section defines, over all its objects.
defined=$(for o in $obj $arch_obj $entry_obj; do
	objdump -t "$o" | awk '$0 ~ / uexec_final_text/ {print $NF}'
done | sort -u)
[ -n "$defined" ]
tap_ok $? "the section defines its functions ($(echo $defined | wc -w) symbols)"
for o in $obj $arch_obj; do
	# Relocations inside the section may name only what the section
	# defines (a call from final.c to the arch's part, or to the final
	# jump).  Whatever the build adds elsewhere (sanitizer constructors,
	# say) does not run in the final stage.
	relocs=$(objdump -r -j uexec_final_text "$o" |
		awk '/R_X86|R_AARCH64|R_386/ {print $3}' | sed 's/-0x[0-9a-f]*$//' | sort -u |
		while read -r sym; do
			echo "$defined" | grep -qx "$sym" || echo "$sym"
		done)
	[ -z "$relocs" ]
	tap_ok $? "$(basename "$o") refers to nothing outside the section (${relocs:-none})"
	data=$(objdump -h "$o" | awk '$2 ~ /^\.(rodata|data)/ && $3 != "00000000" {print $2}')
	[ -z "$data" ]
	tap_ok $? "$(basename "$o") has no constants or data of its own (${data:-none})"
done
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
