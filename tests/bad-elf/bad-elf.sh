#!/bin/sh
# bad-elf: malformed or unrunnable files are refused before the point of no
# return with the right status (126 cannot execute, 127 not found) and one
# meaningful line on stderr, and uexec survives to say so.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/bad-elf/lib.sh"

TINY=$TESTPROGS/tiny
if ! "$GEN" "$TINY" "$BADDIR" >"$BADDIR/list"; then
	tap_ok 1 "gen-bad-elf writes the mutants"
	tap_done
	exit 1
fi
out=$("$TINY")
[ "$out" = "tiny ran" ]
tap_ok $? "the template runs natively"
out=$("$UEXEC" "$TINY")
[ "$out" = "tiny ran" ]
tap_ok $? "the template runs under uexec"


# Not ELF at all, or not one this machine runs.
: >"$BADDIR/empty"
chmod 755 "$BADDIR/empty"
refuse "$BADDIR/empty" 126 'exec format error'
refuse "$BADDIR/badmagic" 126 'exec format error'
refuse "$BADDIR/trunc20" 126 'truncated'
refuse "$BADDIR/trunc63" 126 'truncated'
# (class32 and msb, a 64-bit file of this machine that says ELFCLASS32 or
# big-endian, the kernel runs: tests/bad-elf/kernel-accepts.sh.)
case $MACHINE in
aarch64) other=62 ;;	# EM_X86_64
*) other=183 ;;		# EM_AARCH64
esac
refuse "$BADDIR/foreign-machine" 126 "machine $other"
refuse "$BADDIR/et-rel" 126 'type 1 .*not an executable'
refuse "$BADDIR/et-core" 126 'type 4 .*not an executable'

# Headers that lie.
refuse "$BADDIR/phentsize" 126 'e_phentsize'
refuse "$BADDIR/phnum0" 126 'no program headers'
refuse "$BADDIR/phdrs-beyond-eof" 126 'program headers.*outside the file'
refuse "$BADDIR/filesz-gt-memsz" 126 'p_filesz.*p_memsz'
refuse "$BADDIR/vaddr-beyond-task-size" 126 'user address space'
refuse "$BADDIR/memsz-wraps" 126 'user address space|overflow'
refuse "$BADDIR/offset-vaddr-incongruent" 126 'congruent'
refuse "$BADDIR/load-beyond-eof" 126 'outside the file'
refuse "$BADDIR/no-load" 126 'no PT_LOAD'
# e_phoff 0: the table starts with the ELF header itself, no PT_LOAD in it
# (the kernel starts it and it dies of SIGSEGV: README's differences).
refuse "$BADDIR/phoff0" 126 'no PT_LOAD'
refuse "$BADDIR/entry-outside" 126 'entry point'

# The interpreter: malformed, missing (ENOENT, as execve says), not ELF.
refuse "$BADDIR/interp-unterminated" 126 'PT_INTERP'
refuse "$BADDIR/interp-missing" 127 'interpreter.*no such file'
refuse "$BADDIR/interp-missing-filesz-gt-memsz" 127 'interpreter.*no such file'
# An empty PT_INTERP: the kernel's open_exec("") opens the current
# directory and refuses it (EACCES), so 126, not 127.
out=$("$BADDIR/interp-empty" 2>&1)
[ $? -eq 126 ] && printf '%s\n' "$out" | grep -qi 'permission denied'
tap_ok $? "interp-empty: the kernel refuses it with 126 (EACCES: $out)"
refuse "$BADDIR/interp-empty" 126 'interpreter "": an empty name.*permission denied'
refuse "$BADDIR/interp-notelf" 126 'interpreter.*notelf-interp'

# Files that cannot be executed at all, or do not exist.
mkdir "$BADDIR/dir"
refuse "$BADDIR/dir" 126 'is a directory'
mkfifo "$BADDIR/fifo"
refuse "$BADDIR/fifo" 126 'regular file|permission denied'
cp "$TINY" "$BADDIR/no-x"
chmod 644 "$BADDIR/no-x"
# Even root cannot execute a file without any execute bit: execve says
# EACCES; uexec must agree.
sh -c '"$1"' sh "$BADDIR/no-x" >/dev/null 2>&1
[ $? -eq 126 ]
tap_ok $? "no-x: the kernel refuses it too (126)"
refuse "$BADDIR/no-x" 126 'permission denied'
refuse "$BADDIR/does-not-exist" 127 'no such file'
tap_done
