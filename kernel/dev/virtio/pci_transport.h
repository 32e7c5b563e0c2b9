#pragma once

// Modern virtio-pci (virtio v1.2, 4.1): the common, notify, ISR and device
// configuration structures found through vendor-specific PCI capabilities, each in a
// memory BAR. Transitional devices work too (their modern interface is used); the
// legacy I/O-port interface is not implemented. Interrupts are INTx + the ISR (no
// MSI-X yet: config_msix_vector and queue_msix_vector stay unset).

#include "dev/pci/pci.h"
#include "dev/virtio/registers.h"
#include "dev/virtio/transport.h"

namespace kiln::virtio {

class PciTransport final : public Transport {
public:
    static constexpr uint16_t MAX_QUEUES = 8;

    PciTransport() = default;

    // The virtio device type of a PCI function (4.1.2), or Invalid when it is not a
    // virtio device.
    static DeviceType device_type_of(const pci::Function& function);

    // Parses the capabilities, maps the four structures through `mapper` and enables
    // memory decoding and bus mastering. NODEV: not virtio; NXIO: a structure is
    // missing, too short, outside its BAR or in an I/O BAR; FAULT: the mapper could
    // not map it (a BAR beyond what the kernel can reach).
    static Result<PciTransport> try_create(
        pci::ConfigAccess& config, const pci::Function& function, RegisterMapper& mapper, const char*& why);

    DeviceType device_type() override { return m_type; }
    const DeviceLocation& location() const override { return m_location; }
    uint64_t device_features() override;
    void set_driver_features(uint64_t features) override;
    uint8_t status() override;
    void set_status(uint8_t status) override;
    uint16_t queue_max_size(uint16_t queue) override;
    Result<void> enable_queue(
        uint16_t queue, uint16_t size, uint64_t descriptors, uint64_t driver_area, uint64_t device_area) override;
    void notify(uint16_t queue) override;
    uint32_t acknowledge_interrupt() override;
    uint8_t config_read8(size_t offset) override;
    uint16_t config_read16(size_t offset) override;
    uint32_t config_read32(size_t offset) override;
    uint32_t config_generation() override;

private:
    RegisterWindow* m_common = nullptr;
    RegisterWindow* m_notify = nullptr;
    RegisterWindow* m_isr = nullptr;
    RegisterWindow* m_device = nullptr;
    uint32_t m_notify_multiplier = 0;
    uint32_t m_notify_length = 0;
    uint32_t m_notify_offset[MAX_QUEUES] = {}; // byte offset in m_notify, per queue
    DeviceLocation m_location;
    DeviceType m_type = DeviceType::Invalid;
};

} // namespace kiln::virtio
