#include "dev/device_interrupts.h"

#include "arch/x86_64/apic.h"
#include "arch/x86_64/idt.h"
#include "dev/console.h"
#include "dev/virtio/blk.h"
#include "dev/virtio/net.h"
#include "dev/virtio/probe.h"
#include "time/wait.h"

namespace kiln {
namespace {

// Interrupt context (user mode or a kernel wait point was interrupted): only acknowledge
// and record; no allocation, no packet processing here.
void on_device_interrupt(x86::InterruptFrame& frame)
{
    int line = static_cast<int>(frame.vector - x86::DEVICE_VECTOR_BASE);
    for (const auto& device : virtio::virtio_devices()) {
        if (!device.transport || device.transport->location().irq != line)
            continue;
        if (device.net)
            device.net->on_interrupt();
        if (device.blk)
            device.blk->on_interrupt();
    }
    x86::lapic_end_of_interrupt();
    // From user mode the kernel is at a safe point: handle the packets now rather than
    // at the program's next wait. (At a kernel wait point, the wait loop does it.)
    if (frame.from_user())
        run_deferred_work();
}

}  // namespace

Result<void> route_device_interrupts()
{
    for (const auto& device : virtio::virtio_devices()) {
        if (!device.transport || device.transport->location().irq < 0)
            continue;
        int line = device.transport->location().irq;
        // virtio devices raise level-triggered, active-high lines on microvm and q35. A
        // line beyond the first IOAPIC (microvm with ACPI on puts devices on a second
        // one, GSI 24-47) is not routed: the device is polled every millisecond instead.
        if (line > x86::SPURIOUS_VECTOR - 1 - x86::DEVICE_VECTOR_BASE
            || x86::ioapic_route(static_cast<uint8_t>(line), x86::Trigger::Level, x86::Polarity::ActiveHigh)
                   .is_error()) {
            kprintf("kiln: interrupt line %d is not on the IOAPIC; polling the device every millisecond "
                    "(boot microvm with acpi=off, as kiln run does)\n",
                line);
            wait_set_poll_interval(1000000);
            continue;
        }
        x86::idt_set_handler(static_cast<uint8_t>(x86::DEVICE_VECTOR_BASE + line), on_device_interrupt);
    }
    return {};
}

}  // namespace kiln
