#!/usr/bin/env bash
# Boot smoke test of the virtio drivers (kernel/dev/virtio): boots the kernel with a
# virtio-net on QEMU user networking and two virtio-blk disks (raw temp files with known
# bytes in sector 0, the second read-only), then checks the lines virtio_probe() and
# virtio_smoke_test() print: MAC and link, capacity, sector 0 read back by a polled
# request, and an ARP round trip with QEMU's gateway (`kiln.virtio_arp`).
#
#   virtio_smoke.sh KERNEL [microvm|microvm-acpi-off|q35]...
#
# With no machine named, all three run: microvm (ACPI on, QEMU's default: devices found
# by probing the fixed MMIO slots), microvm with acpi=off (devices from the
# virtio_mmio.device= words QEMU appends), and q35 (modern virtio-pci on bus 0).
# Needs the kernel to call virtio_probe() and virtio_smoke_test() at boot.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
kernel=${1:?usage: virtio_smoke.sh KERNEL [machine]...}
shift
machines=("$@")
[ ${#machines[@]} -gt 0 ] || machines=(microvm microvm-acpi-off q35)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'KILN-VIRTIO-RW-0' >"$work/rw.img"
truncate -s 1M "$work/rw.img"
printf 'KILN-VIRTIO-RO-0' >"$work/ro.img"
truncate -s 64K "$work/ro.img"

fail=0
for machine in "${machines[@]}"; do
  case "$machine" in
    microvm)
      # QEMU 7.2 makes virtio-mmio transports legacy (version 1) unless told otherwise.
      machine_args=(-M microvm -global virtio-mmio.force-legacy=false)
      bus=mmio; net_where='mmio 0xfeb0[0-9a-f]{4} irq [0-9]+'; blk_where=$net_where ;;
    microvm-acpi-off)
      machine_args=(-M microvm,acpi=off -global virtio-mmio.force-legacy=false)
      # QEMU fills the last of its 8 transports first: net in slot 7, disks in 6 and 5.
      bus=mmio; net_where='mmio 0xfeb00e00 irq 12'; blk_where='mmio 0xfeb00(c|a)00 irq 1[01]' ;;
    q35)
      machine_args=(-M q35)
      bus=pci; net_where='pci 00:[0-9a-f]{2}\.0 irq [0-9]+'; blk_where=$net_where ;;
    *) echo "virtio_smoke.sh: unknown machine $machine" >&2; exit 2 ;;
  esac
  if [ "$bus" = mmio ]; then
    net_dev=virtio-net-device; blk_dev=virtio-blk-device
  else
    net_dev=virtio-net-pci; blk_dev=virtio-blk-pci
  fi
  echo "=== virtio smoke test on $machine"
  "$here/boot_test.sh" --status 0 --qemu-code 1 \
    -e "^kiln: virtio-net at $net_where: mac 52:54:00:12:34:56, link up$" \
    -e "^kiln: virtio-net at $net_where: ARP reply: 10\.0\.2\.2 is at 52:55:0a:00:02:02$" \
    -e "^kiln: virtio-blk at $blk_where: 2048 sectors of 512 bytes, read-write, flush$" \
    -e "^kiln: virtio-blk at $blk_where: 128 sectors of 512 bytes, read-only" \
    -e "^kiln: virtio-blk at $blk_where: sector 0: 4b 49 4c 4e 2d 56 49 52 54 49 4f 2d 52 57 2d 30 \|KILN-VIRTIO-RW-0\|$" \
    -e "^kiln: virtio-blk at $blk_where: sector 0: ([0-9a-f]{2} ){16}\|KILN-VIRTIO-RO-0\|$" \
    -- qemu-system-x86_64 "${machine_args[@]}" -accel tcg -cpu max -m 128M -smp 1 -nodefaults -no-user-config \
      -display none -serial stdio -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4 \
      -netdev user,id=n0 -device "$net_dev,netdev=n0" \
      -drive "if=none,id=d0,format=raw,file=$work/rw.img" -device "$blk_dev,drive=d0" \
      -drive "if=none,id=d1,format=raw,readonly=on,file=$work/ro.img" -device "$blk_dev,drive=d1" \
      -kernel "$kernel" -append "console=ttyS0 kiln.virtio_arp" || fail=1
done
exit $fail
