#!/usr/bin/env bash
# Boot test: examples/http-server in the VM answers HTTP from the host through
# `kiln run -p`: curl on the host gets both of its routes (as the README shows), then a
# clean shutdown of the VM (SIGTERM to kiln).
#
#   http_server.sh KILN APP
set -uo pipefail

kiln=${1:?usage: http_server.sh KILN APP}
app=${2:?usage: http_server.sh KILN APP}
work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

command -v curl >/dev/null || { echo "FAIL: curl is not installed (run scripts/setup)"; exit 1; }
get() {  # get PATH: the status line, headers and body, or nothing
  curl -sS -i --max-time 30 "http://127.0.0.1:$port$1"
}

# shellcheck source=forwarded_vm.sh
. "$(dirname "$0")/forwarded_vm.sh"
if ! start_forwarded_vm "$kiln" 8080 'listening on' "$work/console" "$app"; then
  cat "$work/console"
  echo "FAIL: the server never listened"
  exit 1
fi

root=$(get /)
info=$(get /api/info)
kill -TERM "$pid"
wait "$pid"
status=$?
pid=""
cat "$work/console"
echo "--- GET /"; echo "$root"
echo "--- GET /api/info"; echo "$info"
fail=0
echo "$root" | grep -q '^HTTP/1.1 200 OK' || { echo "FAIL: GET / is not 200"; fail=1; }
echo "$root" | grep -q 'Hello from Kiln' || { echo "FAIL: GET / body"; fail=1; }
echo "$info" | grep -q '"platform":"linux"' || { echo "FAIL: GET /api/info body"; fail=1; }
[ "$status" -eq 143 ] || { echo "FAIL: kiln run should exit 143 after SIGTERM, got $status"; fail=1; }
exit $fail
