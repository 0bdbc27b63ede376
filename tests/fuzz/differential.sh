#!/bin/bash
# SPDX-License-Identifier: MIT
#
# differential.sh: differential fuzzing of REAL runs (not --dry-run) of
# mutated ELF files, the kernel's execve(2) against uexec.
#
#   tests/fuzz/differential.sh [-n RUNS] [-s SEED] [-u UEXEC] [-o OUTDIR]
#                              [-t TIMEOUT] [-I PROB] [-R] [-k] [-B] [SEEDFILE...]
#
#   -n RUNS     mutants per seed file (default 200)
#   -s SEED     the generator's seed (default 1); mutant I of seed file F is
#               a function of (SEED, basename of F, I) only, so a finding
#               repeats with the same -s whatever -n and the other seeds are
#   -u UEXEC    the uexec CLI (default: src/uexec next to this script's tree)
#   -o OUTDIR   where results go (default /tmp/dfuzz): OUTDIR/results.tsv has
#               one line per mutant, OUTDIR/found/ the reproducers
#   -t TIMEOUT  seconds per run (default 5)
#   -k          keep every mutant (OUTDIR/mutants/), not only the violating ones
#   -I PROB     the fraction of mutants in interpreter mode (default 0.1): the
#               program's PT_INTERP names ./NAME.interp, a mutated copy of
#               ld.so (glibc's or musl's, 64- or 32-bit), testprogs/tiny or
#               testprogs/hello-static-pie; its reproducer is both files
#   -R          run both sides under `setarch -R` (no randomisation: the
#               program's image may then fall where uexec itself lies)
#   -B          do not pass --no-system-binfmt to uexec (by default it is
#               passed when the kernel has no binfmt_misc rule registered, so
#               that uexec's handler list is the kernel's)
#   SEEDFILE... small ELF programs (default: testprogs/tiny, hello-static,
#               hello-static-pie, hello-pie, hello-nopie, hello-musl-static,
#               hello-musl-dynamic, tests/debug/hello-i386{,-dyn}, /bin/true,
#               those of them that exist)
#
# Standalone: not part of `make check` (it runs for minutes and its result
# depends on the running kernel).  Needs bash, python3 (the mutator, written
# to a temporary directory), timeout(1); gcc if present (a 20-line exec
# wrapper, compiled into the temporary directory; python3 otherwise).
#
# For each mutant (one to three mutations of: an ELF header field, e_ident,
# a program header field, the PT_INTERP string, PT_GNU_STACK,
# PT_GNU_PROPERTY and its note, swapped or copied program headers, PT_LOADs
# moved, random bit flips in the headers, truncation of the file) it runs
#
#   kernel:  timeout T xexec REPORT ./mutant 7 fuzz </dev/null
#            (xexec is execv(2); when execv fails it writes the errno to
#            REPORT, so a refusal is told from a program's own 126/127)
#   uexec:   timeout T UEXEC [--no-system-binfmt] ./mutant 7 fuzz </dev/null
#
# capturing stdout, stderr and the status (128+N: signal N; 124: timed out),
# and classifies the pair.  Contract violations (saved to OUTDIR/found/ as
# the mutant and NAME.txt with both outcomes):
#
#   uexec-signal          uexec died of a signal the kernel's run did not
#   refusal-not-one-line  uexec exited 126/127 without exactly one stderr line
#                         "uexec: ..." (and the kernel's run did not do that)
#   ponr-kernel-refuses   uexec failed after its point of no return (127 and
#                         its --debug=exec trace shows the point passed)
#                         where the kernel refuses the file
#   ponr-kernel-runs      the same where the kernel's run exits normally
#   uexec-hang            uexec timed out, the kernel's run did not
#   runs-kernel-refuses   uexec ran a file the kernel's execve refuses
#   refuses-kernel-runs   uexec refused, for a reason README does not list,
#                         a file the kernel runs to a normal exit
#   differs               both ran, different stdout or status (or the kernel's
#                         run died of a signal and uexec's exited)
#   status-differs        both refused, with different exit statuses (126/127)
#
# Not violations (counted, and listed when undocumented):
#
#   same-*                the same outcome (ran, signal, refused, hang)
#   documented-refusal    uexec refused with one of README's "Deliberate,
#                         documented differences" (PT_LOAD bytes past EOF,
#                         p_offset/p_vaddr not congruent, unsorted PT_LOADs,
#                         no PT_LOAD, entry outside every executable segment,
#                         p_filesz > p_memsz, beyond the user address space,
#                         overlapping segments, an interpreter's e_type, no
#                         room: ENOMEM)
#   undocumented-refusal  uexec refused (one line, 126) a file the kernel's run
#                         dies of a signal on, for a reason not in that list
#   ponr-both             uexec failed after its point of no return where the
#                         kernel's run died of a signal too
#   kernel-hang-only      the kernel's run timed out, uexec's did not
#   nondeterministic      a candidate (uexec-signal, uexec-hang, differs,
#                         kernel-hang-only, runs-kernel-refuses) whose two sides
#                         share an outcome over three runs each: the mutated
#                         program's own randomness (an entry point moved into
#                         the middle of code that reads stale registers or
#                         randomised addresses)
#   harness-error         timeout(1) could not start UEXEC (rebuilt meanwhile?)
#   generator-error       the mutator failed on a batch (skipped)
#
# The summary prints one line per class, the kernel's and uexec's outcomes,
# and the reproducers' paths (at most 8 per class, seed file and first
# mutation).  Each NAME.txt has the two commands that repeat the finding.
# Example (2000 mutants; 1 to 3 minutes on a 2-core VM):
#
#   cp src/uexec /tmp/uexec.snap	# a build running meanwhile replaces src/uexec
#   nice tests/fuzz/differential.sh -n 200 -s 1 -u /tmp/uexec.snap
#
set -u
ulimit -c 0

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
RUNS=200 SEED=1 UEXEC="$top/src/uexec" OUT=/tmp/dfuzz TMO=5 KEEP=0 SYSBINFMT=0 NORAND=0 IPROB=0.1

