#pragma once

// A fake virtio device for host tests: guest RAM is a host buffer, the device model
// reads the driver's rings in it and writes used entries back, the way QEMU would, and
// two front-ends expose it as virtio-mmio registers or as a modern virtio-pci function.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "dev/pci/msix.h"
#include "dev/pci/pci.h"
#include "dev/virtio/dma.h"
#include "dev/virtio/registers.h"
#include "dev/virtio/spec.h"

namespace kiln::virtio::testing {

// Guest RAM: `bytes` at guest-physical `base`, handed out in pages.
class FakeRam {
public:
    explicit FakeRam(size_t bytes = 8 << 20, uint64_t base = 0x100000);

    DmaMemory memory();
    // Bounds-checked pointer into RAM (fails the test and returns nullptr outside it).
    uint8_t* at(uint64_t physical, size_t length);
    size_t pages_in_use() const { return m_in_use; }
    // The next `n` allocations succeed, later ones fail (-1: never fail).
    void fail_after(int n) { m_fail_after = n; }
    uint64_t base() const { return m_base; }

private:
    static Result<uint64_t> allocate(void* context, size_t count);
    static void release(void* context, uint64_t physical, size_t count);

    std::vector<uint8_t> m_storage;
    uint8_t* m_bytes;
    uint64_t m_base;
    std::vector<bool> m_used;
    size_t m_in_use = 0;
    int m_fail_after = -1;
};

struct FakeSegment {
    uint64_t physical;
    uint32_t length;
};

struct FakeChain {
    uint16_t head = 0;
    std::vector<FakeSegment> readable;
    std::vector<FakeSegment> writable;
};

class FakeDevice {
public:
    static constexpr uint16_t MAX_QUEUES = 8;

    FakeDevice(FakeRam& ram, DeviceType type, uint64_t features, size_t config_size, uint16_t queue_count,
        uint16_t queue_max = 256);

    struct Queue {
        uint16_t max = 0;
        uint16_t size = 0;
        bool ready = false;
        uint64_t desc = 0, driver = 0, device = 0;
        uint16_t notify_off = 0;
        uint16_t last_avail = 0;
        uint16_t used_idx = 0;
        int notifications = 0;
        uint16_t msix_vector = virtio_pci::NO_VECTOR; // 4.1.5.1.2.1: unmapped at reset
    };

    // What the driver sees and sets.
    DeviceType type;
    uint64_t device_features;
    uint64_t driver_features = 0;
    uint8_t status = 0;
    std::vector<uint8_t> status_writes; // every status value written, in order
    std::vector<uint8_t> config;
    uint32_t config_generation = 0;
    // Bumped (once) on the next config read, to exercise the generation retry loop.
    bool bump_generation_on_read = false;
    uint32_t interrupt_status = 0;
    uint16_t config_msix_vector = virtio_pci::NO_VECTOR;
    Queue queues[MAX_QUEUES];
    uint16_t queue_count;
    // Device behaviour knobs.
    bool refuse_features = false; // clear FEATURES_OK when set
    bool no_notify = false; // VIRTQ_USED_F_NO_NOTIFY in every used ring

    // Driver-visible register semantics, shared by both front-ends.
    void write_status(uint8_t value);
    uint32_t read_config(size_t offset, size_t width);
    bool event_idx() const { return (driver_features & feature(feature_bit::EVENT_IDX)) != 0; }

    // Device side: the next available chain of queue q, or nullopt.
    std::optional<FakeChain> pop_available(uint16_t q);
    size_t available_count(uint16_t q);
    // Returns a chain to the driver with `written` bytes in its writable part.
    void push_used(uint16_t q, uint16_t head, uint32_t written);
    // Writes a raw used entry (for misbehaving-device tests).
    void push_raw_used(uint16_t q, uint32_t id, uint32_t written);
    uint16_t used_event(uint16_t q); // from the driver's avail ring
    uint16_t avail_flags(uint16_t q);

