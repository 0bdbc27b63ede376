#!/bin/sh
# Bounded, non-blocking reads of what the handler side reads: rule files
# (--binfmt-file and the binfmt.d directories), plugin files, and the
# program of `uexec -`.  Nothing may block or grow without bound; each
# refusal is one line.
. "$top_srcdir/tests/handlers/lib.sh"
I=$SHOWARGS

# fails_with CODE TEXT: the last run exited with CODE, and wrote exactly one
# line to stderr, which holds TEXT.
fails_with() { [ "$rc" -eq "$1" ] && [ "$(wc -l < err)" -eq 1 ] && grep -qF -- "$2" err; }

mkfifo fifo
run out err timeout 5 "$UEXEC" --no-system-binfmt --binfmt-file fifo --list-handlers
check "--binfmt-file FIFO: fails at once, one line, exit 2" \
	fails_with 2 'uexec: --binfmt-file fifo: not a regular file (a FIFO)'
run out err timeout 5 "$UEXEC" --no-system-binfmt --binfmt-file /dev/zero --list-handlers
check "--binfmt-file /dev/zero: fails at once, one line, exit 2" \
	fails_with 2 'uexec: --binfmt-file /dev/zero: not a regular file'
truncate -s 2G sparse
run out err timeout 5 "$UEXEC" --no-system-binfmt --binfmt-file sparse --list-handlers
check "--binfmt-file of a 2 GiB sparse file: fails at once, one line, exit 2" \
	fails_with 2 'uexec: --binfmt-file sparse: too large: 2147483648 bytes'
run out err timeout 5 "$UEXEC" --no-system-binfmt --binfmt-file . --list-handlers
check "--binfmt-file of a directory: one line, exit 2" \
	fails_with 2 'not a regular file (a directory)'
run out err timeout 5 "$UEXEC" --no-system-binfmt --binfmt-file /dev/null --list-handlers
check "--binfmt-file /dev/null: no rules, no error" sh -c "[ $rc -eq 0 ] && [ ! -s err ]"
# Exactly 1 MiB is still read.
{ printf ':big:E::big::%s:\n' "$I"; head -c $((1048576 - ${#I} - 15)) /dev/zero | tr '\0' '#'; } > mib.conf
run out err timeout 5 "$UEXEC" --no-system-binfmt --binfmt-file mib.conf --list-handlers
check "--binfmt-file of exactly 1 MiB is read" sh -c "[ $(wc -c < mib.conf) -eq 1048576 ] && [ $rc -eq 0 ] && grep -q 'misc:big ' out"

# In a binfmt.d directory: skipped, listed, the other files still read.
mkdir d d/sub.conf
mkfifo d/20-fifo.conf
ln -s "$WORK/sparse" d/30-big.conf
printf ':aa:E::aa::%s:\n' "$I" > d/10-aa.conf
UEXEC_BINFMT_D_PATH="$WORK/d" run out err timeout 5 "$UEXEC" --list-handlers
check "binfmt.d: a FIFO is skipped and listed" sh -c "[ $rc -eq 0 ] && grep -qx 'skipped  $WORK/d/20-fifo.conf: not a regular file (a FIFO)' out"
check "binfmt.d: a directory is skipped and listed" grep -qx "skipped  $WORK/d/sub.conf: not a regular file (a directory)" out
check "binfmt.d: a 2 GiB file is skipped and listed" grep -q "^skipped  $WORK/d/30-big.conf: too large" out
check "binfmt.d: the other files' rules are loaded, nothing on stderr" sh -c "grep -q 'misc:aa ' out && [ ! -s err ]"

# Plugin files: regular files only, never waited for.
mkfifo fifo.so
run out err timeout 5 "$UEXEC" --no-system-binfmt --plugin ./fifo.so /bin/true
check "--plugin FIFO: fails at once, one line, exit 2" \
	fails_with 2 'plugin ./fifo.so: not a regular file'

# uexec -: at most 1 GiB from standard input.
run out err timeout 60 "$UEXEC" --no-system-binfmt - < /dev/zero
check "uexec - < /dev/zero: EFBIG, one line, exit 126" \
	fails_with 126 'uexec: -: the program on standard input is larger than 1 GiB, the limit of uexec -'
run out err timeout 10 "$UEXEC" --no-system-binfmt - < sparse
check "uexec - < a 2 GiB file: refused before reading" \
	fails_with 126 'larger than 1 GiB'

tap_done
