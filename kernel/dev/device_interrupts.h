#pragma once

#include "lib/result.h"

namespace kiln {

// Routes every probed virtio device's interrupt line through the IOAPIC to a handler
// that lets each device on the line record its interrupt (lines may be shared, as PCI
// INTx lines are) and then signals end of interrupt. The recorded work is done by the
// code that waits (network receive, disk completions), or right after the interrupt when
// it arrived in user mode (run_deferred_work). Boot, after virtio_probe().
Result<void> route_device_interrupts();

}  // namespace kiln
