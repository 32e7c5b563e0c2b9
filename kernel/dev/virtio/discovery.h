#pragma once

// Where virtio-mmio devices are: they cannot be enumerated, so the machine says.
//
// - The kernel command line, in Linux's format (drivers/virtio/virtio_mmio.c):
//       virtio_mmio.device=<size>@<base>:<irq>[:<id>]
//   <size> and <base> take 0x-hex or decimal with an optional K/M/G suffix; <irq> is
//   decimal. QEMU's microvm appends one word per populated transport
//   ("virtio_mmio.device=512@0xfeb00e00:12") - but only with `acpi=off`: with ACPI on
//   (the default) it describes them in the DSDT instead. Firecracker always appends them.
// - Failing that, QEMU microvm's fixed layout: transports at 0xfeb00000 + 512 * i. The
//   interrupt of transport i is 5 + i (8 transports, ACPI off), 16 + i (8, ACPI on,
//   one IOAPIC) or 24 + i (24 transports on a second IOAPIC, the default since QEMU 5.2).
//
// Portable: parsing only, unit-tested.

#include <stddef.h>
#include <stdint.h>

#include <span>

#include "lib/cmdline.h"

namespace kiln::virtio {

struct MmioDeviceSpec {
    uint64_t base = 0;
    uint64_t size = 0;
    int irq = -1;
};

// Parses one value ("512@0xfeb00e00:12"). False for anything malformed: missing parts,
// bad numbers, a zero size, a base + size that wraps.
bool parse_mmio_device(std::string_view text, MmioDeviceSpec& out);

// Every well-formed `virtio_mmio.device=` word, in command-line order, up to
// out.size(). `malformed` counts the words that did not parse. Returns the number of
// devices found (which may exceed out.size(); the rest were not stored).
size_t mmio_devices_from_cmdline(const Cmdline& cmdline, std::span<MmioDeviceSpec> out, size_t& malformed);

// QEMU microvm's layout (hw/i386/microvm.c, QEMU 5.2 - 7.2).
namespace microvm {
constexpr uint64_t MMIO_BASE = 0xfeb00000;
constexpr uint64_t MMIO_STRIDE = 512;
constexpr size_t MAX_TRANSPORTS = 24;
constexpr size_t TRANSPORTS_WITHOUT_IOAPIC2 = 8;

constexpr uint64_t transport_base(size_t index) { return MMIO_BASE + index * MMIO_STRIDE; }

// The interrupt of transport `index`. `transports_present`: how many transports answer
// with the virtio magic value (24 means the second IOAPIC is in use); `acpi`: whether
// the machine has ACPI tables (8 transports then route to GSI 16 + i).
int transport_irq(size_t index, size_t transports_present, bool acpi);
} // namespace microvm

} // namespace kiln::virtio
