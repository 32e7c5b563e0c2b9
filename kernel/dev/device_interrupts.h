#pragma once

#include "lib/result.h"

namespace kiln {

// Routes every started virtio device's interrupts: its MSI-X vectors (set up by
// virtio_probe) to a handler that records the events the vector stands for, or else its
// interrupt line through the IOAPIC to a handler that lets each device on the line read
// and record its interrupt status (lines may be shared, as PCI INTx lines are); both
// then signal end of interrupt. One boot-log line per device says which it uses. The recorded work is done by the
// code that waits (network receive, disk completions), or right after the interrupt when
// it arrived in user mode (run_deferred_work). Boot, after virtio_probe().
Result<void> route_device_interrupts();

}  // namespace kiln