usage() {
	sed -n '4,9p' "$0" >&2
	exit 2
}
while getopts n:s:u:o:t:I:kBRh opt; do
	case $opt in
	n) RUNS=$OPTARG ;;
	s) SEED=$OPTARG ;;
	u) UEXEC=$OPTARG ;;
	o) OUT=$OPTARG ;;
	t) TMO=$OPTARG ;;
	k) KEEP=1 ;;
	B) SYSBINFMT=1 ;;
	R) NORAND=1 ;;
	I) IPROB=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -eq 0 ]; then
	for p in "$top"/testprogs/{tiny,hello-static,hello-static-pie,hello-pie,hello-nopie,hello-musl-static,hello-musl-dynamic} \
		 "$top"/tests/debug/hello-i386 "$top"/tests/debug/hello-i386-dyn /bin/true; do
		[ -f "$p" ] && set -- "$@" "$p"
	done
fi
[ $# -gt 0 ] || usage
seeds=()
for f in "$@"; do
	[ -f "$f" ] || { echo "differential.sh: $f: no such file" >&2; exit 2; }
	case $f in /*) seeds+=("$f") ;; *) seeds+=("$(pwd)/$f") ;; esac
done
set -- "${seeds[@]}"
case $UEXEC in /*) ;; *) UEXEC=$(pwd)/$UEXEC ;; esac
[ -x "$UEXEC" ] || { echo "differential.sh: $UEXEC: not executable" >&2; exit 2; }
PY=$(command -v python3) || { echo "differential.sh: python3 is needed" >&2; exit 2; }

# The kernel's binfmt_misc rules: none (not mounted, or no entry but
# status and register) means uexec must not take the system's binfmt.d
# files either (qemu's rules would run a mutant the kernel refuses).
UOPTS=()
krules=0
for r in /proc/sys/fs/binfmt_misc/*; do
	case ${r##*/} in status|register|'*') ;; *) [ -e "$r" ] && krules=$((krules + 1)) ;; esac
done
[ $SYSBINFMT = 0 ] && [ $krules = 0 ] && UOPTS=(--no-system-binfmt)

mkdir -p "$OUT/found" || exit 2
W=$(mktemp -d "$OUT/run.XXXXXX") || exit 2
[ $KEEP = 1 ] && mkdir -p "$OUT/mutants"
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM

SETARCH=()
[ $NORAND = 1 ] && SETARCH=(setarch "$(uname -m)" -R)

