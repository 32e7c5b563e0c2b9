#!/usr/bin/env bash
# One boot scenario: run a command that boots a VM, then check its exit code and that
# its console output matches each expected pattern (extended regex, one per -e) and that
# the last line is the status line.
#
#   boot_test.sh --status N [--qemu-code M] [-e REGEX]... -- command args...
#
# Every boot is bounded by a timeout: a hung guest fails the test, it never stalls CI.
set -uo pipefail

expect_status=""
expect_qemu=""
patterns=()
while [ $# -gt 0 ]; do
  case "$1" in
    --status) expect_status=$2; shift 2 ;;
    --qemu-code) expect_qemu=$2; shift 2 ;;
    -e) patterns+=("$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "boot_test.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

out=$(mktemp)
trap 'rm -f "$out"' EXIT
limit=${KILN_BOOT_TIMEOUT:-60}
SECONDS=0
timeout --kill-after=5 "$limit" "$@" >"$out" 2>&1
code=$?
elapsed=$SECONDS
cat "$out"
echo "--- exit code $code"

fail=0
# timeout(1) says 124, or 137 when it had to SIGKILL; a guest may exit 137 itself
# (out of memory), so only a run that lasted the whole limit counts as timed out.
if [ "$code" -eq 124 ] || { [ "$code" -eq 137 ] && [ "$elapsed" -ge "$limit" ]; }; then
  echo "FAIL: timed out after ${limit}s"; fail=1
fi
if [ -n "$expect_qemu" ] && [ "$code" -ne "$expect_qemu" ]; then
  echo "FAIL: expected exit code $expect_qemu"; fail=1
fi
if [ -n "$expect_status" ]; then
  last=$(grep -v '^kiln: accelerator' "$out" | tail -n 1)
  if [ "$last" != "kiln: exit status $expect_status" ]; then
    echo "FAIL: last console line is '$last', expected 'kiln: exit status $expect_status'"; fail=1
  fi
  if [ -z "$expect_qemu" ] && [ "$code" -ne "$expect_status" ]; then
    echo "FAIL: expected exit code $expect_status"; fail=1
  fi
fi
for p in "${patterns[@]}"; do
  if ! grep -Eq -- "$p" "$out"; then
    echo "FAIL: output does not match /$p/"; fail=1
  fi
done
exit $fail
