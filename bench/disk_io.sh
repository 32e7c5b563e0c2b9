#!/usr/bin/env bash
# Disk throughput from JS through kiln:disk, side by side in one run: bench/disk-io in the
# VM (`kiln run --disk FILE`, virtio-blk) and the same script on the host runtime against
# the same file (KILN_DISKS). 4 KiB random reads and writes with 32 requests in flight,
# sequential 1 MiB reads and writes; writes include the final flush.
#
#   bench/disk_io.sh [SIZE]     (disk file size, default 256M; SECONDS_PER_TEST=3 DEPTH=32)
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${KILN_BUILD_DIR:-$root/build}
app=$root/bench/disk-io
size=${1:-256M}
work=$(mktemp -d "$build/disk-io.XXXXXX")
trap 'rm -rf "$work"' EXIT
file=$work/disk.img
truncate -s "$size" "$file"

"$build/cli/kiln" run -m 256M --disk "$file" "$app" >"$work/vm.txt" 2>&1 || { cat "$work/vm.txt"; exit 1; }
KILN_DISKS=vda=$file "$build/runtime/kiln-runtime" "$app/index.js" >"$work/host.txt" 2>&1 \
  || { cat "$work/host.txt"; exit 1; }

value() { awk -v m="$2" '$1 == "disk-io:" && $2 == m {print $3 " " $4}' "$1"; }
echo "kiln:disk on a $size file, $(nproc) CPUs; $(uptime | sed 's/.*load/load/')"
echo
echo '| measure | Kiln VM (virtio-blk) | kiln-runtime on the host |'
echo '| --- | --- | --- |'
for m in random-read-4k random-write-4k sequential-read sequential-write; do
  echo "| $m | $(value "$work/vm.txt" "$m") | $(value "$work/host.txt" "$m") |"
done