# ---------------------------------------------------------------- xexec
cat >"$W/xexec.c" <<'EOF'
/* xexec REPORT PROG ARGS...: execv(PROG, ARGS); if that fails, the errno
 * goes to REPORT (opened close-on-exec) and the status is the shell's. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	int fd, e;

	if (argc < 3)
		return 2;
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return 2;
	execv(argv[2], argv + 2);
	e = errno;
	dprintf(fd, "%s %s\n", strerrorname_np(e) ? strerrorname_np(e) : "?", strerror(e));
	dprintf(2, "xexec: %s: %s\n", argv[2], strerror(e));
	return e == ENOENT ? 127 : 126;
}
EOF
if command -v gcc >/dev/null && gcc -O -o "$W/xexec" "$W/xexec.c" 2>/dev/null; then
	XEXEC=("$W/xexec")
else
	cat >"$W/xexec.py" <<'EOF'
import errno, os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
try:
    os.execv(sys.argv[2], sys.argv[2:])
except OSError as e:
    os.write(fd, ("%s %s\n" % (errno.errorcode.get(e.errno, "?"), os.strerror(e.errno))).encode())
    sys.stderr.write("xexec: %s: %s\n" % (sys.argv[2], os.strerror(e.errno)))
    sys.exit(127 if e.errno == errno.ENOENT else 126)
EOF
	XEXEC=("$PY" "$W/xexec.py")
fi

# ---------------------------------------------------------------- mutator
cat >"$W/mutate.py" <<'EOF'
# mutate.py SEED SEEDFILE OUTDIR START COUNT: writes OUTDIR/<base>.<i> for i
# in [START, START+COUNT) and prints "<name>\t<mutations>" for each.
import os, random, struct, sys

PT = dict(NULL=0, LOAD=1, DYNAMIC=2, INTERP=3, NOTE=4, SHLIB=5, PHDR=6, TLS=7,
          GNU_EH_FRAME=0x6474e550, GNU_STACK=0x6474e551, GNU_RELRO=0x6474e552,
          GNU_PROPERTY=0x6474e553)
PTNAME = {v: k for k, v in PT.items()}
PAGE = 0x1000
TOP = os.environb[b"DF_TOP"]  # set by the script
INTERPS = [b"/lib64/ld-linux-x86-64.so.2", b"/lib/ld-linux.so.2",
           b"/lib/ld-musl-x86_64.so.1", b"/bin/true", b"/nonexistent/ld.so",
           b"", b"/", b"/dev/null", b"/etc/passwd", b"ld.so.relative",
           TOP + b"/testprogs/tiny", TOP + b"/testprogs/hello-static-pie",
           TOP + b"/testprogs/hello-static", b"/lib64/ld-linux-x86-64.so.2/x",
           b"/tmp", b"x" * 300, b"/lib/x86_64-linux-gnu/libc.so.6"]

class Elf:
    def __init__(self, data):
        self.c64 = data[4] == 2	# the seed's own class (seeds are well-formed)
        if self.c64:
            self.EH = dict(e_type=(16, 'H'), e_machine=(18, 'H'), e_version=(20, 'I'),
                           e_entry=(24, 'Q'), e_phoff=(32, 'Q'), e_shoff=(40, 'Q'),
                           e_flags=(48, 'I'), e_ehsize=(52, 'H'), e_phentsize=(54, 'H'),
                           e_phnum=(56, 'H'), e_shentsize=(58, 'H'), e_shnum=(60, 'H'),
                           e_shstrndx=(62, 'H'))
            self.PH = dict(p_type=(0, 'I'), p_flags=(4, 'I'), p_offset=(8, 'Q'),
                           p_vaddr=(16, 'Q'), p_paddr=(24, 'Q'), p_filesz=(32, 'Q'),
                           p_memsz=(40, 'Q'), p_align=(48, 'Q'))
            self.phsz, self.bits = 56, 64
        else:
            self.EH = dict(e_type=(16, 'H'), e_machine=(18, 'H'), e_version=(20, 'I'),
                           e_entry=(24, 'I'), e_phoff=(28, 'I'), e_shoff=(32, 'I'),
                           e_flags=(36, 'I'), e_ehsize=(40, 'H'), e_phentsize=(42, 'H'),
                           e_phnum=(44, 'H'), e_shentsize=(46, 'H'), e_shnum=(48, 'H'),
                           e_shstrndx=(50, 'H'))
            self.PH = dict(p_type=(0, 'I'), p_offset=(4, 'I'), p_vaddr=(8, 'I'),
                           p_paddr=(12, 'I'), p_filesz=(16, 'I'), p_memsz=(20, 'I'),
                           p_flags=(24, 'I'), p_align=(28, 'I'))
            self.phsz, self.bits = 32, 32
        self.d = bytearray(data)
        self.phoff = self.eh('e_phoff')
        self.phnum = self.eh('e_phnum')
        self.size0 = len(data)

    def get(self, off, fmt):
        return struct.unpack_from('<' + fmt, self.d, off)[0]

    def put(self, off, fmt, v):
        mask = (1 << (8 * struct.calcsize(fmt))) - 1
        struct.pack_into('<' + fmt, self.d, off, v & mask)

    def eh(self, f):
        return self.get(*self.EH[f])

    def set_eh(self, f, v):
        off, fmt = self.EH[f]
        self.put(off, fmt, v)

    def ph_off(self, i):
        return self.phoff + i * self.phsz

    def ph(self, i, f):
        off, fmt = self.PH[f]
        return self.get(self.ph_off(i) + off, fmt)

    def set_ph(self, i, f, v):
        off, fmt = self.PH[f]
        self.put(self.ph_off(i) + off, fmt, v)

    def find(self, t):
        return [i for i in range(self.phnum) if self.ph(i, 'p_type') == t]

    def loads(self):
        return self.find(PT['LOAD'])


def num(rng, orig, bits):
    M = (1 << bits) - 1
    c = [0, 1, orig + 1, orig - 1, orig + PAGE, orig - PAGE, orig + rng.randrange(1, PAGE),
         orig - rng.randrange(1, PAGE), orig ^ (1 << rng.randrange(bits)), orig * 2, orig // 2,
         PAGE - 1, PAGE, PAGE + 1, M, M - PAGE + 1, 1 << (bits - 1), (1 << (bits - 1)) - 1,
         rng.getrandbits(bits), rng.randrange(0, 1 << 20), orig + rng.randrange(-0x10000, 0x10000),
         orig + 0x200000, 0xffffffff, 0x100000000, 0x7fffffff, 0x80000000]
    if bits == 64:
        c += [0x7ffffffff000, 0x7fffffffffff, 0x800000000000, 0xffff800000000000,
              1 << 47, (1 << 47) - PAGE, 1 << 56, 0x10000,
              # where uexec itself, its stack, ld.so or the stack may lie
              0x7ffff7000000 + rng.randrange(0, 0x1000) * PAGE,
              0x7f0000000000 + rng.getrandbits(39) & ~(PAGE - 1), 0x7ffffffde000,
              0x555555554000, 0x7fffffffe000 - rng.randrange(0, 64) * PAGE]
    return rng.choice(c) & M


def m_ehdr(e, rng):
    f = rng.choice(list(e.EH))
    o = e.eh(f)
    if f == 'e_type':
        v = rng.choice([0, 1, 2, 3, 4, 0xfe00, 0xff00, 0xffff, rng.getrandbits(16)])
    elif f == 'e_machine':
        v = rng.choice([0, 3, 62, 6, 40, 183, 0x3e00, 243, 258, rng.getrandbits(16)])
    elif f == 'e_phentsize':
        v = rng.choice([0, 1, 32, 55, 56, 57, 64, 112, 0xffff, o - 1, o + 1])
    elif f == 'e_phnum':
        v = rng.choice([0, 1, 2, o - 1, o + 1, o + 2, o * 2, 0xffff, 73, 74, 1170, 1171,
                        rng.getrandbits(16)])
    elif f == 'e_ehsize':
        v = rng.choice([0, 1, 52, 63, 64, 65, 0xffff, rng.getrandbits(16)])
    elif f in ('e_phoff', 'e_entry'):
        if f == 'e_entry' and rng.random() < 0.5 and e.loads():
            i = rng.choice(e.loads())
            va, ms = e.ph(i, 'p_vaddr'), e.ph(i, 'p_memsz')
            v = rng.choice([va, va + ms - 1, va + ms, va - 1, va + rng.randrange(0, ms + 1)])
        elif f == 'e_phoff' and rng.random() < 0.5:
            v = rng.choice([0, 1, 8, 52, 63, 64, 65, e.size0 - e.phsz, e.size0 - 1, e.size0,
                            e.size0 + PAGE, o + e.phsz, o - 1])
        else:
            v = num(rng, o, e.bits)
    else:
        v = num(rng, o, 8 * struct.calcsize(e.EH[f][1]))
    e.set_eh(f, v)
    return "%s %#x->%#x" % (f, o, v & ((1 << (8 * struct.calcsize(e.EH[f][1]))) - 1))


def m_ident(e, rng):
    i = rng.choice([4, 4, 5, 5, 6, 7, 8, 0, 1, 2, 3, 15])
    o = e.d[i]
    v = rng.choice([0, 1, 2, 3, 0xff, o ^ 1, rng.getrandbits(8)])
    e.d[i] = v
    return "e_ident[%d] %#x->%#x" % (i, o, v)


def pick_ph(e, rng):
    r = rng.random()
    ls = e.loads()
    if r < 0.5 and ls:
        return rng.choice(ls)
    return rng.randrange(e.phnum)


def ph_value(e, rng, i, f):
    o = e.ph(i, f)
    if f == 'p_type':
        return rng.choice(list(PT.values()) + [0x60000000, 0x6fffffff, 0x70000000,
                                               0xffffffff, rng.getrandbits(32)])
    if f == 'p_flags':
        return rng.choice([0, 1, 2, 3, 4, 5, 6, 7, o ^ 1, o ^ 2, o ^ 4, o | 0x80000000,
                           o | 0x0ff00000, rng.getrandbits(32)])
    if f == 'p_align':
        return rng.choice([0, 1, 2, 3, 8, 0x800, PAGE, PAGE + 1, 0x10000, 0x200000,
                           0x40000000, 1 << 47, 1 << 63, 1 << 31, o * 2, o - 1,
                           rng.getrandbits(e.bits)]) & ((1 << e.bits) - 1)
    if f in ('p_filesz', 'p_memsz'):
        if rng.random() < 0.4:
            fs, ms = e.ph(i, 'p_filesz'), e.ph(i, 'p_memsz')
            return rng.choice([fs, ms, fs + 1, ms + 1, fs - 1, max(fs, ms) * 2,
                               ms + 0x100000, ms + 0x40000000, e.size0 - e.ph(i, 'p_offset'),
                               e.size0 - e.ph(i, 'p_offset') + 1]) & ((1 << e.bits) - 1)
    if f in ('p_offset', 'p_vaddr') and rng.random() < 0.3:
        return (o + rng.choice([-1, 1, -PAGE, PAGE, 2 * PAGE, -2 * PAGE, 0x10,
                                0x200000, -0x200000])) & ((1 << e.bits) - 1)
    return num(rng, o, e.bits)


def m_phdr(e, rng):
    i = pick_ph(e, rng)
    f = rng.choice(list(e.PH) + ['p_vaddr', 'p_filesz', 'p_memsz', 'p_offset', 'p_flags'])
    o, t = e.ph(i, f), e.ph(i, 'p_type')
    v = ph_value(e, rng, i, f)
    e.set_ph(i, f, v)
    return "ph[%d](%s).%s %#x->%#x" % (i, PTNAME.get(t, '%#x' % t), f, o, v)


def m_load_shift(e, rng):
    ls = e.loads()
    if not ls:
        return m_phdr(e, rng)
    i = rng.choice(ls)
    d = rng.choice([PAGE, -PAGE, 2 * PAGE, 16 * PAGE, 0x200000, -0x200000, 0x10000000])
    what = rng.choice(['vaddr+offset', 'vaddr', 'vaddr+paddr', 'memsz-overlap'])
    M = (1 << e.bits) - 1
    if what == 'memsz-overlap':	# grow the bss over the next segments
        d = abs(d) * rng.choice([1, 8, 64])
        e.set_ph(i, 'p_memsz', e.ph(i, 'p_memsz') + d)
        return "ph[%d] LOAD p_memsz += %#x" % (i, d)
    e.set_ph(i, 'p_vaddr', (e.ph(i, 'p_vaddr') + d) & M)
    if what == 'vaddr+offset':
        e.set_ph(i, 'p_offset', (e.ph(i, 'p_offset') + d) & M)
    if what == 'vaddr+paddr':
        e.set_ph(i, 'p_paddr', (e.ph(i, 'p_paddr') + d) & M)
    return "ph[%d] LOAD %s %+#x" % (i, what, d)


def m_shift_all(e, rng):
    # every PT_LOAD (and the entry) moved by one delta, the image kept whole:
    # a static PIE still runs anywhere, even as an ET_EXEC; targets where
    # uexec, the stack, the vDSO or the mmap area's top lie (setarch -R)
    ls = e.loads()
    if not ls:
        return m_phdr(e, rng)
    M = (1 << e.bits) - 1
    lo = min(e.ph(i, 'p_vaddr') for i in ls) & ~(PAGE - 1)
    if e.bits == 64:
        t = rng.choice([0, PAGE, 0x10000, 0x400000, 0x555555554000, 0x7ffff7f46000,
                        0x7ffff7000000 + rng.randrange(0, 0x1000) * PAGE, 0x7ffff7fc0000,
                        0x7fffff000000, 0x7ffffffde000, 0x7ffff7fff000, (1 << 47) - 0x100000,
                        rng.getrandbits(47) & ~(PAGE - 1)])
    else:
        t = rng.choice([0, PAGE, 0x10000, 0x8048000, 0x56555000, 0xf7fc0000, 0xf7ff0000,
                        0xfffdd000, 0xffffe000, rng.getrandbits(32) & ~(PAGE - 1)])
    d = (t - lo) & M
    for i in ls:
        e.set_ph(i, 'p_vaddr', (e.ph(i, 'p_vaddr') + d) & M)
        e.set_ph(i, 'p_paddr', (e.ph(i, 'p_paddr') + d) & M)
    for i in e.find(PT['TLS']) + e.find(PT['GNU_RELRO']) + e.find(PT['DYNAMIC']) + e.find(PT['PHDR']):
        e.set_ph(i, 'p_vaddr', (e.ph(i, 'p_vaddr') + d) & M)
    what = "image at %#x" % t
    if rng.random() < 0.8:
        e.set_eh('e_entry', e.eh('e_entry') + d)
        what += " (entry too)"
    if rng.random() < 0.4:
        ty = 2 if e.eh('e_type') == 3 else 3
        e.set_eh('e_type', ty)
        what += " as %s" % ("ET_EXEC" if ty == 2 else "ET_DYN")
    return what


def m_swap(e, rng):
    if e.phnum < 2:
        return m_phdr(e, rng)
    i, j = rng.sample(range(e.phnum), 2)
    a, b = e.ph_off(i), e.ph_off(j)
    pi, pj = bytes(e.d[a:a + e.phsz]), bytes(e.d[b:b + e.phsz])
    if rng.random() < 0.5:
        e.d[a:a + e.phsz], e.d[b:b + e.phsz] = pj, pi
        return "swap ph[%d]<->ph[%d] (%s,%s)" % (i, j, PTNAME.get(struct.unpack_from('<I', pi)[0], '?'),
                                                PTNAME.get(struct.unpack_from('<I', pj)[0], '?'))
    e.d[b:b + e.phsz] = pi
    return "copy ph[%d](%s) over ph[%d](%s)" % (i, PTNAME.get(struct.unpack_from('<I', pi)[0], '?'), j,
                                               PTNAME.get(struct.unpack_from('<I', pj)[0], '?'))


def spare_ph(e, rng, prefer=('NOTE', 'GNU_PROPERTY', 'GNU_EH_FRAME', 'GNU_RELRO', 'NULL', 'TLS')):
    for t in prefer:
        c = e.find(PT[t])
        if c:
            return rng.choice(c)
    return None


def m_interp(e, rng):
    ii = e.find(PT['INTERP'])
    r = rng.random()
    if not ii or r < 0.25:
        i = ii[0] if ii else spare_ph(e, rng)
        if i is None:
            return m_phdr(e, rng)
        s = rng.choice(INTERPS)
        nul = rng.random() < 0.85
        off = len(e.d)
        e.d += s + (b"\0" if nul else b"")
        if rng.random() < 0.2:
            e.d += b"\0garbage\0"
        e.set_ph(i, 'p_type', PT['INTERP'])
        e.set_ph(i, 'p_offset', off)
        e.set_ph(i, 'p_filesz', len(s) + (1 if nul else 0))
        return "ph[%d] INTERP=%r%s (appended)" % (i, s[:40], "" if nul else " no NUL")
    i = ii[0]
    off, fs = e.ph(i, 'p_offset'), e.ph(i, 'p_filesz')
    r = rng.random()
    if (fs == 0 or off + fs > len(e.d)) and r < 0.5:
        r = 0.5	# an earlier mutation moved the string off the file
    if r < 0.3:
        s = rng.choice(INTERPS)
        if len(s) + 1 <= fs:
            e.d[off:off + len(s) + 1] = s + b"\0"
            return "ph[%d] INTERP=%r (in place)" % (i, s[:40])
        e.d[off + fs - 1] = 0x41
        return "ph[%d] INTERP last byte 'A' (no NUL)" % i
    if r < 0.5:
        k = rng.randrange(fs)
        o = e.d[off + k]
        e.d[off + k] = rng.choice([0, 0x2f, 0x41, o ^ 0x20])
        return "ph[%d] INTERP[%d] %#x->%#x" % (i, k, o, e.d[off + k])
    if r < 0.75:
        v = rng.choice([0, 1, 2, fs - 1, fs + 1, fs + 100, 4096, 4097, 0x10000, 1 << 32, (1 << e.bits) - 1])
        e.set_ph(i, 'p_filesz', v)
        return "ph[%d] INTERP p_filesz %#x->%#x" % (i, fs, v & ((1 << e.bits) - 1))
    v = rng.choice([0, off + 1, off - 1, len(e.d) - 1, len(e.d), len(e.d) + 10, 1 << 40, (1 << e.bits) - 1])
    e.set_ph(i, 'p_offset', v)
    return "ph[%d] INTERP p_offset %#x->%#x" % (i, off, v & ((1 << e.bits) - 1))


def m_stack(e, rng):
    gs = e.find(PT['GNU_STACK'])
    r = rng.random()
    if not gs or r < 0.2:
        i = spare_ph(e, rng)
        if i is None:
            return m_phdr(e, rng)
        fl = rng.choice([6, 7, 0, 1])
        e.set_ph(i, 'p_type', PT['GNU_STACK'])
        e.set_ph(i, 'p_flags', fl)
        return "ph[%d] -> GNU_STACK flags %d" % (i, fl)
    i = gs[0]
    if r < 0.45:
        e.set_ph(i, 'p_type', rng.choice([0, 4, 0x6474e550]))
        return "ph[%d] GNU_STACK removed" % i
    o = e.ph(i, 'p_flags')
    fl = rng.choice([0, 1, 2, 4, 5, 7, 7, o | 0x80000000])
    e.set_ph(i, 'p_flags', fl)
    return "ph[%d] GNU_STACK flags %#x->%#x" % (i, o, fl)


def m_property(e, rng):
    gp = e.find(PT['GNU_PROPERTY'])
    if not gp or rng.random() < 0.15:
        i = spare_ph(e, rng, ('NOTE', 'NULL', 'GNU_EH_FRAME'))
        if i is None:
            return m_phdr(e, rng)
        # a note appended: namesz 4 "GNU", type 5, one x86 feature property
        al = 8 if e.c64 else 4
        desc = struct.pack('<II', 0xc0000002, 4) + struct.pack('<I', rng.getrandbits(32))
        desc += b"\0" * ((-len(desc)) % al)
        note = struct.pack('<III', 4, len(desc), 5) + b"GNU\0" + desc
        off = len(e.d)
        off_pad = (-off) % al
        e.d += b"\0" * off_pad + note
        e.set_ph(i, 'p_type', PT['GNU_PROPERTY'])
        e.set_ph(i, 'p_offset', off + off_pad)
        e.set_ph(i, 'p_filesz', len(note))
        return "ph[%d] -> GNU_PROPERTY (appended note)" % i
    i = gp[0]
    off, fs = e.ph(i, 'p_offset'), e.ph(i, 'p_filesz')
    r = rng.random()
    if r < 0.6 and off + 16 < len(e.d):
        k = rng.choice([0, 4, 8, 12, 16, 20, 24, 28, 32])
        if off + k + 4 <= len(e.d):
            o = e.get(off + k, 'I')
            v = rng.choice([0, 1, 3, 4, 5, 0xffffffff, 0xc0000002, 0xc0000000, 0xc0008002,
                            o + 1, o - 1, o + 8, rng.getrandbits(32)])
            e.put(off + k, 'I', v)
            return "GNU_PROPERTY note word +%d %#x->%#x" % (k, o, v & 0xffffffff)
    f = rng.choice(['p_filesz', 'p_offset'])
    o = e.ph(i, f)
    v = rng.choice([0, 1, 12, 16, o + 1, o - 1, 1024, 1025, 0x10000, len(e.d), (1 << e.bits) - 1])
    e.set_ph(i, f, v)
    return "ph[%d] GNU_PROPERTY %s %#x->%#x" % (i, f, o, v & ((1 << e.bits) - 1))


def m_flip(e, rng):
    end = min(len(e.d), max(e.phoff + e.phnum * e.phsz, 64))
    out = []
    for _ in range(rng.choice([1, 1, 2, 4])):
        k = rng.randrange(end)
        b = 1 << rng.randrange(8)
        e.d[k] ^= b
        out.append("%#x^%#x" % (k, b))
    return "flip " + ",".join(out)


def m_trunc(e, rng):
    L = len(e.d)
    c = [0, 1, 4, 15, 16, 17, 51, 52, 53, 63, 64, e.phoff + e.phsz - 1,
         e.phoff + e.phnum * e.phsz - 1, e.phoff + e.phnum * e.phsz, L - 1, L // 2,
         rng.randrange(L)]
    for i in e.loads():
        o, f = e.ph(i, 'p_offset'), e.ph(i, 'p_filesz')
        c += [o, o + 1, o + f - 1, o + f // 2, (o + f) & ~(PAGE - 1)]
    n = max(0, min(L - 1, rng.choice(c)))
    del e.d[n:]
    return "truncate to %d of %d" % (n, L)


MUT = [(m_ehdr, 18), (m_ident, 4), (m_phdr, 30), (m_load_shift, 8), (m_swap, 5), (m_shift_all, 6),
       (m_interp, 8), (m_stack, 5), (m_property, 4), (m_flip, 8)]


def mutate(data, rng):
    e = Elf(data)
    n = rng.choices([1, 2, 3], [6, 3, 1])[0]
    desc = []
    for _ in range(n):
        if rng.random() < 0.07:
            desc.append(m_trunc(e, rng))
            break
        fn = rng.choices([m for m, _ in MUT], [w for _, w in MUT])[0]
        try:
            desc.append(fn(e, rng))
        except (IndexError, ValueError, struct.error) as x:	# a header gone odd
            desc.append("%s skipped (%s)" % (fn.__name__, x))
    return bytes(e.d), "; ".join(desc)


# Interpreters to mutate (interp mode): the program keeps its own headers
# (or gets one mutation more) and its PT_INTERP names "./NAME.interp", a
# mutated copy of one of these, so the interpreter's checks are exercised.
INTERP_BASES = {True: [b"/lib64/ld-linux-x86-64.so.2", b"/lib64/ld-linux-x86-64.so.2",
                       TOP + b"/testprogs/hello-static-pie", TOP + b"/testprogs/tiny",
                       b"/lib/ld-musl-x86_64.so.1"],
                False: [b"/lib/ld-linux.so.2"]}


def set_interp(e, rng, path):
    ii = e.find(PT['INTERP'])
    i = ii[0] if ii else spare_ph(e, rng)
    if i is None:
        return False
    off = len(e.d)
    e.d += path + b"\0"
    e.set_ph(i, 'p_type', PT['INTERP'])
    e.set_ph(i, 'p_offset', off)
    e.set_ph(i, 'p_filesz', len(path) + 1)
    return True


def main():
    seed, src, outdir, start, count = sys.argv[1:6]
    iprob = float(sys.argv[6]) if len(sys.argv) > 6 else 0.0
    data = open(src, 'rb').read()
    base = os.path.basename(src)
    for i in range(int(start), int(start) + int(count)):
        rng = random.Random("%s/%s/%d" % (seed, base, i))
        name = "%s.%d" % (base, i)
        interp = None
        if rng.random() < iprob:
            e = Elf(data)
            ibase = rng.choice([p for p in INTERP_BASES[e.c64] if os.path.exists(p)])
            if set_interp(e, rng, b"./" + name.encode() + b".interp"):
                interp, idesc = mutate(open(ibase, 'rb').read(), rng)
                desc = "interp ./%s.interp = %s mutated: %s" % (name, ibase.decode(), idesc)
                m = bytes(e.d)
                if rng.random() < 0.25:
                    m, pdesc = mutate(m, rng)
                    desc += " || program: " + pdesc
        if interp is None:
            m, desc = mutate(data, rng)
        p = os.path.join(outdir, name)
        with open(p, 'wb') as f:
            f.write(m)
        os.chmod(p, 0o755)
        if interp is not None:
            with open(p + ".interp", 'wb') as f:
                f.write(interp)
            os.chmod(p + ".interp", 0o755)
        print("%s\t%s" % (name, desc))

main()
EOF

# ---------------------------------------------------------------- runs
# Status, stdout, stderr and time of one run: R_st R_t (seconds, float).
run_one() {	# OUTPREFIX CMD...
	local pre=$1 t0 t1
	shift
	t0=$EPOCHREALTIME
	{ timeout -k 1 "$TMO" "${SETARCH[@]}" "$@" </dev/null >"$pre.out" 2>"$pre.err"; } 2>/dev/null
	R_st=$?	# (the outer 2>/dev/null: bash's own "Segmentation fault" notice)
	t1=$EPOCHREALTIME
	R_t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
}

hung() {	# STATUS TIME
	[ "$1" = 124 ] && return 0
	[ "$1" = 137 ] && awk -v t="$2" -v m="$TMO" 'BEGIN { exit !(t >= m) }'
}

# Kernel: K_cls (refused|exited|signal|hang) K_det (errno, status, signal)
classify_kernel() {
	if [ -s "$D/k.report" ]; then
		K_cls=refused K_det=$(cut -d' ' -f1 "$D/k.report")
	elif hung "$K_st" "$K_t"; then
		K_cls=hang K_det=timeout
	elif [ "$K_st" -gt 128 ]; then
		K_cls=signal K_det=$((K_st - 128))
	else
		K_cls=exited K_det=$K_st
	fi
}

# uexec's passage of the point of no return, by a second run traced with
# --debug=exec into a file (its first lines come from commit.c).
uexec_passed_ponr() {
	rm -f "$D/u.trace"
	{ timeout -k 1 "$TMO" "${SETARCH[@]}" "$UEXEC" "${UOPTS[@]}" --debug=exec,errors --debug-file="$D/u.trace" \
		./"$name" 7 fuzz </dev/null >/dev/null 2>&1; } 2>/dev/null
	# "shared-vm" comes before the handlers; "signals" is flush_signal_handlers()
	grep -qE '^uexec: exec: (signals|robust|descriptors|rseq)' "$D/u.trace" 2>/dev/null
}

one_line_refusal() {
	[ "$(wc -l <"$D/u.err")" = 1 ] && [ "$(wc -c <"$D/u.err")" -le 4096 ] &&
		head -c 7 "$D/u.err" | grep -q '^uexec: ' && [ ! -s "$D/u.out" ] &&
		LC_ALL=C grep -q '^[[:print:]]*$' "$D/u.err"
}

# uexec: U_cls (refused|refused-bad|ponr|exited|signal|hang) U_det
classify_uexec() {
	U_ponr=
	if hung "$U_st" "$U_t"; then
		U_cls=hang U_det=timeout
	elif [ "$U_st" -gt 128 ]; then
		U_cls=signal U_det=$((U_st - 128))
		uexec_passed_ponr && U_ponr=after-ponr || U_ponr=before-ponr
	elif [ "$U_st" = 126 ] || [ "$U_st" = 127 ]; then
		if [ "$K_cls" = exited ] && [ "$K_det" = "$U_st" ] && cmp -s "$D/k.out" "$D/u.out"; then
			U_cls=exited U_det=$U_st	# the program's own status
		elif ! one_line_refusal; then
			U_cls=refused-bad U_det=$U_st
		elif [ "$U_st" = 127 ] && ! grep -q 'No such file or directory' "$D/u.err" &&
		     uexec_passed_ponr; then
			U_cls=ponr U_det=127
		else
			U_cls=refused U_det=$U_st
		fi
	else
		U_cls=exited U_det=$U_st
	fi
}

documented_refusal() {
	grep -qE 'PT_LOAD [0-9]+: file bytes .* lie outside the file|are not congruent modulo the page size|PT_LOAD [0-9]+ at .* is below the (previous|first) one|no PT_LOAD segment|entry point .* is outside every executable PT_LOAD segment|an executable stack|initial stack .* exceeds RLIMIT_STACK|p_filesz .* > p_memsz|overflows the user address space|overlaps another part of the new image|\(ET_EXEC or ET_DYN\)|Cannot allocate memory|no room for' "$D/u.err"
}

verdict() {
	if grep -q '^timeout: failed to run command' "$D/u.err"; then
		V=harness-error	# UEXEC itself could not be started
		return
	fi
	case $K_cls/$U_cls in
	hang/hang) V=same-hang ;;
	signal/exited) V=differs ;;	# the kernel's run dies, uexec's exits
	*/hang) V=uexec-hang ;;
	*/refused-bad) V=refusal-not-one-line ;;
	refused/refused)	# uexec's CLI: 127 for ENOENT and ENOTDIR (as dash), 126 else
		case $K_det in ENOENT|ENOTDIR) want=127 ;; *) want=126 ;; esac
		if [ "$want" = "$U_st" ]; then V=same-refused; else V=status-differs; fi ;;
	refused/ponr) V=ponr-kernel-refuses ;;
	signal/ponr) V=ponr-both ;;
	*/ponr) V=ponr-kernel-runs ;;
	refused/*) V=runs-kernel-refuses ;;
	signal/signal)
		if [ "$K_det" = "$U_det" ]; then V=same-signal; else V=uexec-signal; fi ;;
	*/signal) V=uexec-signal ;;
	*/refused)
		if documented_refusal; then V=documented-refusal
		elif [ "$K_cls" = exited ]; then V=refuses-kernel-runs
		else V=undocumented-refusal; fi ;;
	hang/*) V=kernel-hang-only ;;
	exited/exited)
		if [ "$K_det" = "$U_det" ] && cmp -s "$D/k.out" "$D/u.out"; then V=same-ran
		else V=differs; fi ;;
	*) V=unknown ;;
	esac
}

# One run's outcome in a word: refused, hang, signal:N, exit:S:<stdout sum>.
outcome() {	# kernel|uexec PREFIX
	local st=$R_st
	if [ "$1" = kernel ] && [ -s "$2.report" ]; then echo refused
	elif hung "$st" "$R_t"; then echo hang
	elif [ "$st" -gt 128 ]; then echo "signal:$((st - 128))"
	elif [ "$1" = uexec ] && { [ "$st" = 126 ] || [ "$st" = 127 ]; } &&
	     head -c 7 "$2.err" | grep -q '^uexec: '; then echo refused
	else echo "exit:$st:$(cksum <"$2.out" | cut -d' ' -f1)"
	fi
}

# A candidate whose runs vary: two more runs of each side; when an outcome
# of one side is among the other's, the difference is the program's own
# nondeterminism (a mutated entry jumping into code that reads the stack or
# the randomised addresses), not uexec's.  RECHECK_K and RECHECK_U list them.
recheck() {
	local ko uo r
	rm -f "$D/r.report"
	R_st=$K_st R_t=$K_t; cp "$D/k.out" "$D/r.out"; cp "$D/k.report" "$D/r.report" 2>/dev/null
	ko=" $(outcome kernel "$D/r") "
	R_st=$U_st R_t=$U_t; cp "$D/u.out" "$D/r.out"; cp "$D/u.err" "$D/r.err"
	uo=" $(outcome uexec "$D/r") "
	for r in 1 2; do
		rm -f "$D/r.report"
		run_one "$D/r" "${XEXEC[@]}" "$D/r.report" ./"$name" 7 fuzz
		ko="$ko$(outcome kernel "$D/r") "
		run_one "$D/r" "$UEXEC" "${UOPTS[@]}" ./"$name" 7 fuzz
		uo="$uo$(outcome uexec "$D/r") "
	done
	RECHECK_K=$ko RECHECK_U=$uo
	for r in $ko; do
		case $uo in *" $r "*) return 0 ;; esac
	done
	return 1
}

is_violation() {
	case $1 in
	uexec-signal|refusal-not-one-line|ponr-kernel-refuses|ponr-kernel-runs|uexec-hang|\
	runs-kernel-refuses|refuses-kernel-runs|differs|status-differs) return 0 ;;
	esac
	return 1
}

declare -A COUNT SAVED KCOUNT UCOUNT
FOUND=()
NSAVE=8	# reproducers kept per (class, seed file, first mutation kind)
describe() {	# the two outcomes, for NAME.txt
	echo "mutant: $name (seed file $seedfile, -s $SEED)"
	echo "mutation: $desc"
	echo "verdict: $V"
	echo "reproduce: cd $OUT/found/$V && export HELLO=fuzz &&"
	[ $NORAND = 1 ] && echo "  (both under: ${SETARCH[*]})"
	echo "  kernel: python3 -c 'import os; os.execv(\"./$name\", [\"./$name\", \"7\", \"fuzz\"])' </dev/null; echo \$?"
	echo "  uexec:  $UEXEC ${UOPTS[*]} ./$name 7 fuzz </dev/null; echo \$?"
	echo
	echo "== kernel: $K_cls $K_det (status $K_st, ${K_t}s)"
	[ -s "$D/k.report" ] && echo "execve errno: $(cat "$D/k.report")"
	echo "-- stdout:"; head -c 2000 "$D/k.out"
	echo "-- stderr:"; head -c 2000 "$D/k.err"
	echo
	echo "== uexec: $U_cls $U_det (status $U_st, ${U_t}s) ${U_ponr}"
	echo "-- stdout:"; head -c 2000 "$D/u.out"
	echo "-- stderr:"; head -c 2000 "$D/u.err"
	if [ -s "$D/u.trace" ]; then echo "-- --debug=exec,errors trace:"; head -c 4000 "$D/u.trace"; fi
	if [ -n "$RECHECK_K" ]; then
		echo; echo "== three runs each: kernel:$RECHECK_K| uexec:$RECHECK_U"
	fi
}

D="$W/cur"
mkdir -p "$D"
RES="$OUT/results.tsv"
[ -s "$RES" ] || printf 'mutant\tverdict\tkernel\tkst\tuexec\tust\tuexec_stderr\tmutation\n' >"$RES"
export HELLO=fuzz DF_TOP="$top"
start=$EPOCHREALTIME
total=0
BATCH=50
for seedfile in "$@"; do
	sbase=$(basename "$seedfile")
	i=0
	while [ $i -lt "$RUNS" ]; do
		n=$((RUNS - i < BATCH ? RUNS - i : BATCH))
		rm -f "$D"/*.*
		if ! "$PY" "$W/mutate.py" "$SEED" "$seedfile" "$D" "$i" "$n" "$IPROB" >"$W/manifest"; then
			echo "differential.sh: the mutator failed on $seedfile [$i, $((i + n))): batch skipped" >&2
			COUNT[generator-error]=$(( ${COUNT[generator-error]:-0} + n - $(wc -l <"$W/manifest") ))
		fi
		cd "$D" || exit 2
		while IFS=$'\t' read -r name desc; do
			rm -f k.report u.trace
			run_one "$D/k" "${XEXEC[@]}" "$D/k.report" ./"$name" 7 fuzz
			K_st=$R_st K_t=$R_t
			classify_kernel
			run_one "$D/u" "$UEXEC" "${UOPTS[@]}" ./"$name" 7 fuzz
			U_st=$R_st U_t=$R_t
			classify_uexec
			verdict
			RECHECK_K='' RECHECK_U=''
			case $V in
			uexec-signal|uexec-hang|differs|kernel-hang-only|runs-kernel-refuses)
				recheck && V=nondeterministic ;;
			esac
			COUNT[$V]=$(( ${COUNT[$V]:-0} + 1 ))
			KCOUNT["$K_cls"]=$(( ${KCOUNT["$K_cls"]:-0} + 1 ))
			UCOUNT["$U_cls"]=$(( ${UCOUNT["$U_cls"]:-0} + 1 ))
			total=$((total + 1))
			uerr=$(head -c 300 u.err | tr '\t\n' '  ')
			printf '%s\t%s\t%s %s\t%s\t%s %s\t%s\t%s\t%s\n' "$name" "$V" "$K_cls" "$K_det" "$K_st" \
				"$U_cls" "$U_det" "$U_st" "$uerr" "$desc" >>"$RES"
			key="$V/$sbase/${desc%% *}"
			case $V in same-*|documented-refusal) keep=0 ;; *) keep=1 ;; esac
			if [ $keep = 1 ] &&
			   [ "${SAVED[$key]:-0}" -lt $NSAVE ]; then
				SAVED[$key]=$(( ${SAVED[$key]:-0} + 1 ))
				mkdir -p "$OUT/found/$V"
				cp "$name" "$OUT/found/$V/$name"
				[ -f "$name.interp" ] && cp "$name.interp" "$OUT/found/$V/"
				describe >"$OUT/found/$V/$name.txt"
				FOUND+=("$OUT/found/$V/$name")
			fi
			[ $KEEP = 1 ] && cp "$name" "$name".interp "$OUT/mutants/" 2>/dev/null
			rm -f "$name" "$name.interp"
		done <"$W/manifest"
		cd "$OUT" || exit 2
		i=$((i + n))
	done
	echo "differential.sh: $sbase: $RUNS mutants done ($total in all)" >&2
done
end=$EPOCHREALTIME

echo "== $total mutants, $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }') s, seed $SEED, uexec $UEXEC ${UOPTS[*]}${SETARCH[*]:+, under ${SETARCH[*]}}"
for v in same-ran same-signal same-refused same-hang documented-refusal undocumented-refusal \
	 ponr-both kernel-hang-only uexec-signal refusal-not-one-line ponr-kernel-refuses \
	 ponr-kernel-runs uexec-hang runs-kernel-refuses refuses-kernel-runs differs status-differs \
	 nondeterministic harness-error generator-error unknown; do
	c=${COUNT[$v]:-0}
	if is_violation "$v"; then tag="VIOLATION"; else tag="ok"; fi
	case $v in undocumented-refusal|ponr-both|kernel-hang-only|nondeterministic) tag="listed" ;;
	harness-error|generator-error) tag="ERROR" ;; esac
	printf '%-22s %6d  %s\n' "$v" "$c" "$tag"
done
printf 'kernel outcomes:'; for c in "${!KCOUNT[@]}"; do printf ' %s %d' "$c" "${KCOUNT[$c]}"; done; echo
printf 'uexec outcomes: '; for c in "${!UCOUNT[@]}"; do printf ' %s %d' "$c" "${UCOUNT[$c]}"; done; echo
echo "== reproducers (results: $RES):"
for f in "${FOUND[@]}"; do echo "$f  ($(sed -n 's/^mutation: //p' "$f.txt" | cut -c1-100))"; done
bad=0
for v in "${!COUNT[@]}"; do is_violation "$v" && bad=1; done
exit $bad
