#!/bin/sh
# bench/faults.sh [CASE] [RUNS]: where uexec's page faults are, by the code
# that takes them, in the children of one launchbench case (default
# "library, static program$", 20 pairs).  Counts, not times: noise does not
# change them.  Prints, for the uexec children only, the mean faults a child
# takes before the program's own comm is set (uexec's part), by symbol.
# Needs perf (Debian package linux-perf) with the page-faults software event.
set -eu
cd "$(dirname "$0")/.."
case_=${1:-library, static program\$}
runs=${2:-20}
command -v perf >/dev/null || { echo "bench/faults.sh: perf not found (Debian package linux-perf)" >&2; exit 2; }
make -s src/uexec bench/launchbench bench/exit0-static bench/exit0-dynamic >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
LAUNCHBENCH_ONLY=$case_ perf record -q -e page-faults -c 1 -d -o "$tmp/pf.data" \
	./bench/launchbench "$PWD/src/uexec" "$PWD/bench/exit0-static" \
	"$PWD/bench/exit0-dynamic" "$runs" >"$tmp/bench.out"
cat "$tmp/bench.out"
perf script -i "$tmp/pf.data" -F comm,pid,ip,sym 2>/dev/null >"$tmp/pf.txt"
# The parent is the pid with the most faults; a uexec child is one that
# faulted in a uexec_ function; its faults under launchbench's comm are
# those before uexec names the process after the program.
parent=$(awk '{print $2}' "$tmp/pf.txt" | sort | uniq -c | sort -rn | awk 'NR == 1 {print $2}')
awk -v P="$parent" '$2 != P && $NF ~ /^uexec_/ {print $2}' "$tmp/pf.txt" | sort -u >"$tmp/upids"
n=$(wc -l <"$tmp/upids")
[ "$n" -gt 0 ] || { echo "bench/faults.sh: no uexec child found (is perf allowed to sample?)" >&2; exit 1; }
awk -v P="$parent" 'NR == FNR {u[$1] = 1; next}
	$2 != P && ($2 in u) && $1 == "launchbench" {print $NF}' "$tmp/upids" "$tmp/pf.txt" |
	sort | uniq -c | sort -rn |
	awk -v n="$n" '{printf "%6.1f  %s\n", $1 / n, $2; t += $1}
		END {printf "%6.1f  faults a uexec child takes before the program starts (%d children)\n", t / n, n}'
