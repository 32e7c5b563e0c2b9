#!/usr/bin/env bash
# Wall time from starting QEMU to its exit for the bare kernel (boot, report, power off),
# under the accelerator `kiln run` would pick (TCG on our machines). Median of N runs.
#
#   bench/kernel_boot.sh [N]        (default 20; needs a build: scripts/build)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
kernel=${KILN_KERNEL:-$root/build/kernel/kiln-kernel}
runs=${1:-20}
accel=(-accel tcg -cpu max)
if [ -e /sys/module/kvm_intel ] || [ -e /sys/module/kvm_amd ]; then
  [ -e /sys/module/kvm_pvm ] || accel=(-accel kvm -cpu host)
fi

times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  qemu-system-x86_64 -M microvm "${accel[@]}" -m 128M -smp 1 -nodefaults -no-user-config \
    -display none -serial stdio -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4 \
    -kernel "$kernel" -append console=ttyS0 </dev/null >/tmp/kiln-bench-boot.$$ 2>&1 || true
  end=$(date +%s%N)
  grep -q '^kiln: exit status 0$' /tmp/kiln-bench-boot.$$ || { echo "boot failed:"; cat /tmp/kiln-bench-boot.$$; exit 1; }
  times+=($(( (end - start) / 1000 )))
done
rm -f /tmp/kiln-bench-boot.$$
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
median=${sorted[$((runs / 2))]}
echo "kernel boot to power-off, ${accel[1]}, $runs runs: median $((median / 1000)).$(( (median % 1000) / 100 )) ms, min $((sorted[0] / 1000)) ms, max $((sorted[runs - 1] / 1000)) ms"
