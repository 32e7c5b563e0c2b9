#!/usr/bin/env bash
# Start-up time of a hello-world script on the host: kiln-runtime with its V8 startup
# snapshot (runtime/snapshot/), kiln-runtime --no-snapshot (js-lib compiled and run at
# start) and node; median of N runs each (process start to exit, measured around the
# whole process). The three are interleaved run by run, so that load from elsewhere on
# the machine hits them alike; `uptime` before and after says how loaded it was.
# With valgrind installed, also the instructions one run executes (callgrind), which
# other load does not change at all (node's count includes its helper threads).
#
#   bench/runtime_startup.sh [N]     (default 20; needs a build: scripts/build)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${KILN_BUILD_DIR:-$root/build}
runs=${1:-20}
script=$root/examples/hello/index.js

# run_ms COMMAND...: "<wall ms> <cpu ms>" of one run; CPU is user + system time, which
# load from other processes disturbs less than wall time.
run_ms() {
  local TIMEFORMAT='%3R %3U %3S' timing
  timing=$({ time "$@" >/dev/null; } 2>&1)
  awk '{ printf "%.1f %.1f\n", $1 * 1000, ($2 + $3) * 1000 }' <<<"$timing"
}

median() {  # median FILE COLUMN: the median of that column of FILE
  awk -v c="$2" '{ print $c }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

report() {  # report LABEL FILE
  printf '  %-28s %6s ms wall, %6s ms CPU\n' "$1" "$(median "$2" 1)" "$(median "$2" 2)"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
runtime=$build/runtime/kiln-runtime
has_node=0
command -v node >/dev/null && has_node=1

echo "load before: $(uptime | sed 's/.*load average/load average/')"
for _ in $(seq "$runs"); do
  run_ms "$runtime" "$script" >>"$work/snapshot"
  run_ms "$runtime" --no-snapshot "$script" >>"$work/no-snapshot"
  [ "$has_node" -eq 0 ] || run_ms node "$script" >>"$work/node"
done
echo "load after:  $(uptime | sed 's/.*load average/load average/')"

echo "hello world start-up on the host, $runs runs (median):"
report "kiln-runtime (snapshot):" "$work/snapshot"
report "kiln-runtime --no-snapshot:" "$work/no-snapshot"
[ "$has_node" -eq 0 ] || report "node $(node --version):" "$work/node"

if command -v valgrind >/dev/null; then
  instructions() {  # instructions COMMAND...: instructions executed by one run
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null \
      | awk '/Collected/ { printf "%.1f M", $NF / 1e6 }'
  }
  echo "instructions per run (callgrind):"
  echo "  kiln-runtime (snapshot):    $(instructions "$runtime" "$script")"
  echo "  kiln-runtime --no-snapshot: $(instructions "$runtime" --no-snapshot "$script")"
  [ "$has_node" -eq 0 ] || echo "  node $(node --version):            $(instructions node "$script")"
fi
