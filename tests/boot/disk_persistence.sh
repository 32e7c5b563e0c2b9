#!/usr/bin/env bash
# Boot test: what one boot writes to a disk, flushes and powers off with, a second boot
# reads back byte for byte; the same disk attached read-only refuses writes.
#
#   disk_persistence.sh KILN WRITE_IMAGE VERIFY_IMAGE READONLY_IMAGE
set -uo pipefail

kiln=$1 write_image=$2 verify_image=$3 readonly_image=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
disk=$work/disk.img
fail=0

check() {  # check NAME EXPECTED_REGEX... -- kiln run arguments
  local name=$1; shift
  local patterns=()
  while [ "$1" != "--" ]; do patterns+=("$1"); shift; done
  shift
  local out
  out=$(timeout 120 "$kiln" run --no-net "$@" 2>&1)
  local status=$?
  echo "=== $name (exit $status)"; echo "$out"
  [ "$status" -eq 0 ] || { echo "FAIL: $name exited $status"; fail=1; }
  for p in "${patterns[@]}"; do
    echo "$out" | grep -Eq -- "$p" || { echo "FAIL: $name: no /$p/"; fail=1; }
  done
}

check write "^disk: 4194304 bytes, sector 512, block device yes" "^disk: fsync ok" "^disk: write patterns match" \
  "^disk: read past the end returns 0" -- --disk "$disk:4M" "$write_image"
check verify "^disk: verify patterns match" -- --disk "$disk" "$verify_image"
check readonly "^disk: read-only open O_RDWR: EROFS, write on O_RDONLY: refused" -- --disk "$disk,ro" "$readonly_image"
exit $fail
