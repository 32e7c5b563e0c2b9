#!/usr/bin/env bash
# examples/kv-store end to end, on the host (kiln-runtime with KILN_DISKS) or in a VM:
#
# 0. (host only) the record format against golden bytes (kv_store/log_format_test.js);
# 1. the HTTP API (kv_store/client.js api: status codes, exact bytes, 400/404/405/413/507,
#    200 concurrent PUTs), then a restart that must find everything again;
# 2. a torn tail: after a clean batch of overwrites, one byte of its first record is
#    flipped in the disk file; the restart must drop that batch and everything after it
#    (the old values are back), and a new, shorter batch written over the torn region must
#    be found after another restart without the stale records beyond it coming back.
#
#   kv_store_api.sh host KILN_RUNTIME APP
#   kv_store_api.sh vm KILN_RUNTIME APP KILN
set -uo pipefail

kv_mode=${1:?usage: kv_store_api.sh host|vm KILN_RUNTIME APP [KILN]}
kv_runtime=$(realpath "$2") kv_app=$(realpath "$3") kv_kiln=${4:-}
kv_work=$(mktemp -d)
# shellcheck source=kv_store/store.sh
. "$(dirname "$0")/kv_store/store.sh"
trap 'stop_all; rm -rf "$kv_work"' EXIT
fail=0

step() {  # step NAME PATTERN COMMAND...: runs COMMAND, which must succeed and print PATTERN
  local name=$1 pattern=$2; shift 2
  local out status
  out=$("$@" 2>&1)
  status=$?
  echo "=== $name (exit $status)"; echo "$out"
  [ "$status" -eq 0 ] || { echo "FAIL: $name exited $status"; fail=1; }
  echo "$out" | grep -Eq -- "$pattern" || { echo "FAIL: $name: no /$pattern/"; fail=1; }
}

run_or_die() {
  "$@" || { stop_all; exit 1; }
}

# 0. The record format against golden bytes (host-side JS: once is enough).
if [ "$kv_mode" = host ]; then
  step log-format '^log format: all checks passed' "$kv_runtime" "$(dirname "$0")/kv_store/log_format_test.js" "$kv_app"
fi

# 1. The API, and a restart.
api_disk=$kv_work/api.img
truncate -s 4M "$api_disk"
run_or_die start_store "$api_disk"
step api '^api: all checks passed' client api
stop_store
run_or_die start_store "$api_disk"
step api-after-restart '^api-after-restart: .*all checks passed' client api-after-restart
stop_store

# 2. A torn tail.
torn_disk=$kv_work/torn.img
truncate -s 1M "$torn_disk"
run_or_die start_store "$torn_disk"
fill=$(client fill 20)
echo "$fill"
log_end=$(echo "$fill" | sed -nE 's/.*the log ends at ([0-9]+)$/\1/p')
[ -n "$log_end" ] || { echo "FAIL: fill: $fill"; exit 1; }
step overwrite '^batch: 5 acknowledged' client batch 0 5 "$kv_work/acks"
stop_store
# The first record of the overwrites starts at log_end; byte 40 is inside its key.
offset=$((log_end + 40))
byte=$(od -An -tu1 -j"$offset" -N1 "$torn_disk" | tr -d ' ')
printf "$(printf '\\%03o' $(( byte ^ 0xff )))" | dd of="$torn_disk" bs=1 seek="$offset" conv=notrunc status=none
run_or_die start_store "$torn_disk"
step torn-tail-dropped '^expect: 20 of 20 keys hold their round-0 value; 20 keys from 20 records, torn tail dropped' \
  client expect 0 20 0
step rewrite '^batch: 3 acknowledged' client batch 0 3 "$kv_work/acks2"
stop_store
run_or_die start_store "$torn_disk"
step rewritten '^expect: 3 of 3 keys hold their round-1 value' client expect 0 3 1
step stale-records-stay-dead '^expect: 17 of 17 keys hold their round-0 value; 20 keys from 23 records' \
  client expect 3 20 0
stop_store
cat "$kv_work"/console.*
exit $fail
