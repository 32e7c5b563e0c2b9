#!/usr/bin/env bash
# Runs one kiln-runtime test case and checks its exit status, stdout and stderr.
#
#     run_case.sh <kiln-runtime> <cases/name.expect>
#
# Runs cases/name.js (or the `script:` given) with the working directory set to the
# cases folder. The .expect format is described in tests/runtime/README.md.
#
# With KILN_VM_KILN and KILN_VM_MKROOT set (paths to `kiln` and `kiln-mkroot`), the case
# runs inside the VM instead: tests/runtime is packed as /app with the runtime, booted
# with `kiln run --no-net`, and checked on the console, where stdout and stderr arrive
# merged: expected lines of each stream must appear in order, patterns anywhere.
set -u

if [[ $# -ne 2 ]]; then
  echo "usage: $0 <kiln-runtime> <case.expect>" >&2
  exit 2
fi
runtime=$(realpath "$1")
expect_file=$2
cases_dir=$(cd "$(dirname "$expect_file")" && pwd)
name=$(basename "$expect_file" .expect)
in_vm=0
[[ -n ${KILN_VM_KILN:-} && -n ${KILN_VM_MKROOT:-} ]] && in_vm=1
# Where the cases and the runtime are as the case sees them.
seen_cases=$cases_dir seen_runtime=$runtime
if [[ $in_vm -eq 1 ]]; then
  seen_cases=/app/cases seen_runtime=/kiln/bin/kiln-runtime
fi

script="$cases_dir/$name.js"
expected_status=0
args=()
env_vars=()
disk_specs=()
exact_stdout='' has_exact_stdout=0 stdout_patterns=()
exact_stderr='' has_exact_stderr=0 stderr_patterns=()

while IFS= read -r line || [[ -n $line ]]; do
  [[ -z $line || $line == \#* ]] && continue
  key=${line%%:*}
  value=${line#*:}
  value=${value# }
  value=${value//@CASES@/$seen_cases}
  value=${value//@RUNTIME@/$seen_runtime}
  case $key in
    args) read -ra args <<<"$value" ;;
    env) env_vars+=("$value") ;;
    disk) disk_specs+=("$value") ;;
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

# Disks: fresh zero-filled files, attached in order as vda, vdb... (kiln run --disk in
# the VM; KILN_DISKS on the host, which kiln:disk reads there).
kiln_disks='' vm_disk_args=()
letters=abcdefghijklmnopqrstuvwxyz
for i in "${!disk_specs[@]}"; do
  spec=${disk_specs[$i]}
  file=$work/disk$i.img
  if ! truncate -s "${spec%%,*}" "$file"; then
    echo "$expect_file: bad disk size in 'disk: $spec'" >&2; exit 2
  fi
  read_only=0
  [[ $spec == *,ro ]] && read_only=1
  kiln_disks+="${kiln_disks:+,}vd${letters:$i:1}=$file"
  vm_disk_args+=(--disk "$file")
  if [[ $read_only -eq 1 ]]; then
    kiln_disks+=":ro"
    vm_disk_args[-1]+=",ro"
  fi
done
[[ -n $kiln_disks && $in_vm -eq 0 ]] && env_vars+=("KILN_DISKS=$kiln_disks")

if [[ $in_vm -eq 1 ]]; then
  # The host runner inherits the shell's environment; give the VM the variable cases
  # rely on from it.
  mkroot_env=(--env "PATH=/usr/local/bin:/usr/bin:/bin")
  for e in ${env_vars[@]+"${env_vars[@]}"}; do mkroot_env+=(--env "$e"); done
  if ! "$KILN_VM_MKROOT" -o "$work/case.erofs" --app "$(dirname "$cases_dir")" --cwd /app/cases \
      ${mkroot_env[@]+"${mkroot_env[@]}"} "$runtime" "/app/cases/${script#"$cases_dir"/}" ${args[@]+"${args[@]}"} \
      >"$work/mkroot" 2>&1; then
    echo "FAIL $name: cannot build the image"; cat "$work/mkroot"; exit 1
  fi
  timeout 120 "$KILN_VM_KILN" run --no-net ${vm_disk_args[@]+"${vm_disk_args[@]}"} "$work/case.erofs" \
    >"$work/console" 2>/dev/null
  status=$?
  rm -f "$work/case.erofs"
  # The last line is the kernel's status line; the rest is the program's output.
  sed '$d' "$work/console" >"$work/output"
else
  (cd "$cases_dir" && env "${env_vars[@]}" timeout 30 "$runtime" "$script" "${args[@]}" \
    >"$work/stdout" 2>"$work/stderr")
  status=$?
fi

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
# check_in_order <name> <expected_text>: the expected lines appear in the merged console
# output in this order (other lines may come between).
check_in_order() {
  local stream=$1 expected=$2
  printf '%s' "$expected" >"$work/expected_$stream"
  if ! awk 'BEGIN { n = 0; i = 0 } NR == FNR { want[n++] = $0; next } i < n && $0 == want[i] { i++ } END { exit i < n }' \
      "$work/expected_$stream" "$work/output"; then
    failures+=("the console does not show the expected $stream lines in order:")
    failures+=("$(cat "$work/expected_$stream")")
  fi
}
if [[ $in_vm -eq 1 ]]; then
  [[ $has_exact_stdout -eq 1 ]] && check_in_order stdout "$exact_stdout"
  [[ $has_exact_stderr -eq 1 ]] && check_in_order stderr "$exact_stderr"
  for pattern in ${stdout_patterns[@]+"${stdout_patterns[@]}"} ${stderr_patterns[@]+"${stderr_patterns[@]}"}; do
    grep -Eq -- "$pattern" "$work/output" || failures+=("no console line matches /$pattern/")
  done
  cp "$work/output" "$work/stdout"
  : >"$work/stderr"
else
  check_stream stdout "$work/stdout" "$has_exact_stdout" "$exact_stdout" ${stdout_patterns[@]+"${stdout_patterns[@]}"}
  check_stream stderr "$work/stderr" "$has_exact_stderr" "$exact_stderr" ${stderr_patterns[@]+"${stderr_patterns[@]}"}
fi

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
