#pragma once

// Boot-time discovery and start-up of virtio devices. Kernel only (port I/O, the
// physical allocator, the console).
//
//   virtio_probe(cmdline);        // after memory_init(): needs the allocator and heap
//   virtio_smoke_test(cmdline);   // optional: polled I/O, works before interrupts
//
// Devices come from, in order: `virtio_mmio.device=` words on the command line; if there
// are none and the machine has no PCI, QEMU microvm's fixed MMIO slots; PCI bus 0
// (vendor 0x1af4). `kiln.virtio=off` skips it all.

#include <stddef.h>
#include <stdint.h>

#include <span>

#include "dev/virtio/dma.h"
#include "dev/virtio/transport.h"

namespace kiln {
class Cmdline;
}

namespace kiln::virtio {

class VirtioNet;
class VirtioBlk;

struct ProbedDevice {
    DeviceType type = DeviceType::Invalid;
    Transport* transport = nullptr;
    VirtioNet* net = nullptr; // type Network, initialized
    VirtioBlk* blk = nullptr; // type Block, initialized
};

// Boot, once, main context, after memory_init() (frames, heap and the MMIO window).
// Finds and initializes every virtio network and block device and prints one line for
// each (kinfo), or why it was skipped (kprintf). Device interrupts are left for the
// caller to route (IOAPIC pins stay masked until then). Returns the number started.
size_t virtio_probe(const Cmdline& cmdline);

// Every device found (started or not), in probe order. Each started device's
// transport().location().irq is the interrupt to route to its on_interrupt().
std::span<ProbedDevice> virtio_devices();
// Guest-physical memory for device rings and buffers: the physical allocator's frames
// through the direct map.
DmaMemory dma_memory();

// The index-th started network / block device, or nullptr.
VirtioNet* virtio_net(size_t index = 0);
VirtioBlk* virtio_blk(size_t index = 0);

// Proves the data paths without interrupts: reads sector 0 of every disk (polling the
// used ring with a bounded wait) and prints its first bytes. With `kiln.virtio_arp` on
// the command line it also sends an ARP request for 10.0.2.2 (QEMU user networking's
// gateway) from every network device and reports the reply.
void virtio_smoke_test(const Cmdline& cmdline);

} // namespace kiln::virtio
