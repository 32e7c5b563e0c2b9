#!/usr/bin/env bash
# Boot test: UDP datagrams of 1, 64, 1472 and 4000 bytes (the last one fragmented) make
# a round trip between the VM and the host through QEMU's user network, every echo
# checked byte for byte by the sender. One app (APP: tests/boot/apps/udp_echo) is the
# echo server and the client on both sides: in the VM through `kiln run -- ROLE ...`, on
# the host with kiln-runtime.
#
#   udp_round_trip.sh KILN KILN_RUNTIME APP guest-to-host
#       an echo server on the host's 127.0.0.1 (a free port), the client in the VM
#       sending to 10.0.2.2 (slirp's address for the host's loopback).
#   udp_round_trip.sh KILN KILN_RUNTIME APP host-to-guest [kiln run options...]
#       the echo server in the VM on port 7, published with `kiln run -p HOST:7/udp`; the
#       client on the host sends to 127.0.0.1:HOST (resending while the VM boots, within
#       a hard deadline), then "quit" ends the server and the VM with status 0.
#   udp_round_trip.sh KILN KILN_RUNTIME APP sent-before-exit BURST_IMAGE
#       the regression test for datagrams lost at exit: BURST_IMAGE (programs/udp_burst.c)
#       sends one datagram to the host's echo server, then 100 more at once and exits;
#       once kiln run has returned, the server must have seen all 101.
set -uo pipefail

usage="usage: udp_round_trip.sh KILN KILN_RUNTIME APP guest-to-host|host-to-guest [options]|sent-before-exit BURST_IMAGE"
kiln=${1:?$usage}
runtime=${2:?$usage}
app=${3:?$usage}
direction=${4:?$usage}
shift 4
work=$(mktemp -d)
export KILN_CACHE_DIR=$work/cache
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
fail=0
limit=${KILN_BOOT_TIMEOUT:-240}

start_host_server() { # sets port
  "$runtime" "$app/server.js" 127.0.0.1 0 >"$work/server.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 300); do grep -q 'listening on' "$work/server.log" && break; sleep 0.1; done
  port=$(sed -n 's/^udp echo listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/server.log")
  [ -n "$port" ] || { cat "$work/server.log"; echo "FAIL: the host's echo server did not start"; exit 1; }
}

case "$direction" in
guest-to-host)
  start_host_server
  echo "--- kiln run $app -- client 10.0.2.2 $port"
  timeout --kill-after=5 "$limit" "$kiln" run "$app" -- client 10.0.2.2 "$port" >"$work/console" 2>&1
  status=$?
  cat "$work/console"
  [ "$status" -eq 0 ] || { echo "FAIL: kiln run exited $status, expected 0"; fail=1; }
  grep -q "^udp client: 4 of 4 datagrams (1, 64, 1472, 4000 bytes) echoed intact by 10.0.2.2:$port," "$work/console" \
    || { echo "FAIL: the VM's client did not get every echo"; fail=1; }
  ;;
host-to-guest)
  # shellcheck source=forwarded_vm.sh
  . "$(dirname "$0")/forwarded_vm.sh"
  if ! start_forwarded_vm "$kiln" 7/udp '^udp echo listening on 0\.0\.0\.0:7$' "$work/console" "$app" "$@" -- server 7; then
    cat "$work/console"; echo "FAIL: the VM's echo server never listened"; exit 1
  fi
  pids+=("$pid")
  echo "--- kiln-runtime client.js 127.0.0.1 $port --quit"
  timeout --kill-after=5 120 "$runtime" "$app/client.js" 127.0.0.1 "$port" --quit >"$work/client.log" 2>&1
  client=$?
  cat "$work/client.log"
  # "quit" ends the guest program, so the VM powers off by itself.
  status=0
  timeout 60 tail --pid="$pid" -f /dev/null || { echo "FAIL: the VM still runs after quit"; fail=1; }
  wait "$pid" || status=$?
  cat "$work/console"
  [ "$client" -eq 0 ] || { echo "FAIL: the host client exited $client"; fail=1; }
  grep -q "^udp client: 4 of 4 datagrams (1, 64, 1472, 4000 bytes) echoed intact by 127.0.0.1:$port," "$work/client.log" \
    || { echo "FAIL: the host's client did not get every echo"; fail=1; }
  grep -q "^kiln: port 127.0.0.1:$port/udp -> guest 7/udp$" "$work/console" || { echo "FAIL: the UDP forward is not reported"; fail=1; }
  grep -q "^udp echo: quit from 10.0.2.2 after [0-9]* datagrams$" "$work/console" || { echo "FAIL: the server did not see quit"; fail=1; }
  [ "$status" -eq 0 ] || { echo "FAIL: kiln run exited $status, expected 0"; fail=1; }
  ;;
sent-before-exit)
  burst=${1:?$usage}
  start_host_server
  echo "--- kiln run $burst -- 10.0.2.2 $port 100"
  timeout --kill-after=5 "$limit" "$kiln" run "$burst" -- 10.0.2.2 "$port" 100 >"$work/console" 2>&1
  status=$?
  cat "$work/console"
  [ "$status" -eq 0 ] || { echo "FAIL: kiln run exited $status, expected 0"; fail=1; }
  grep -q '^udp_burst: sending 1 + 100 datagrams$' "$work/console" || { echo "FAIL: the VM did not send its datagrams"; fail=1; }
  # The VM is gone: whatever it sent is in the server's socket already, ahead of "count".
  printf count >"/dev/udp/127.0.0.1/$port"
  for _ in $(seq 100); do grep -q 'datagrams echoed' "$work/server.log" && break; sleep 0.1; done
  cat "$work/server.log"
  grep -q '^udp echo: 101 datagrams echoed$' "$work/server.log" || { echo "FAIL: datagrams sent before exit were lost"; fail=1; }
  ;;
*)
  echo "$usage"; exit 2 ;;
esac
[ "$fail" -eq 0 ] && echo "PASS"
exit $fail
