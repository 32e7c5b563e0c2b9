#!/usr/bin/env bash
# examples/kv-store under load: PUTs of 100-byte values to new keys (each answered only
# after the flush that covers it, so group commit is what makes this fast) and GETs of
# one key; wrk -t2 -c${CONNECTIONS:-32} -d${SECONDS_PER_RUN:-10}s against 127.0.0.1, in
# the VM (kiln run -p, TCG here) and with kiln-runtime on the host. Prints the store's
# batch statistics after the PUTs.
#
#   bench/kv_store.sh
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${KILN_BUILD_DIR:-$root/build}
app=$root/examples/kv-store
connections=${CONNECTIONS:-32}
duration=${SECONDS_PER_RUN:-10}
command -v wrk >/dev/null || { echo "wrk is missing: scripts/setup installs it"; exit 1; }
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

wait_for_port() {  # wait_for_port PORT SECONDS
  for _ in $(seq $(($2 * 10))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

measure() {  # measure NAME PORT [wrk options]
  local name=$1 port=$2; shift 2
  local out rps p99 errors non2xx
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" "http://127.0.0.1:$port/key" 2>&1)
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk -F'[ ,]+' '/Socket errors/ {print $4+$6+$8+$10}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  printf '| %-34s | %10s | %8s | %6s | %7s |\n' "$name" "${rps:-failed}" "${p99:--}" "${errors:-0}" "${non2xx:-0}"
}

run() {  # run SETUP PORT: the measurements against a store listening on PORT
  local setup=$1 port=$2
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf 'PUT /key HTTP/1.1\r\nHost: b\r\nContent-Length: 100\r\nConnection: close\r\n\r\n%0100d' 0 >&3
  cat <&3 >/dev/null
  exec 3<&-
  measure "$setup: PUT, new key each" "$port" -s "$root/bench/kv_store_put.lua"
  measure "$setup: GET of one key" "$port"
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf 'GET / HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n' >&3
  stats=$(tail -1 <&3)
  exec 3<&-
  stats_lines+=("$setup: $stats")
}

stats_lines=()
echo "examples/kv-store, wrk -t2 -c$connections -d${duration}s, $(nproc) CPUs shared by server and wrk"
echo
echo '| setup and request                  | requests/s | p99      | socket errors | non-2xx |'
echo '| --- | --- | --- | --- | --- |'

port=$((20000 + RANDOM % 20000))
"$build/cli/kiln" run -m 1G -p "$port:8080" --disk "$work/vm.img:256M" "$app" >"$work/vm.log" 2>&1 &
pid=$!
if wait_for_port "$port" 120; then run "Kiln VM" "$port"; else echo "| Kiln VM | did not start | | | |"; fi
kill "$pid"; wait "$pid" 2>/dev/null; pid=""

port=$((20000 + RANDOM % 20000))
truncate -s 256M "$work/host.img"
(cd "$app" && KILN_DISKS="vda=$work/host.img" PORT=$port exec "$build/runtime/kiln-runtime" index.js) \
  >"$work/host.log" 2>&1 &
pid=$!
wait_for_port "$port" 10 && run "kiln-runtime on the host" "$port"
kill "$pid"; wait "$pid" 2>/dev/null; pid=""
echo
printf '%s\n' "${stats_lines[@]}"
