#!/usr/bin/env bash
# Boot smoke test of the virtio drivers (kernel/dev/virtio): boots the kernel with a
# virtio-net on QEMU user networking and two virtio-blk disks (raw temp files with known
# bytes in sector 0, the second read-only), then checks the lines virtio_probe(),
# route_device_interrupts() and virtio_smoke_test() print: MAC and link, capacity, how
# each device's interrupts are delivered, sector 0 read back, an ARP round trip with
# QEMU's gateway (`kiln.virtio_arp`), and that each device's interrupts arrived (its
# interrupt count after the I/O, where they are routed: the kernel halts for them).
#
#   virtio_smoke.sh KERNEL [microvm|microvm-acpi-off|q35|q35-fallbacks]...
#
# With no machine named, all run: microvm (ACPI on, QEMU's default: devices found by
# probing the fixed MMIO slots; their lines are on a second IOAPIC, so they are polled),
# microvm with acpi=off (devices from the virtio_mmio.device= words QEMU appends; IOAPIC
# lines), q35 (modern virtio-pci on bus 0, every device with MSI-X: one vector per
# event), and q35-fallbacks (the NIC with a one-entry MSI-X table, so one shared vector;
# the first disk without MSI-X, so INTx through the IOAPIC).
# Needs the kernel to call virtio_probe() and virtio_smoke_test() at boot.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
kernel=${1:?usage: virtio_smoke.sh KERNEL [machine]...}
shift
machines=("$@")
[ ${#machines[@]} -gt 0 ] || machines=(microvm microvm-acpi-off q35 q35-fallbacks)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'KILN-VIRTIO-RW-0' >"$work/rw.img"
truncate -s 1M "$work/rw.img"
printf 'KILN-VIRTIO-RO-0' >"$work/ro.img"
truncate -s 64K "$work/ro.img"

fail=0
for machine in "${machines[@]}"; do
  # Per device: extra -device properties, and the expected interrupt-mode and
  # interrupt-count lines (empty: not checked).
  net_props=; rw_props=; ro_props=
  net_mode=; rw_mode=; ro_mode=; irq_count=
  case "$machine" in
    microvm)
      # QEMU 7.2 makes virtio-mmio transports legacy (version 1) unless told otherwise.
      machine_args=(-M microvm -global virtio-mmio.force-legacy=false)
      bus=mmio; net_where='mmio 0xfeb0[0-9a-f]{4} irq [0-9]+'; blk_where=$net_where ;;
    microvm-acpi-off)
      machine_args=(-M microvm,acpi=off -global virtio-mmio.force-legacy=false)
      # QEMU fills the last of its 8 transports first: net in slot 7, disks in 6 and 5.
      bus=mmio; net_where='mmio 0xfeb00e00 irq 12'; blk_where='mmio 0xfeb00(c|a)00 irq 1[01]'
      net_mode='interrupts by IOAPIC pin 12'; rw_mode='interrupts by IOAPIC pin 1[01]'; ro_mode=$rw_mode
      irq_count='[1-9][0-9]* interrupts? by IOAPIC line' ;;
    q35)
      machine_args=(-M q35)
      bus=pci; net_where='pci 00:[0-9a-f]{2}\.0 irq [0-9]+'; blk_where=$net_where
      # QEMU's virtio-net-pci has 4 MSI-X entries (config, rx, tx, control queue),
      # virtio-blk-pci 2 (config, its queue).
      net_mode='interrupts by MSI-X, 4 vectors \(0x[0-9a-f]{2}-0x[0-9a-f]{2}\) of a 4-entry table'
      rw_mode='interrupts by MSI-X, 2 vectors \(0x[0-9a-f]{2}-0x[0-9a-f]{2}\) of a 2-entry table'; ro_mode=$rw_mode
      irq_count='[1-9][0-9]* interrupts? by MSI-X' ;;
    q35-fallbacks)
      machine_args=(-M q35)
      bus=pci; net_where='pci 00:01\.0 irq [0-9]+'; blk_where='pci 00:0[23]\.0 irq [0-9]+'
      net_props=,vectors=1; rw_props=,vectors=0
      net_mode='interrupts by MSI-X, 1 vector \(0x[0-9a-f]{2}\) of a 1-entry table'
      rw_mode='interrupts by INTx, IOAPIC pin [0-9]+ \(no MSI-X capability\)'
      ro_mode='interrupts by MSI-X, 2 vectors \(0x[0-9a-f]{2}-0x[0-9a-f]{2}\) of a 2-entry table'
      irq_count='[1-9][0-9]* interrupts? by (MSI-X|IOAPIC line)' ;;
    *) echo "virtio_smoke.sh: unknown machine $machine" >&2; exit 2 ;;
  esac
  if [ "$bus" = mmio ]; then
    net_dev=virtio-net-device; blk_dev=virtio-blk-device
  else
    net_dev=virtio-net-pci; blk_dev=virtio-blk-pci
  fi
  checks=(
    -e "^kiln: virtio-net at $net_where: mac 52:54:00:12:34:56, link up$"
    -e "^kiln: virtio-net at $net_where: ARP reply: 10\.0\.2\.2 is at 52:55:0a:00:02:02$"
    -e "^kiln: virtio-blk at $blk_where: 2048 sectors of 512 bytes, read-write, flush$"
    -e "^kiln: virtio-blk at $blk_where: 128 sectors of 512 bytes, read-only"
    -e "^kiln: virtio-blk at $blk_where: sector 0: 4b 49 4c 4e 2d 56 49 52 54 49 4f 2d 52 57 2d 30 \|KILN-VIRTIO-RW-0\|$"
    -e "^kiln: virtio-blk at $blk_where: sector 0: ([0-9a-f]{2} ){16}\|KILN-VIRTIO-RO-0\|$"
  )
  [ -z "$net_mode" ] || checks+=(-e "^kiln: virtio-net at $net_where: $net_mode$")
  # Each mode line must be there; which disk printed it is not checked (on q35-fallbacks
  # the two modes differ, so each disk has one of them).
  [ -z "$rw_mode" ] || checks+=(-e "^kiln: virtio-blk at $blk_where: $rw_mode$")
  [ -z "$ro_mode" ] || checks+=(-e "^kiln: virtio-blk at $blk_where: $ro_mode$")
  if [ -n "$irq_count" ]; then
    checks+=(-e "^kiln: virtio-net at $net_where: $irq_count$")
    # Each disk's own count follows its sector-0 line.
    checks+=(-e "^kiln: virtio-blk at $blk_where: $irq_count$")
  fi
  echo "=== virtio smoke test on $machine"
  out=$(mktemp -p "$work")
  "$here/boot_test.sh" --status 0 --qemu-code 1 "${checks[@]}" \
    -- qemu-system-x86_64 "${machine_args[@]}" -accel tcg -cpu max -m 128M -smp 1 -nodefaults -no-user-config \
      -display none -serial stdio -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4 \
      -netdev user,id=n0 -device "$net_dev,netdev=n0$net_props" \
      -drive "if=none,id=d0,format=raw,file=$work/rw.img" -device "$blk_dev,drive=d0$rw_props" \
      -drive "if=none,id=d1,format=raw,readonly=on,file=$work/ro.img" -device "$blk_dev,drive=d1$ro_props" \
      -kernel "$kernel" -append "console=ttyS0 kiln.virtio_arp" | tee "$out" || fail=1
  # Every routed device reported its interrupts: none printed "no interrupt".
  if grep -q "no interrupt by" "$out"; then
    echo "FAIL: a device's interrupts did not arrive"; fail=1
  fi
  if [ -n "$irq_count" ] && [ "$(grep -cE "^kiln: virtio-(net|blk) at .*: $irq_count$" "$out")" -ne 3 ]; then
    echo "FAIL: expected an interrupt count from each of the 3 devices"; fail=1
  fi
done
exit $fail
