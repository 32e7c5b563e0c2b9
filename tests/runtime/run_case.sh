#!/usr/bin/env bash
# Runs one kiln-runtime test case and checks its exit status, stdout and stderr.
#
#     run_case.sh <kiln-runtime> <cases/name.expect>
#
# Runs cases/name.js (or the `script:` given) with the working directory set to the
# cases folder. The .expect format is described in tests/runtime/README.md.
set -u

if [[ $# -ne 2 ]]; then
  echo "usage: $0 <kiln-runtime> <case.expect>" >&2
  exit 2
fi
runtime=$(realpath "$1")
expect_file=$2
cases_dir=$(cd "$(dirname "$expect_file")" && pwd)
name=$(basename "$expect_file" .expect)

script="$cases_dir/$name.js"
expected_status=0
args=()
env_vars=()
exact_stdout='' has_exact_stdout=0 stdout_patterns=()
exact_stderr='' has_exact_stderr=0 stderr_patterns=()

while IFS= read -r line || [[ -n $line ]]; do
  [[ -z $line || $line == \#* ]] && continue
  key=${line%%:*}
  value=${line#*:}
  value=${value# }
  value=${value//@CASES@/$cases_dir}
  value=${value//@RUNTIME@/$runtime}
  case $key in
    args) read -ra args <<<"$value" ;;
    env) env_vars+=("$value") ;;
    script) script="$cases_dir/$value" ;;
    status) expected_status=$value ;;
    stdout) exact_stdout+="$value"$'\n'; has_exact_stdout=1 ;;
    stderr) exact_stderr+="$value"$'\n'; has_exact_stderr=1 ;;
    'stdout~') stdout_patterns+=("$value") ;;
    'stderr~') stderr_patterns+=("$value") ;;
    *) echo "$expect_file: unknown directive '$key'" >&2; exit 2 ;;
  esac
done <"$expect_file"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$cases_dir" && env "${env_vars[@]}" timeout 30 "$runtime" "$script" "${args[@]}" \
  >"$work/stdout" 2>"$work/stderr")
status=$?

failures=()
[[ $status -eq $expected_status ]] || failures+=("exit status $status, expected $expected_status")

# check_stream <name> <file> <has_exact> <exact_text> <patterns...>
check_stream() {
  local stream=$1 file=$2 has_exact=$3 exact=$4
  shift 4
  if [[ $has_exact -eq 1 ]]; then
    printf '%s' "$exact" >"$work/expected_$stream"
    if ! cmp -s "$work/expected_$stream" "$file"; then
      failures+=("$stream differs from the expected text:")
      failures+=("$(diff -u --label expected --label actual "$work/expected_$stream" "$file")")
    fi
  fi
  local pattern
  for pattern in "$@"; do
    grep -Eq -- "$pattern" "$file" || failures+=("no line of $stream matches /$pattern/")
  done
  # A stream the case says nothing about must stay silent: stray output is a bug.
  if [[ $has_exact -eq 0 && $# -eq 0 && -s $file ]]; then
    failures+=("unexpected output on $stream")
  fi
}
check_stream stdout "$work/stdout" "$has_exact_stdout" "$exact_stdout" ${stdout_patterns[@]+"${stdout_patterns[@]}"}
check_stream stderr "$work/stderr" "$has_exact_stderr" "$exact_stderr" ${stderr_patterns[@]+"${stderr_patterns[@]}"}

if [[ ${#failures[@]} -eq 0 ]]; then
  echo "ok $name"
  exit 0
fi
echo "FAIL $name ($script ${args[*]})"
printf '  %s\n' "${failures[@]}"
echo "--- stdout"
cat "$work/stdout"
echo "--- stderr"
cat "$work/stderr"
exit 1
