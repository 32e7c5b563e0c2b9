# Sourced by boot tests that reach a server in the VM from the host.
#
#   start_forwarded_vm KILN GUEST_PORT READY_REGEX CONSOLE_FILE TARGET [kiln run arguments...]
#
# Boots TARGET with `kiln run -p HOST:GUEST_PORT` (GUEST_PORT may end in /udp) on a
# random free host port (retrying when QEMU cannot bind it) and waits for READY_REGEX on
# the console. Sets `port` and `pid`; returns non-zero if the guest never got ready.
start_forwarded_vm() {
  local kiln=$1 guest_port=$2 ready=$3 console=$4 target=$5
  shift 5
  for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 20000))
    "$kiln" run -p "$port:$guest_port" "$target" "$@" >"$console" 2>&1 &
    pid=$!
    for _ in $(seq 1800); do # 180 s: a variant image build and a TCG boot on a loaded machine
      grep -Eq "$ready" "$console" && return 0
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    grep -Eq "$ready" "$console" && return 0
    kill "$pid" 2>/dev/null # still running but never ready: give up on it
    wait "$pid"
    pid=""
    grep -q 'Could not set up host forwarding' "$console" || return 1
  done
  return 1
}
