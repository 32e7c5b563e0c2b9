#!/usr/bin/env bash
# Checks that nothing of one run is frozen into kiln-runtime's startup snapshot: runs
# probe.js several times, with and without the snapshot, each time with its own
# arguments, environment, working directory and time zone, and checks every value the
# probe prints against what this script started that run with.
#
#     fresh_state_per_run.sh <kiln-runtime>
set -u

if [[ $# -ne 1 ]]; then
  echo "usage: $0 <kiln-runtime>" >&2
  exit 2
fi
runtime=$(realpath "$1")
probe=$(cd "$(dirname "$0")" && pwd)/probe.js
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# value <file> <name>: the probe's value for `name`.
value() {
  sed -n "s/^$2=//p" "$1"
}

# run_probe <label> <mode flag or ''> <argument> <env value> <TZ> <expected tz offset>
randoms=()
run_probe() {
  local label=$1 flag=$2 argument=$3 env_value=$4 tz=$5 tz_offset=$6
  local dir="$work/$label" out="$work/$label.out"
  mkdir -p "$dir"
  local start_ms
  start_ms=$(date +%s%3N)
  # exec all the way down, so $! is the runtime's own pid (ctest's TIMEOUT covers a hang).
  (cd "$dir" && exec env KILN_PROBE="$env_value" TZ="$tz" "$runtime" $flag "$probe" "$argument") \
    >"$out" 2>"$work/$label.err" &
  local pid=$!
  wait "$pid"
  local status=$?
  local end_ms
  end_ms=$(date +%s%3N)

  [[ $status -eq 3 ]] || fail "$label: exit status $status, expected 3 (process.exitCode); stderr: $(cat "$work/$label.err")"
  [[ $(value "$out" pid) == "$pid" ]] || fail "$label: process.pid $(value "$out" pid), expected $pid"
  [[ $(value "$out" argv2) == "$argument" ]] || fail "$label: process.argv[2] is '$(value "$out" argv2)'"
  [[ $(value "$out" execPath) == "$runtime" ]] || fail "$label: process.execPath is '$(value "$out" execPath)'"
  [[ $(value "$out" env) == "$env_value" ]] || fail "$label: process.env.KILN_PROBE is '$(value "$out" env)'"
  [[ $(value "$out" cwd) == "$(realpath "$dir")" ]] || fail "$label: process.cwd() is '$(value "$out" cwd)'"
  [[ $(value "$out" tzOffset) == "$tz_offset" ]] || fail "$label: TZ=$tz gave offset $(value "$out" tzOffset)"
  [[ $(value "$out" envSet) == "string:5" ]] || fail "$label: process.env assignment gave $(value "$out" envSet)"
  [[ $(value "$out" order) == "tick,immediate,timeout" ]] || fail "$label: callbacks ran as '$(value "$out" order)'"

  # Clocks: the run's own start, not the build's. Date.now() and timeOrigin lie between
  # this script's clock readings around the run (timeOrigin is taken from the
  # monotonic clock, so allow it a few ms of disagreement with the real-time clock), and
  # performance.now() and uptime() cannot exceed the time the run took.
  local date_now time_origin performance_now uptime_ms elapsed
  date_now=$(value "$out" dateNow)
  time_origin=$(value "$out" timeOrigin)
  performance_now=$(value "$out" performanceNow)
  uptime_ms=$(value "$out" uptimeMs)
  elapsed=$((end_ms - start_ms))
  ((date_now >= start_ms && date_now <= end_ms)) || fail "$label: Date.now() $date_now outside [$start_ms, $end_ms]"
  ((time_origin >= start_ms - 10 && time_origin <= date_now)) \
    || fail "$label: performance.timeOrigin $time_origin outside [$start_ms - 10, $date_now]"
  ((performance_now <= elapsed + 10)) || fail "$label: performance.now() $performance_now > run time $elapsed ms"
  ((uptime_ms <= elapsed + 10)) || fail "$label: process.uptime() $uptime_ms ms > run time $elapsed ms"

  randoms+=("$(value "$out" random)")
}

run_probe snapshot-1 '' alpha one Asia/Tokyo -540
run_probe snapshot-2 '' beta two America/New_York 300
run_probe no-snapshot-1 --no-snapshot gamma three Asia/Tokyo -540
run_probe no-snapshot-2 --no-snapshot delta four UTC 0

# Math.random must be seeded per run: four runs, four different sequences.
if [[ $(printf '%s\n' "${randoms[@]}" | sort -u | wc -l) -ne ${#randoms[@]} ]]; then
  fail "Math.random repeats across runs: $(printf '[%s] ' "${randoms[@]}")"
fi

if [[ $failures -eq 0 ]]; then
  echo "ok fresh_state_per_run (4 runs)"
  exit 0
fi
for out in "$work"/*.out; do
  echo "--- $(basename "$out")"
  cat "$out"
done
exit 1
