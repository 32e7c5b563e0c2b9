#!/usr/bin/env bash
# Load test: `wrk -t2 -c64 -d10s` against examples/http-hello must finish with zero
# socket errors (connect, read, write, timeout) and only 2xx responses, with the app
# either in the VM (`kiln run -p`) or on the host runtime. Throughput is measured by
# bench/http_hello.sh, not here: this test asserts only that nothing fails under load.
#
#   http_load.sh vm KILN APP
#   http_load.sh host KILN_RUNTIME APP
set -uo pipefail

usage="usage: http_load.sh vm|host KILN|KILN_RUNTIME APP"
mode=${1:?$usage}
program=${2:?$usage}
app=${3:?$usage}
work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

case $mode in
vm)
  # shellcheck source=forwarded_vm.sh
  . "$(dirname "$0")/forwarded_vm.sh"
  start_forwarded_vm "$program" 8080 'listening on' "$work/console" "$app" || {
    cat "$work/console"; echo "FAIL: the server in the VM never listened"; exit 1; }
  # QEMU's listener for the forward must queue a burst of connections: with slirp's own
  # listen(fd, 1), wrk's 64 simultaneous connects stall for seconds (see
  # cli/qemu_listen_backlog.cpp). `ss` shows a listener's backlog as its Send-Q.
  backlog=$(ss -Hltn "sport = :$port" | awk '{print $3}')
  [ "${backlog:-0}" -ge 64 ] || { echo "FAIL: QEMU listens on $port with backlog '${backlog}'"; exit 1; }
  ;;
host)
  for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 20000))
    PORT=$port "$program" "$app/index.js" >"$work/console" 2>&1 &
    pid=$!
    for _ in $(seq 100); do
      grep -q 'listening on' "$work/console" && break 2
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=""
  done
  [ -n "$pid" ] || { cat "$work/console"; echo "FAIL: the server on the host never listened"; exit 1; }
  ;;
*) echo "$usage"; exit 2 ;;
esac

wrk -t2 -c64 -d10s --latency "http://127.0.0.1:$port/" >"$work/wrk" 2>&1
wrk_status=$?
cat "$work/wrk"
fail=0
[ "$wrk_status" -eq 0 ] || { echo "FAIL: wrk exited $wrk_status"; fail=1; }
requests=$(awk '/requests in/ {print $1}' "$work/wrk")
[ "${requests:-0}" -gt 0 ] || { echo "FAIL: no request completed"; fail=1; }
grep -q 'Socket errors' "$work/wrk" && { echo "FAIL: socket errors"; fail=1; }
grep -q 'Non-2xx' "$work/wrk" && { echo "FAIL: responses other than 2xx"; fail=1; }
# The server is still alive and answering after the load.
body=$(curl -sS --max-time 30 "http://127.0.0.1:$port/") || { echo "FAIL: no answer after the load"; fail=1; }
[ "$body" = hello ] || { echo "FAIL: body after the load is '$body'"; fail=1; }
kill -0 "$pid" 2>/dev/null || { echo "FAIL: the server died"; cat "$work/console"; fail=1; }
exit $fail
