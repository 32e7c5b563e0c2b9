#!/usr/bin/env bash
# Boot test: kiln:disk across boots (tests/boot/apps/js_disk). One boot writes 512
# patterns with all requests in flight at once and flushes; a second boot reads them back
# byte for byte; so does kiln-runtime on the host from the same disk file (KILN_DISKS);
# a boot with the disk attached read-only verifies again and gets EROFS for a write. A
# copy with one byte flipped must fail the check, so the check can fail.
#
#   js_disk_persistence.sh KILN KILN_RUNTIME APP
set -uo pipefail

kiln=$1 runtime=$(realpath "$2") app=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
disk=$work/disk.img
fail=0

report() {  # report NAME STATUS EXPECTED_STATUS OUTPUT PATTERN...
  local name=$1 status=$2 expected=$3 out=$4
  shift 4
  echo "=== $name (exit $status)"; echo "$out"
  [ "$status" -eq "$expected" ] || { echo "FAIL: $name exited $status, expected $expected"; fail=1; }
  local p
  for p in "$@"; do
    echo "$out" | grep -Eq -- "$p" || { echo "FAIL: $name: no /$p/"; fail=1; }
  done
}

boot() {  # boot NAME PATTERN... -- kiln run arguments
  local name=$1; shift
  local patterns=()
  while [ "$1" != "--" ]; do patterns+=("$1"); shift; done
  shift
  local out status
  out=$(timeout 180 "$kiln" run --no-net "$@" "$app" 2>&1)
  status=$?
  report "$name" "$status" 0 "$out" "${patterns[@]}"
}

on_host() {  # on_host NAME DISK_SETTING EXPECTED_STATUS PATTERN...
  local name=$1 setting=$2 expected=$3
  shift 3
  local out status
  out=$(cd "$app" && KILN_DISKS=$setting timeout 120 "$runtime" main.js 2>&1)
  status=$?
  report "$name" "$status" "$expected" "$out" "$@"
}

boot write "^js-disk: vda 8388608 bytes, block 512, read-only false" \
  "^js-disk: wrote 512 patterns \([0-9]+ bytes\) in 513 concurrent requests, flushed" -- --disk "$disk:8M"
boot verify "^js-disk: verified 512 of 512 patterns byte for byte" -- --disk "$disk"
on_host host-verify "vda=$disk:ro" 0 "^js-disk: verified 512 of 512 patterns byte for byte" \
  "^js-disk: write on the read-only disk: EROFS"
boot read-only "^js-disk: vda 8388608 bytes, block 512, read-only true" \
  "^js-disk: verified 512 of 512 patterns byte for byte" "^js-disk: write on the read-only disk: EROFS" \
  -- --disk "$disk,ro"

# The first pattern starts at 4096: flip its first byte in a copy.
cp "$disk" "$work/corrupt.img"
byte=$(od -An -tu1 -j4096 -N1 "$work/corrupt.img" | tr -d ' ')
printf "$(printf '\\%03o' $(( byte ^ 0xff )))" | dd of="$work/corrupt.img" bs=1 seek=4096 conv=notrunc status=none
on_host corrupted-copy "vda=$work/corrupt.img" 1 "^js-disk: pattern 0 at 4096 \([0-9]+ bytes\) differs" \
  "^js-disk: verified 511 of 512 patterns byte for byte"
exit $fail
