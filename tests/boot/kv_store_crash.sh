#!/usr/bin/env bash
# Crash test for examples/kv-store in the VM: boot it with a fresh disk, PUT 1000 keys
# (each must be acknowledged), then start 600 more PUTs at once (300 overwrite existing
# keys, 300 add new ones) and, once a random number of them (1-300) has been acknowledged,
# kill QEMU with SIGKILL: in the middle of the burst, with requests in flight. Boot again with the same disk: every acknowledged PUT must be
# there with its exact value; every unacknowledged one must hold exactly its old value,
# exactly its new one, or (for a new key) nothing; the other 700 keys must be intact and
# no other key may exist. Then the store must go on: 100 new PUTs, a clean restart, and
# they are all there.
#
#   kv_store_crash.sh KILN KILN_RUNTIME APP
set -uo pipefail

kv_mode=vm kv_kiln=$1 kv_runtime=$(realpath "$2") kv_app=$(realpath "$3")
kv_work=$(mktemp -d)
# shellcheck source=kv_store/store.sh
. "$(dirname "$0")/kv_store/store.sh"
batch_pid=""
cleanup() {
  [ -n "$batch_pid" ] && kill "$batch_pid" 2>/dev/null
  stop_all
  rm -rf "$kv_work"
}
trap cleanup EXIT
disk=$kv_work/disk.img
fail=0

expect_line() {  # expect_line NAME PATTERN TEXT
  echo "$3"
  echo "$3" | grep -Eq -- "$2" || { echo "FAIL: $1: no /$2/"; fail=1; }
}

start_store "$disk:64M" || exit 1
out=$(client fill 1000)
expect_line fill '^fill: 1000 of 1000 PUTs acknowledged' "$out"

acks=$kv_work/acks
: >"$acks"
kill_after=$((1 + RANDOM % 300))
client batch 700 1300 "$acks" >"$kv_work/batch.out" 2>&1 &
batch_pid=$!
# Kill once kill_after PUTs are acknowledged (or the batch client is gone, which it
# cannot be before then unless requests fail).
while [ "$(wc -l <"$acks")" -lt "$kill_after" ] && kill -0 "$batch_pid" 2>/dev/null; do
  sleep 0.005
done
crash_store || exit 1
acked_at_kill=$(wc -l <"$acks")
echo "killed QEMU after $acked_at_kill of 600 acknowledgements (target $kill_after)"
wait "$batch_pid"
batch_pid=""
cat "$kv_work/batch.out"
cat "$kv_work/console.1"
# 300 acknowledgements are far more than arrive between two looks at the file.
if [ "$acked_at_kill" -ge 600 ]; then
  echo "FAIL: the burst was over before QEMU was killed, so nothing crashed during it"
  fail=1
fi

start_store "$disk" || exit 1
grep '^kv-store: ' "$kv_console"
out=$(client verify 1000 700 1300 "$acks")
status=$?
expect_line verify '^verify: 700 untouched keys intact, ([0-9]+) of \1 acknowledged present' "$out"
[ "$status" -eq 0 ] || { echo "FAIL: verify exited $status"; fail=1; }

out=$(client batch 1300 1400 "$kv_work/acks2")
expect_line after-crash '^batch: 100 acknowledged, 0 failed' "$out"
stop_store
start_store "$disk" || exit 1
out=$(client expect 1300 1400 1)
expect_line after-restart '^expect: 100 of 100 keys hold their round-1 value' "$out"
stop_store
exit $fail
