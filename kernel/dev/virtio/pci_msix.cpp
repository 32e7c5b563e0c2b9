// MSI-X set-up for virtio-pci devices at boot: IDT vectors, the messages that reach this
// CPU's local APIC, and the fall-back to INTx. Kernel only (the vector allocator and the
// LAPIC ID); the table, the mapping and its read-back are in pci_transport.cpp.

#include "dev/virtio/pci_msix.h"

#include "arch/x86_64/apic.h"
#include "arch/x86_64/msi.h"

namespace kiln::virtio {

namespace {

void release_msix(ProbedDevice& device, const char* why)
{
    device.pci->disable_msix();
    for (uint16_t i = 0; i < device.msix_vector_count; ++i)
        x86::free_msi_vector(device.msix_vectors[i]);
    device.msix_vector_count = 0;
    device.msix_note = why;
}

} // namespace

// Gives a PCI device MSI-X vectors before its driver starts, so that the driver's
// queue set-up maps them (4.1.5.1.2): one per event it has (configuration change + each
// queue) while IDT vectors last, fewer (shared) otherwise. Leaves it on INTx, with the
// reason in msix_note, when it has no usable MSI-X.
void prepare_msix(ProbedDevice& device, bool allowed)
{
    PciTransport& pci = *device.pci;
    if (!allowed) {
        device.msix_note = "kiln.msix=off";
        return;
    }
    if (const char* why = pci.msix_unavailable()) {
        device.msix_note = why;
        return;
    }
    uint16_t wanted = pci.msix_vectors_wanted();
    uint32_t apic_id = x86::lapic_id();
    pci::MsiMessage messages[PciTransport::MAX_MSIX_VECTORS];
    uint16_t count = 0;
    while (count < wanted) {
        auto vector = x86::allocate_msi_vector();
        if (vector.is_error())
            break;
        device.msix_vectors[count] = vector.value();
        auto encoded = x86::msi_encode(apic_id, vector.value());
        if (encoded.is_error()) {
            device.msix_vector_count = static_cast<uint16_t>(count + 1);
            release_msix(device, "the CPU's APIC ID does not fit an MSI address");
            return;
        }
        messages[count++] = pci::MsiMessage { encoded->address, encoded->data };
    }
    device.msix_vector_count = count;
    if (count == 0) {
        device.msix_note = "no free interrupt vectors";
        return;
    }
    if (pci.enable_msix(std::span(messages, count)).is_error())
        release_msix(device, "cannot program the MSI-X table");
}

// After the driver started (or failed): a device that could not map every event to a
// vector goes back to INTx, where the ISR tells all its events apart.
void settle_msix(ProbedDevice& device, bool started)
{
    if (!device.pci || device.msix_vector_count == 0)
        return;
    if (!started)
        release_msix(device, "the driver did not start");
    else if (device.pci->msix_refused())
        release_msix(device, "the device refused its MSI-X vectors");
}

} // namespace kiln::virtio
