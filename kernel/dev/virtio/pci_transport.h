#pragma once

// Modern virtio-pci (virtio v1.2, 4.1): the common, notify, ISR and device
// configuration structures found through vendor-specific PCI capabilities, each in a
// memory BAR. Transitional devices work too (their modern interface is used); the
// legacy I/O-port interface is not implemented.
//
// Interrupts: INTx + the ISR status (4.1.4.5) by default. With MSI-X (4.1.5.1.2) the
// kernel hands the transport one message per table entry (enable_msix) before the driver
// starts; the configuration-change event is then mapped to entry 0 and queue q to
// msix_entry_for_queue(q), each read back to detect a device that cannot map it. The ISR
// is not used with MSI-X: each vector says by itself which events it stands for.

#include <span>

#include "dev/pci/msix.h"
#include "dev/pci/pci.h"
#include "dev/virtio/registers.h"
#include "dev/virtio/transport.h"

namespace kiln::virtio {

class PciTransport final : public Transport {
public:
    static constexpr uint16_t MAX_QUEUES = 8;
    // Configuration change + one per queue.
    static constexpr uint16_t MAX_MSIX_VECTORS = 1 + MAX_QUEUES;

    PciTransport() = default;

    // The virtio device type of a PCI function (4.1.2), or Invalid when it is not a
    // virtio device.
    static DeviceType device_type_of(const pci::Function& function);

    // Parses the capabilities, maps the four structures through `mapper` and enables
    // memory decoding and bus mastering. NODEV: not virtio; NXIO: a structure is
    // missing, too short, outside its BAR or in an I/O BAR; FAULT: the mapper could
    // not map it (a BAR beyond what the kernel can reach). An MSI-X table is mapped too
    // when there is one; when it is missing or unusable the device simply stays on INTx
    // (msix_unavailable() says why). `config` must outlive the transport.
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
    void map_config_interrupt() override;

    // --- MSI-X ---

    // Why the device cannot use MSI-X ("no MSI-X capability", ...), or nullptr if it can.
    const char* msix_unavailable() const { return m_msix_table ? nullptr : m_msix_why; }
    uint16_t msix_table_size() const { return m_msix.table_size; }
    // How many vectors the device could use: configuration change + one per queue it
    // has (up to MAX_QUEUES), no more than its table holds. 0 without MSI-X.
    uint16_t msix_vectors_wanted();
    // The table entry queue `queue` is mapped to when `vectors` entries are in use: its
    // own (1 + queue) when there are enough, shared otherwise; entry 0 (with the
    // configuration change) when there is only one.
    static uint16_t msix_entry_for_queue(uint16_t queue, uint16_t vectors);

    // Programs table entries 0..messages.size()-1, masked, enables MSI-X (function
    // masked) and disables INTx. Main context, before the driver starts (a reset unmaps
    // every event: 4.1.5.1.2.1). INVAL: no usable table, or more messages than entries.
    Result<void> enable_msix(std::span<const pci::MsiMessage> messages);
    // Lets the entries fire, once their handlers are installed.
    void unmask_msix();
    // Back to INTx + ISR: entries masked, MSI-X off, INTx on. For a device that refused
    // a mapping (the events it refused would never interrupt otherwise).
    void disable_msix();
    // Entries in use; 0 when the device interrupts through INTx.
    uint16_t msix_vectors() const { return m_msix_vectors; }
    // True when the device read back NO_VECTOR for an event even on the shared entry 0
    // (4.1.5.1.2: a mapping failure): MSI-X cannot carry all its interrupts.
    bool msix_refused() const { return m_msix_refused; }
    // The events (ISR_QUEUE, ISR_CONFIG bits, as acknowledge_interrupt() would report
    // them) that table entry `entry` was successfully mapped to.
    uint32_t msix_events(uint16_t entry) const { return entry < MAX_MSIX_VECTORS ? m_msix_events[entry] : 0; }

private:
    void find_msix_table(RegisterMapper& mapper);
    // Writes an MSI-X mapping register (selected queue or config) and reads it back;
    // falls back to entry 0. Returns the entry the device took, or NO_VECTOR.
    uint16_t map_vector(size_t register_offset, uint16_t entry);

    RegisterWindow* m_common = nullptr;
    RegisterWindow* m_notify = nullptr;
    RegisterWindow* m_isr = nullptr;
    RegisterWindow* m_device = nullptr;
    uint32_t m_notify_multiplier = 0;
    uint32_t m_notify_length = 0;
    uint32_t m_notify_offset[MAX_QUEUES] = {}; // byte offset in m_notify, per queue
    DeviceLocation m_location;
    DeviceType m_type = DeviceType::Invalid;

    pci::ConfigAccess* m_config = nullptr;
    pci::Address m_address;
    pci::MsixCapability m_msix;
    RegisterWindow* m_msix_table = nullptr; // null: MSI-X unusable (m_msix_why)
    const char* m_msix_why = "no MSI-X capability";
    uint16_t m_msix_vectors = 0;
    bool m_msix_refused = false;
    uint32_t m_msix_events[MAX_MSIX_VECTORS] = {};
};

} // namespace kiln::virtio
