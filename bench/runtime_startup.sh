#!/usr/bin/env bash
# Start-up time of a hello-world script on the host: kiln-runtime against node, median
# of N runs each (process start to exit, measured around the whole process).
# FIXME: kiln-runtime has no V8 startup snapshot yet; when it does, add a row for it.
#
#   bench/runtime_startup.sh [N]     (default 20; needs a build: scripts/build)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${KILN_BUILD_DIR:-$root/build}
runs=${1:-20}
script=$root/examples/hello/index.js

median_ms() {  # median_ms COMMAND...: median wall time of N runs, in ms
  local times=()
  for _ in $(seq "$runs"); do
    local start=$EPOCHREALTIME
    "$@" >/dev/null
    times+=("$(awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.1f", (e - s) * 1000 }')")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "hello world start-up on the host, $runs runs (median):"
echo "  kiln-runtime (no snapshot): $(median_ms "$build/runtime/kiln-runtime" "$script") ms"
if command -v node >/dev/null; then
  echo "  node $(node --version):            $(median_ms node "$script") ms"
fi
