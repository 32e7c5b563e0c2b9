#!/usr/bin/env bash
# The startup snapshot's external-reference check (runtime/snapshot/make_snapshot.cpp)
# relies on V8 aborting when a heap object points at a C++ function it was not told
# about. This runs the generator's self-test, which serializes such a function, and
# expects that abort, with V8's message and the generator's explanation.
#
#     unlisted_callback_stops_build.sh <kiln-make-snapshot>
set -u

if [[ $# -ne 1 ]]; then
  echo "usage: $0 <kiln-make-snapshot>" >&2
  exit 2
fi
stderr=$(mktemp)
trap 'rm -f "$stderr"' EXIT

# The abort is expected: no core file.
ulimit -c 0
"$1" --self-test 2>"$stderr"
status=$?
failures=()
((status >= 128)) || failures+=("exit status $status, expected death by a signal (V8's abort)")
grep -q "Unknown external reference" "$stderr" || failures+=("V8 did not report the unknown external reference")
grep -q "self-test: V8 caught the unlisted callback" "$stderr" || failures+=("the generator did not explain the abort")

if [[ ${#failures[@]} -eq 0 ]]; then
  echo "ok unlisted_callback_stops_build"
  exit 0
fi
printf 'FAIL: %s\n' "${failures[@]}"
echo "--- stderr"
cat "$stderr"
exit 1
