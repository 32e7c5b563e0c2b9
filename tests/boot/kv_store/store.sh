# Sourced by the kv-store tests: starts and stops examples/kv-store on a disk file, on the
# host (kiln-runtime with KILN_DISKS) or in a VM (kiln run -p PORT:8080 --disk FILE), and
# runs the host-side client (client.js, on the host's kiln-runtime) against it.
#
# Set before use: kv_mode (host or vm), kv_runtime, kv_app, kv_work, and for vm kv_kiln.
#
#   start_store DISK   starts the store and waits until it listens; sets kv_port, kv_pid
#                      (kiln run's in a VM, kiln-runtime's on the host) and kv_console
#   stop_store         shuts it down (SIGTERM: QEMU closes the disk cleanly)
#   crash_store        SIGKILL: in a VM to the QEMU that our kiln run started (found as
#                      its child), on the host to kiln-runtime
#   client MODE ARGS   runs client.js MODE PORT ARGS; its output goes to stdout
#   stop_all           for an EXIT trap: kills only what start_store started

# shellcheck source=../forwarded_vm.sh
. "$(dirname "${BASH_SOURCE[0]}")/../forwarded_vm.sh"
kv_client=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/client.js
kv_boots=0
kv_pid=""

start_store() {
  local disk=$1
  kv_boots=$((kv_boots + 1))
  kv_console=$kv_work/console.$kv_boots
  : >"$kv_console"
  if [ "$kv_mode" = vm ]; then
    start_forwarded_vm "$kv_kiln" 8080 '^kv-store: listening' "$kv_console" "$kv_app" --disk "$disk" || {
      cat "$kv_console"; echo "FAIL: the store never listened"; return 1; }
    kv_port=$port kv_pid=$pid
    return 0
  fi
  for _ in 1 2 3 4 5; do
    kv_port=$((20000 + RANDOM % 20000))
    (cd "$kv_app" && KILN_DISKS="vda=$disk" PORT=$kv_port exec "$kv_runtime" index.js) >"$kv_console" 2>&1 &
    kv_pid=$!
    for _ in $(seq 600); do
      grep -q '^kv-store: listening' "$kv_console" && return 0
      kill -0 "$kv_pid" 2>/dev/null || break
      sleep 0.1
    done
    wait "$kv_pid"
    kv_pid=""
    grep -q EADDRINUSE "$kv_console" || break
  done
  cat "$kv_console"; echo "FAIL: the store never listened"
  return 1
}

stop_store() {
  [ -n "$kv_pid" ] || return 0
  kill -TERM "$kv_pid"
  wait "$kv_pid"
  kv_pid=""
}

crash_store() {
  [ -n "$kv_pid" ] || return 0
  local victim=$kv_pid
  if [ "$kv_mode" = vm ]; then
    victim=$(ps -o pid= --ppid "$kv_pid" | tr -d ' ')
    local name
    name=$(ps -o comm= -p "$victim")
    if [[ $name != qemu-system* ]]; then
      echo "FAIL: kiln run's child is '$name', not QEMU"; return 1
    fi
  fi
  kill -KILL "$victim"
  wait "$kv_pid"
  kv_pid=""
}

client() {
  local mode=$1; shift
  "$kv_runtime" "$kv_client" "$mode" "$kv_port" "$@"
}

stop_all() {
  [ -n "$kv_pid" ] && kill -TERM "$kv_pid" 2>/dev/null
  [ -n "$kv_pid" ] && wait "$kv_pid" 2>/dev/null
}
