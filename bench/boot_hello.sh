#!/usr/bin/env bash
# Boots examples/hello in the VM and reports, as medians over N runs:
#   - time from starting QEMU to the app's first line of output, and to QEMU's exit;
#     the first also for the runtime without its startup snapshot (KILN_NO_SNAPSHOT=1),
#     booted alternately with the default image so that machine load hits both alike
#   - the smallest guest memory (-m, 16 MiB steps) it runs in
#   - the size of the root image
# under the accelerator `kiln run` would pick (TCG on our machines).
#
#   bench/boot_hello.sh [N]          (default 10; needs a build: scripts/build)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${KILN_BUILD_DIR:-$root/build}
runs=${1:-10}
kernel=$build/kernel/kiln-kernel
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

image=$work/hello.erofs
no_snapshot_image=$work/hello-no-snapshot.erofs
"$build/initrd/kiln-mkroot" -o "$image" --app "$root/examples/hello" --cwd /app --env NODE_ENV=production \
  "$build/runtime/kiln-runtime" /app/index.js
"$build/initrd/kiln-mkroot" -o "$no_snapshot_image" --app "$root/examples/hello" --cwd /app \
  --env NODE_ENV=production --env KILN_NO_SNAPSHOT=1 "$build/runtime/kiln-runtime" /app/index.js

accel=(-accel tcg -cpu max)
accel_name=tcg
if { [ -e /sys/module/kvm_intel ] || [ -e /sys/module/kvm_amd ]; } && [ ! -e /sys/module/kvm_pvm ]; then
  accel=(-accel kvm -cpu host)
  accel_name=kvm
fi

qemu() {
  qemu-system-x86_64 -M microvm "${accel[@]}" -m "$1" -smp 1 -nodefaults -no-user-config -display none \
    -serial stdio -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4 \
    -kernel "$kernel" -initrd "${2:-$image}" -append console=ttyS0 </dev/null 2>&1
}

# One run: prints "<ms to first app line> <ms to exit>"; fails unless the app ran.
#   one_run MEMORY [IMAGE]
one_run() {
  local start first="" line ok=0
  start=$EPOCHREALTIME
  while IFS= read -r line; do
    if [ -z "$first" ] && [ "$line" = "Hello from Kiln!" ]; then first=$EPOCHREALTIME; fi
    [ "$line" = "kiln: exit status 0" ] && ok=1
  done < <(qemu "$1" "${2:-$image}")
  local end=$EPOCHREALTIME
  [ "$ok" = 1 ] && [ -n "$first" ] || return 1
  awk -v s="$start" -v f="$first" -v e="$end" 'BEGIN { printf "%.1f %.1f\n", (f - s) * 1000, (e - s) * 1000 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

: >"$work/times"
: >"$work/times-no-snapshot"
for _ in $(seq "$runs"); do
  one_run 512M >>"$work/times" || { echo "boot failed"; qemu 512M | tail -20; exit 1; }
  one_run 512M "$no_snapshot_image" >>"$work/times-no-snapshot" \
    || { echo "boot failed (no snapshot)"; qemu 512M "$no_snapshot_image" | tail -20; exit 1; }
done
first_line=$(cut -d' ' -f1 "$work/times" | median)
exit_time=$(cut -d' ' -f2 "$work/times" | median)
first_line_no_snapshot=$(cut -d' ' -f1 "$work/times-no-snapshot" | median)

smallest=""
for mib in $(seq 96 16 512); do
  if one_run "${mib}M" >/dev/null 2>&1; then smallest=$mib; break; fi
done

size=$(stat -c %s "$image")
echo "examples/hello, $accel_name, $runs runs (median):"
echo "  QEMU start -> first line of app output: ${first_line} ms"
echo "  QEMU start -> QEMU exit:                ${exit_time} ms"
echo "  same first line, runtime --no-snapshot: ${first_line_no_snapshot} ms"
echo "  smallest -m that runs it:               ${smallest:-none up to 512} MiB"
echo "  root image:                             $((size / 1024 / 1024)) MiB ($size bytes)"