    std::vector<uint8_t> read(uint64_t physical, size_t length);
    void write(uint64_t physical, const void* data, size_t length);
    // Copies `data` into the chain's writable segments; returns the bytes written.
    uint32_t fill(const FakeChain& chain, const std::vector<uint8_t>& data);
    // Concatenation of the chain's readable segments.
    std::vector<uint8_t> gather(const FakeChain& chain);

    FakeRam& ram;
    bool failed = false; // a chain was malformed
};

// The device as virtio-mmio registers (4.2.2).
class FakeMmio final : public RegisterWindow {
public:
    explicit FakeMmio(FakeDevice& device, uint32_t version = 2)
        : m_device(device)
        , version(version)
    {
    }
    uint8_t read8(size_t offset) override;
    uint16_t read16(size_t offset) override;
    uint32_t read32(size_t offset) override;
    void write8(size_t offset, uint8_t value) override;
    void write16(size_t offset, uint16_t value) override;
    void write32(size_t offset, uint32_t value) override;

    uint32_t magic = mmio::MAGIC;

private:
    FakeDevice& m_device;
    uint32_t m_device_features_sel = 0, m_driver_features_sel = 0, m_queue_sel = 0;

public:
    uint32_t version;
};

// The device as a modern virtio-pci function at 00:03.0 with its structures in a 64-bit
// BAR 4 at BAR_ADDRESS (common at +0, ISR at +0x1000, device config at +0x2000, notify at
// +0x3000) and an MSI-X table of `msix_table_size` entries in BAR 1 (PBA at +0x800), like
// QEMU lays it out.
class FakePci final : public pci::ConfigAccess, public RegisterMapper {
public:
    static constexpr uint64_t BAR_ADDRESS = 0xfe000000;
    static constexpr uint32_t NOTIFY_MULTIPLIER = 4;
    static constexpr pci::Address ADDRESS { 0, 3, 0 };
    static constexpr uint64_t MSIX_BAR_ADDRESS = 0xfebd1000;
    static constexpr uint8_t MSIX_CAP = 0x98;
    static constexpr uint16_t MSIX_TABLE_SIZE = 4;

    explicit FakePci(FakeDevice& device, uint16_t pci_device_id = 0);
    ~FakePci();

    uint32_t read32(pci::Address address, uint16_t offset) override;
    void write32(pci::Address address, uint16_t offset, uint32_t value) override;
    void write16(pci::Address address, uint16_t offset, uint16_t value) override;
    RegisterWindow* map(uint64_t physical, size_t length) override;

    // Raw configuration space of 00:03.0; tests poke it to break things.
    uint8_t space[256] = {};
    void put8(uint16_t offset, uint8_t value) { space[offset] = value; }
    void put16(uint16_t offset, uint16_t value);
    void put32(uint16_t offset, uint32_t value);
    // Adds a capability at `offset` and links it at the end of the list.
    void add_virtio_cap(uint8_t offset, uint8_t cfg_type, uint8_t bar, uint32_t bar_offset, uint32_t length);
    pci::Function function();

    bool refuse_mapping = false;
    // MSI-X: the table (4 dwords per entry, as the driver wrote them; vector control
    // starts masked), and the first entry the device cannot map an event to (reads back
    // NO_VECTOR from then on; 4.1.5.1.2).
    std::vector<uint32_t> msix_table;
    uint16_t msix_unmappable_from = 0xffff;
    uint16_t msix_control();
    uint16_t command();
    std::vector<std::pair<uint64_t, size_t>> mapped;
    std::vector<std::pair<uint32_t, uint16_t>> notifications; // (offset in notify window, value)

    FakeDevice& device() { return m_device; }

private:
    class Window;
    FakeDevice& m_device;
    uint8_t m_last_cap = 0;
    std::vector<std::unique_ptr<Window>> m_windows;
    uint32_t m_device_feature_select = 0, m_driver_feature_select = 0;
    uint16_t m_queue_select = 0;

public:
    // Common configuration register semantics (4.1.4.3).
    uint32_t common_read(size_t offset, size_t width);
    void common_write(size_t offset, size_t width, uint32_t value);
};

} // namespace kiln::virtio::testing
