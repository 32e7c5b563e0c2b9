#!/usr/bin/env bash
# Boot test: fetch() inside the VM reaches a server on the host. An HTTP server
# (kiln-runtime on the host, 127.0.0.1 only, a free port) serves a text file and a JSON
# file made up for this run; examples/fetch-client in the VM fetches both through QEMU's
# user network (10.0.2.2 is the host's loopback) and must print the exact bytes and exit
# 0. Then the server is stopped and the same fetch must fail with ECONNREFUSED, exit 1.
#
#   fetch_from_host.sh KILN KILN_RUNTIME APP
set -uo pipefail

kiln=${1:?usage: fetch_from_host.sh KILN KILN_RUNTIME APP}
runtime=${2:?usage: fetch_from_host.sh KILN KILN_RUNTIME APP}
app=${3:?usage: fetch_from_host.sh KILN KILN_RUNTIME APP}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
export KILN_CACHE_DIR=$work/cache
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail=0
limit=${KILN_BOOT_TIMEOUT:-240}

# Content nobody could have hard-coded: this run's time and randomness.
mkdir -p "$work/www"
token="kiln-$$-$RANDOM$RANDOM"
printf 'fetched from the host by the VM\ntoken %s\nünïcödé and a tab\there\n' "$token" >"$work/www/greeting.txt"
printf '{"token":"%s","items":[1,2,3],"nested":{"ok":true}}' "$token" >"$work/www/data.json"

"$runtime" "$here/host/http_file_server.js" "$work/www" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 300); do
  grep -q 'listening on' "$work/server.log" && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
port=$(sed -n 's/^http file server listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/server.log")
if [ -z "$port" ]; then
  cat "$work/server.log"; echo "FAIL: the host's HTTP server did not start"; exit 1
fi
base="http://10.0.2.2:$port"

echo "--- kiln run $app -- $base/greeting.txt $base/data.json"
timeout --kill-after=5 "$limit" "$kiln" run "$app" -- "$base/greeting.txt" "$base/data.json" >"$work/ok.out" 2>&1
status=$?
cat "$work/ok.out"
echo "--- host server log"; cat "$work/server.log"
[ "$status" -eq 0 ] || { echo "FAIL: kiln run exited $status, expected 0"; fail=1; }
grep -qxF "GET $base/greeting.txt: 200 OK" "$work/ok.out" || { echo "FAIL: no 200 for greeting.txt"; fail=1; }
grep -qxF "content-type: text/plain; charset=utf-8" "$work/ok.out" || { echo "FAIL: greeting.txt's content type"; fail=1; }
bytes=$(stat -c %s "$work/www/greeting.txt")
grep -qxF -- "--- body ($bytes bytes)" "$work/ok.out" || { echo "FAIL: the VM did not count $bytes bytes"; fail=1; }
# The first body, between its markers, byte for byte.
awk '/^--- end of body$/ { exit } body { print } /^--- body/ { body = 1 }' "$work/ok.out" >"$work/got.txt"
cmp "$work/www/greeting.txt" "$work/got.txt" || { echo "FAIL: the body differs from the host's file"; diff "$work/www/greeting.txt" "$work/got.txt"; fail=1; }
grep -qxF "json: $(cat "$work/www/data.json")" "$work/ok.out" || { echo "FAIL: data.json did not arrive parsed"; fail=1; }
grep -qxF "GET /greeting.txt 200" "$work/server.log" || { echo "FAIL: the host server did not serve greeting.txt"; fail=1; }

# Nothing listens on the port any more: the host refuses, slirp resets the guest's
# connection, fetch rejects with ECONNREFUSED as its cause.
kill "$server"
wait "$server" 2>/dev/null
server=""
echo "--- kiln run $app -- $base/greeting.txt (server stopped)"
timeout --kill-after=5 "$limit" "$kiln" run "$app" -- "$base/greeting.txt" >"$work/refused.out" 2>&1
status=$?
cat "$work/refused.out"
[ "$status" -eq 1 ] || { echo "FAIL: kiln run exited $status for a closed port, expected 1"; fail=1; }
grep -q "^fetch-client: GET $base/greeting.txt failed: ECONNREFUSED: connect ECONNREFUSED 10.0.2.2:$port" "$work/refused.out" \
  || { echo "FAIL: no ECONNREFUSED report"; fail=1; }
[ "$fail" -eq 0 ] && echo "PASS"
exit $fail
