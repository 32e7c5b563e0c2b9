#!/usr/bin/env bash
# 4 KiB random reads on a 64 MiB virtio-blk disk inside the VM: blocking pread, Linux AIO
# with one request in flight, and with 32 in flight (tests/boot/programs/aio_disk.c,
# `bench` mode). Rates are printed by the guest; nothing is asserted.
#
#   bench/aio_disk.sh [READS]      (default 2000 of each; needs a build: scripts/build)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${KILN_BUILD_DIR:-$root/build}
reads=${1:-2000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$build/initrd/kiln-mkroot" -o "$work/bench.erofs" "$build/tests/boot/aio_disk" bench "$reads" >/dev/null
"$build/cli/kiln" run --no-net -m 128M --disk "$work/disk.img:64M" "$work/bench.erofs" 2>&1 | grep -E '^(aio-bench|kiln: accelerator)'
