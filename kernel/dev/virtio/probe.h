#pragma once

// Boot-time discovery and start-up of virtio devices. Kernel only (port I/O, the
// physical allocator, the console).
//
//   virtio_probe(cmdline);        // after memory_init() and apic_init(): allocator, heap,
//                                 // MSI vectors and the LAPIC ID
//   virtio_smoke_test(cmdline);   // after route_device_interrupts()
//
// Devices come from, in order: `virtio_mmio.device=` words on the command line; if there
// are none and the machine has no PCI, QEMU microvm's fixed MMIO slots; PCI bus 0
// (vendor 0x1af4). `kiln.virtio=off` skips it all. PCI devices with an MSI-X capability
// get vectors before their driver starts (`kiln.msix=off`: INTx for all).

#include <stddef.h>
#include <stdint.h>

#include <span>

#include "dev/virtio/dma.h"
#include "dev/virtio/pci_transport.h"
#include "dev/virtio/transport.h"

namespace kiln {
class Cmdline;
}

namespace kiln::virtio {

class VirtioNet;
class VirtioBlk;

// How a started device's interrupts reach the CPU (route_device_interrupts() sets it).
enum class InterruptMode : uint8_t {
    None, // not routed: the device is polled
    Line, // its interrupt line through the IOAPIC (virtio-mmio, PCI INTx)
    Msix, // PCI MSI-X messages straight to the local APIC
};

struct ProbedDevice {
    DeviceType type = DeviceType::Invalid;
    Transport* transport = nullptr;
    VirtioNet* net = nullptr; // type Network, initialized
    VirtioBlk* blk = nullptr; // type Block, initialized
    PciTransport* pci = nullptr; // the transport, when it is virtio-pci

    // MSI-X: the IDT vector of each table entry in use (entry i → msix_vectors[i]); none
    // when the device uses its line. `msix_note` says why not, for the boot log.
    uint8_t msix_vectors[PciTransport::MAX_MSIX_VECTORS] = {};
    uint16_t msix_vector_count = 0;
    const char* msix_note = "";
    InterruptMode interrupts = InterruptMode::None;
};

// Boot, once, main context, after memory_init() (frames, heap and the MMIO window).
// Finds and initializes every virtio network and block device and prints one line for
// each (kinfo), or why it was skipped (kprintf). Device interrupts are left for the
// caller to route (IOAPIC pins stay masked until then). Returns the number started.
size_t virtio_probe(const Cmdline& cmdline);

// Every device found (started or not), in probe order. A started device with
// msix_vector_count > 0 has its MSI-X entries programmed (masked) for those vectors;
// the others' transport().location().irq is the interrupt line to route to on_interrupt().
std::span<ProbedDevice> virtio_devices();
// Guest-physical memory for device rings and buffers: the physical allocator's frames
// through the direct map.
DmaMemory dma_memory();

// "mmio 0xfeb00e00 irq 12" / "pci 00:03.0 irq 11", as the boot log names devices.
void describe_location(const DeviceLocation& where, char* out, size_t size);

// The index-th started network / block device, or nullptr.
VirtioNet* virtio_net(size_t index = 0);
VirtioBlk* virtio_blk(size_t index = 0);

// Proves the data paths and the interrupts: reads sector 0 of every disk and prints its
// first bytes. With `kiln.virtio_arp` on the command line it also sends an ARP request
// for 10.0.2.2 (QEMU user networking's gateway) from every network device and reports
// the reply. A device whose interrupts are routed is waited for with the CPU halted (its
// interrupt wakes the check), then its interrupt count is printed; the others are polled.
// Every wait is bounded (2 s).
void virtio_smoke_test(const Cmdline& cmdline);

} // namespace kiln::virtio
