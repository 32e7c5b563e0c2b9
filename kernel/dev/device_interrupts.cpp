#include "dev/device_interrupts.h"

#include "arch/x86_64/apic.h"
#include "arch/x86_64/idt.h"
#include "dev/console.h"
#include "dev/virtio/blk.h"
#include "dev/virtio/net.h"
#include "dev/virtio/probe.h"
#include "lib/format.h"
#include "time/wait.h"

namespace kiln {
namespace {

// What an MSI-X vector stands for: one device, and the events (ISR bits) its table
// entry was mapped to. Written at boot before the entry is unmasked; read in interrupt
// context.
struct MessageRoute {
    const virtio::ProbedDevice* device = nullptr;
    uint32_t events = 0;
};
MessageRoute g_message_routes[256];

void record(const virtio::ProbedDevice& device, uint32_t events)
{
    if (device.net)
        device.net->record_interrupt(events);
    if (device.blk)
        device.blk->record_interrupt(events);
}

// After the device's interrupt is recorded: from user mode the kernel is at a safe
// point, so handle the packets now rather than at the program's next wait. (At a kernel
// wait point, the wait loop does it.)
void finish_interrupt(x86::InterruptFrame& frame)
{
    x86::lapic_end_of_interrupt();
    if (frame.from_user())
        run_deferred_work();
}

// Interrupt context (user mode or a kernel wait point was interrupted): only acknowledge
// and record; no allocation, no packet processing here.
void on_line_interrupt(x86::InterruptFrame& frame)
{
    int line = static_cast<int>(frame.vector - x86::DEVICE_VECTOR_BASE);
    for (const auto& device : virtio::virtio_devices()) {
        if (device.interrupts != virtio::InterruptMode::Line || device.transport->location().irq != line)
            continue;
        // Reads the ISR / interrupt status, which also deasserts the level-triggered line.
        if (device.net)
            device.net->on_interrupt();
        if (device.blk)
            device.blk->on_interrupt();
    }
    finish_interrupt(frame);
}

// Interrupt context. An MSI-X message is edge-triggered and unshared: nothing to read or
// acknowledge on the device (virtio 4.1.5.1.2: the ISR is unused), only the LAPIC's EOI.
void on_message_interrupt(x86::InterruptFrame& frame)
{
    const MessageRoute& route = g_message_routes[frame.vector & 0xff];
    if (route.device)
        record(*route.device, route.events);
    finish_interrupt(frame);
}

void describe_vectors(const virtio::ProbedDevice& device, char* out, size_t size)
{
    uint16_t count = device.msix_vector_count;
    bool consecutive = true;
    for (uint16_t i = 1; i < count; ++i)
        consecutive = consecutive && device.msix_vectors[i] == device.msix_vectors[0] + i;
    if (consecutive && count > 1) {
        format(out, size, "0x%02x-0x%02x", device.msix_vectors[0], device.msix_vectors[count - 1]);
        return;
    }
    size_t n = 0;
    for (uint16_t i = 0; i < count && n < size; ++i)
        n += format(out + n, size - n, i ? " 0x%02x" : "0x%02x", device.msix_vectors[i]);
}

void route_msix(virtio::ProbedDevice& device, const char* name, const char* place)
{
    for (uint16_t entry = 0; entry < device.msix_vector_count; ++entry) {
        uint8_t vector = device.msix_vectors[entry];
        g_message_routes[vector] = MessageRoute { &device, device.pci->msix_events(entry) };
        x86::idt_set_handler(vector, on_message_interrupt);
    }
    device.pci->unmask_msix();
    device.interrupts = virtio::InterruptMode::Msix;
    // "0x50-0x53" when the vectors are consecutive (the usual case), else a list.
    char vectors[5 * virtio::PciTransport::MAX_MSIX_VECTORS + 1];
    describe_vectors(device, vectors, sizeof(vectors));
    kinfo("kiln: %s at %s: interrupts by MSI-X, %u vector%s (%s) of a %u-entry table\n", name, place,
        device.msix_vector_count, device.msix_vector_count == 1 ? "" : "s", vectors, device.pci->msix_table_size());
}

void route_line(virtio::ProbedDevice& device, const char* name, const char* place)
{
    int line = device.transport->location().irq;
    // virtio devices raise level-triggered, active-high lines on microvm and q35. A
    // line beyond the first IOAPIC (microvm with ACPI on puts devices on a second
    // one, GSI 24-47) is not routed: the device is polled every millisecond instead.
    if (line > x86::MSI_VECTOR_FIRST - 1 - x86::DEVICE_VECTOR_BASE
        || x86::ioapic_route(static_cast<uint8_t>(line), x86::Trigger::Level, x86::Polarity::ActiveHigh)
               .is_error()) {
        kprintf("kiln: interrupt line %d is not on the IOAPIC; polling the device every millisecond "
                "(boot microvm with acpi=off, as kiln run does)\n",
            line);
        wait_set_poll_interval(1000000);
        return;
    }
    x86::idt_set_handler(static_cast<uint8_t>(x86::DEVICE_VECTOR_BASE + line), on_line_interrupt);
    device.interrupts = virtio::InterruptMode::Line;
    if (device.pci)
        kinfo("kiln: %s at %s: interrupts by INTx, IOAPIC pin %d (%s)\n", name, place, line, device.msix_note);
    else
        kinfo("kiln: %s at %s: interrupts by IOAPIC pin %d\n", name, place, line);
}

}  // namespace

Result<void> route_device_interrupts()
{
    for (auto& device : virtio::virtio_devices()) {
        if (!device.transport || !(device.net || device.blk))
            continue;
        const char* name = virtio::device_type_name(device.type);
        char place[48];
        virtio::describe_location(device.transport->location(), place, sizeof(place));
        if (device.msix_vector_count > 0)
            route_msix(device, name, place);
        else if (device.transport->location().irq >= 0)
            route_line(device, name, place);
        else {
            kprintf("kiln: %s at %s: no interrupt line; polling it every millisecond\n", name, place);
            wait_set_poll_interval(1000000);
        }
    }
    return {};
}

}  // namespace kiln
