#!/usr/bin/env bash
# kiln:disk throughput (bench/disk_io/main.js): 4 KiB random reads and writes at queue
# depth 1 and 64, write+flush round trips, 1 MiB sequential writes; on a 64 MiB disk, in
# the VM (kiln run --disk; TCG here) and with kiln-runtime on the host against a file.
#
#   bench/disk_io.sh     (BENCH_SECONDS per measurement, default 3)
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${KILN_BUILD_DIR:-$root/build}
app=$root/bench/disk_io
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "### kiln:disk in the VM (kiln run --disk, 64 MiB file in $(dirname "$work"))"
echo '| measurement | result |'
echo '| --- | --- |'
"$build/cli/kiln" run --no-net --disk "$work/vm.img:64M" ${BENCH_SECONDS:+--env BENCH_SECONDS=$BENCH_SECONDS} "$app" 2>/dev/null |
  grep '^|'
echo
echo "### kiln:disk on the host (kiln-runtime, KILN_DISKS, 64 MiB file in $(dirname "$work"))"
echo '| measurement | result |'
echo '| --- | --- |'
truncate -s 64M "$work/host.img"
KILN_DISKS="vda=$work/host.img" "$build/runtime/kiln-runtime" "$app/main.js" | grep '^|'
