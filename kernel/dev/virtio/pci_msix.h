#pragma once

// MSI-X for virtio-pci devices at boot, around the driver's start:
//
//   prepare_msix(device, allowed);   // vectors + table, before the driver starts
//   ... VirtioNet / VirtioBlk try_create ...   // maps config and queue events (read back)
//   settle_msix(device, started);    // back to INTx if that failed
//
// route_device_interrupts() (dev/device_interrupts.h) then installs the handlers and
// unmasks the entries. Kernel only, main context.

#include "dev/virtio/probe.h"

namespace kiln::virtio {

// Gives `device` (device.pci set, driver not started) one IDT vector per event its
// transport wants, or fewer (shared) when vectors run out, and programs its MSI-X table
// with them (masked). On return device.msix_vector_count is how many it got; 0 leaves
// the device on INTx with the reason in device.msix_note. `allowed` false
// (kiln.msix=off) keeps every device on INTx.
void prepare_msix(ProbedDevice& device, bool allowed);

// After the driver's start (`started`) or failure: a device whose MSI-X could not carry
// every event (it read back NO_VECTOR even on the shared entry) or whose driver failed
// gives its vectors back and goes back to INTx.
void settle_msix(ProbedDevice& device, bool started);

} // namespace kiln::virtio
