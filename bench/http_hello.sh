#!/usr/bin/env bash
# Requests per second and p99 latency for examples/http-hello, side by side in one run:
#   1. Kiln: the app in a VM (`kiln run -p`, the accelerator kiln picks: TCG here)
#   2. kiln-runtime on the host
#   3. node on the host (if installed)
#   4. Node in a Linux microVM on the same QEMU: the peer in ../shared/peers/linux-node
#      (Debian's linux-image-cloud-amd64, a busybox initramfs, the host's node), built
#      once into $build/peer by its build.sh and booted with its own QEMU command line
#      (lib.sh) serving its apps/http.js, the same program as examples/http-hello.
# wrk -t2 -c${CONNECTIONS:-64} -d${SECONDS_PER_RUN:-10}s against 127.0.0.1 only.
# WARMUP=10 first runs wrk for 10 s unmeasured: under TCG the first seconds after boot
# are V8 compiling the hot paths, and a run that starts cold measures mostly that.
#
#   bench/http_hello.sh
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${KILN_BUILD_DIR:-$root/build}
app=$root/examples/http-hello
connections=${CONNECTIONS:-64}
duration=${SECONDS_PER_RUN:-10}
warmup=${WARMUP:-0}
command -v wrk >/dev/null || { echo "wrk is missing: scripts/setup installs it"; exit 1; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; }
trap cleanup EXIT

log=$(mktemp)
trap 'cleanup; rm -f "$log"' EXIT

# wait_ready SECONDS: until the server's output ($log) says it listens. Not the port:
# QEMU's forward accepts connections before the guest has even booted, and a run
# started then would measure the boot.
wait_ready() {
  for _ in $(seq $(($1 * 10))); do
    grep -Eq 'listening on|READY' "$log" && return 0
    sleep 0.1
  done
  return 1
}

measure() {  # measure NAME PORT
  local out
  [ "$warmup" -gt 0 ] && wrk -t2 -c"$connections" -d"${warmup}s" "http://127.0.0.1:$2/" >/dev/null 2>&1
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "http://127.0.0.1:$2/" 2>&1)
  local rps p99 errors non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk -F'[ ,]+' '/Socket errors/ {print $4+$6+$8+$10}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  printf '| %-34s | %10s | %8s | %6s | %7s |\n' "$1" "${rps:-failed}" "${p99:--}" "${errors:-0}" "${non2xx:-0}"
}

port() { echo $((20000 + RANDOM % 20000)); }

echo "examples/http-hello, wrk -t2 -c$connections -d${duration}s (after ${warmup}s warm-up), $(nproc) CPUs shared by server and wrk"
echo
echo '| setup                              | requests/s | p99      | socket errors | non-2xx |'
echo '| --- | --- | --- | --- | --- |'

p=$(port)
"$build/cli/kiln" run -p "$p:8080" "$app" >"$log" 2>&1 &
pids+=($!)
if wait_ready 120; then measure "Kiln VM" "$p"; else echo "| Kiln VM | did not start | | | |"; fi
kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null

p=$(port)
PORT=$p "$build/runtime/kiln-runtime" "$app/index.js" >"$log" 2>&1 &
pids+=($!)
wait_ready 10 && measure "kiln-runtime on the host" "$p"
kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null

if command -v node >/dev/null; then
  p=$(port)
  PORT=$p node "$app/index.js" >"$log" 2>&1 &
  pids+=($!)
  wait_ready 10 && measure "node $(node --version) on the host" "$p"
  kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null
fi

peer=$root/../shared/peers/linux-node
peer_out=$build/peer
if [ ! -f "$peer_out/initramfs.cpio.lz4" ] && [ -x "$peer/build.sh" ]; then
  echo "(building the Linux + Node peer into $peer_out, once: $build/peer-build.log)" >&2
  OUT=$peer_out COMPRESSIONS=lz4 "$peer/build.sh" >"$build/peer-build.log" 2>&1 \
    || echo "(the peer build failed: $build/peer-build.log)" >&2
fi
if [ -f "$peer_out/initramfs.cpio.lz4" ]; then
  p=$(port)
  # The accelerator `kiln run` would pick: KVM only with kvm_intel or kvm_amd.
  accel=tcg
  if [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; then accel=kvm; fi
  # shellcheck source=/dev/null
  OUT=$peer_out ACCEL=$accel HOSTFWD_PORT=$p INITRD_COMP=lz4
  . "$peer/lib.sh"
  qemu_args microvm http user
  : >"$log"
  # The same slirp listen-backlog fix `kiln run` applies (cli/qemu_listen_backlog.cpp),
  # so that both VMs are measured behind equal port forwards.
  LD_PRELOAD=$build/cli/libkiln-qemu-listen.so "${QEMU[@]}" >"$log" 2>&1 </dev/null &
  pids+=($!)
  if wait_ready 120; then measure "Linux + Node $("$peer_out/rootfs/bin/node" --version) microVM" "$p"
  else echo "| Linux + Node microVM | did not start | | | |"; fi
  kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null
else
  echo "| Linux + Node microVM | not built: ../shared/peers/linux-node missing | | | |"
fi
