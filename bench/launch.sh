#!/bin/sh
# bench/launch.sh: the cost of a launch through uexec against the kernel's
# own exec of the same program, measured in the same run with hyperfine.
# Usage: bench/launch.sh [UEXEC [PROGRAM [ARGS...]]]
# Defaults: ./src/uexec and testprogs/hello-static.  Prints both means and the
# ratio uexec/kernel.  Needs hyperfine (Debian package hyperfine).
set -eu
uexec=${1:-./src/uexec}
[ $# -gt 0 ] && shift
prog=${1:-./testprogs/hello-static}
[ $# -gt 0 ] && shift
command -v hyperfine >/dev/null || { echo "bench: hyperfine is not installed" >&2; exit 2; }
json=$(mktemp)
trap 'rm -f "$json"' EXIT
hyperfine -N -i --warmup 20 --min-runs 300 --export-json "$json" \
	"$prog $*" "$uexec $prog $*" >&2
python3 - "$json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
k, u = r[0]["mean"], r[1]["mean"]
print(f"kernel exec: {k*1e6:.0f} us   uexec: {u*1e6:.0f} us   ratio uexec/kernel: {u/k:.2f}")
PY
