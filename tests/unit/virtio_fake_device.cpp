#include "virtio_fake_device.h"

#include <gtest/gtest.h>

#include <cstring>

namespace kiln::virtio::testing {

// ---------------------------------------------------------------------------------
// FakeRam

FakeRam::FakeRam(size_t bytes, uint64_t base)
    : m_storage(bytes + mm::PAGE_SIZE)
    , m_base(base)
    , m_used(bytes / mm::PAGE_SIZE, false)
{
    auto raw = reinterpret_cast<uintptr_t>(m_storage.data());
    m_bytes = reinterpret_cast<uint8_t*>((raw + mm::PAGE_SIZE - 1) & ~(mm::PAGE_SIZE - 1));
    // Garbage, not zeroes: the driver must not rely on fresh frames being clean.
    std::memset(m_bytes, 0xa5, bytes);
}

DmaMemory FakeRam::memory()
{
    DmaMemory memory;
    memory.frames.context = this;
    memory.frames.allocate = &FakeRam::allocate;
    memory.frames.release = &FakeRam::release;
    memory.window = mm::PhysicalMemory(reinterpret_cast<uintptr_t>(m_bytes) - m_base);
    return memory;
}

uint8_t* FakeRam::at(uint64_t physical, size_t length)
{
    if (physical < m_base || physical + length > m_base + m_used.size() * mm::PAGE_SIZE) {
        ADD_FAILURE() << "device access outside guest RAM at 0x" << std::hex << physical;
        return nullptr;
    }
    return m_bytes + (physical - m_base);
}

Result<uint64_t> FakeRam::allocate(void* context, size_t count)
{
    auto* self = static_cast<FakeRam*>(context);
    if (self->m_fail_after == 0)
        return Errno::NOMEM;
    if (self->m_fail_after > 0)
        --self->m_fail_after;
    size_t run = 0;
    for (size_t i = 0; i < self->m_used.size(); ++i) {
        run = self->m_used[i] ? 0 : run + 1;
        if (run == count) {
            size_t first = i + 1 - count;
            for (size_t j = first; j <= i; ++j)
                self->m_used[j] = true;
            self->m_in_use += count;
            return self->m_base + first * mm::PAGE_SIZE;
        }
    }
    return Errno::NOMEM;
}

void FakeRam::release(void* context, uint64_t physical, size_t count)
{
    auto* self = static_cast<FakeRam*>(context);
    size_t first = (physical - self->m_base) / mm::PAGE_SIZE;
    for (size_t j = first; j < first + count; ++j) {
        EXPECT_TRUE(self->m_used[j]) << "double free of a page";
        self->m_used[j] = false;
    }
    self->m_in_use -= count;
}

// ---------------------------------------------------------------------------------
// FakeDevice

FakeDevice::FakeDevice(
    FakeRam& ram_, DeviceType type_, uint64_t features, size_t config_size, uint16_t queue_count_, uint16_t queue_max)
    : type(type_)
    , device_features(features)
    , config(config_size, 0)
    , queue_count(queue_count_)
    , ram(ram_)
{
    for (uint16_t i = 0; i < queue_count && i < MAX_QUEUES; ++i) {
        queues[i].max = queue_max;
        queues[i].notify_off = i;
    }
}

void FakeDevice::write_status(uint8_t value)
{
    status_writes.push_back(value);
    if (value == 0) {
        status = 0;
        driver_features = 0;
        config_msix_vector = virtio_pci::NO_VECTOR;
        for (auto& q : queues)
            q = Queue { q.max, 0, false, 0, 0, 0, q.notify_off, 0, 0, 0 };
        return;
    }
    status = value;
    if ((value & status::FEATURES_OK) && refuse_features)
        status = static_cast<uint8_t>(status & ~status::FEATURES_OK);
}

uint32_t FakeDevice::read_config(size_t offset, size_t width)
{
    if (bump_generation_on_read) {
        bump_generation_on_read = false;
        ++config_generation;
    }
    uint32_t value = 0;
    if (offset + width <= config.size())
        std::memcpy(&value, config.data() + offset, width);
    return value;
}

size_t FakeDevice::available_count(uint16_t q)
{
    Queue& queue = queues[q];
    if (!queue.ready)
        return 0;
    auto* avail = ram.at(queue.driver, 4);
    uint16_t idx;
    std::memcpy(&idx, avail + 2, 2);
    return static_cast<uint16_t>(idx - queue.last_avail);
}

std::optional<FakeChain> FakeDevice::pop_available(uint16_t q)
{
    Queue& queue = queues[q];
    if (!queue.ready || available_count(q) == 0)
        return std::nullopt;
    auto* avail = ram.at(queue.driver, avail_ring_bytes(queue.size));
    uint16_t head;
    std::memcpy(&head, avail + 4 + 2 * (queue.last_avail % queue.size), 2);
    ++queue.last_avail;
    if (event_idx()) {
        // The device's avail_event: notify me when you pass what I have consumed.
        auto* used = ram.at(queue.device, used_ring_bytes(queue.size));
        std::memcpy(used + 4 + 8 * queue.size, &queue.last_avail, 2);
    }

    FakeChain chain;
    chain.head = head;
    uint16_t index = head;
    for (int hops = 0;; ++hops) {
        if (index >= queue.size || hops >= queue.size) {
            ADD_FAILURE() << "malformed descriptor chain";
            failed = true;
            return std::nullopt;
        }
        VirtqDesc d;
        std::memcpy(&d, ram.at(queue.desc + 16 * index, 16), 16);
        if (d.flags & VIRTQ_DESC_F_INDIRECT) {
            ADD_FAILURE() << "indirect descriptor not negotiated";
            failed = true;
        }
        if (d.flags & VIRTQ_DESC_F_WRITE) {
            chain.writable.push_back({ d.addr, d.len });
        } else {
            if (!chain.writable.empty()) {
                ADD_FAILURE() << "2.7.4.2: readable descriptor after a writable one";
                failed = true;
            }
            chain.readable.push_back({ d.addr, d.len });
        }
        if (!(d.flags & VIRTQ_DESC_F_NEXT))
            break;
        index = d.next;
    }
    return chain;
}

void FakeDevice::push_raw_used(uint16_t q, uint32_t id, uint32_t written)
{
    Queue& queue = queues[q];
    auto* used = ram.at(queue.device, used_ring_bytes(queue.size));
    VirtqUsedElem elem { id, written };
    std::memcpy(used + 4 + 8 * (queue.used_idx % queue.size), &elem, 8);
    uint16_t old = queue.used_idx;
    ++queue.used_idx;
    std::memcpy(used + 2, &queue.used_idx, 2);
    uint16_t flags = no_notify ? VIRTQ_USED_F_NO_NOTIFY : 0;
    std::memcpy(used, &flags, 2);
    bool interrupt = event_idx() ? need_event(used_event(q), queue.used_idx, old)
                                 : (avail_flags(q) & VIRTQ_AVAIL_F_NO_INTERRUPT) == 0;
    if (interrupt)
        interrupt_status |= mmio::INTERRUPT_USED_BUFFER;
}

void FakeDevice::push_used(uint16_t q, uint16_t head, uint32_t written) { push_raw_used(q, head, written); }

uint16_t FakeDevice::used_event(uint16_t q)
{
    Queue& queue = queues[q];
    uint16_t value;
    std::memcpy(&value, ram.at(queue.driver + 4 + 2 * queue.size, 2), 2);
    return value;
}

uint16_t FakeDevice::avail_flags(uint16_t q)
{
    uint16_t value;
    std::memcpy(&value, ram.at(queues[q].driver, 2), 2);
    return value;
}

std::vector<uint8_t> FakeDevice::read(uint64_t physical, size_t length)
{
    auto* p = ram.at(physical, length);
    return p ? std::vector<uint8_t>(p, p + length) : std::vector<uint8_t>();
}

void FakeDevice::write(uint64_t physical, const void* data, size_t length)
{
    if (auto* p = ram.at(physical, length))
        std::memcpy(p, data, length);
}

uint32_t FakeDevice::fill(const FakeChain& chain, const std::vector<uint8_t>& data)
{
    size_t done = 0;
    for (const auto& s : chain.writable) {
        size_t n = std::min<size_t>(s.length, data.size() - done);
        write(s.physical, data.data() + done, n);
        done += n;
        if (done == data.size())
            break;
    }
    return static_cast<uint32_t>(done);
}

std::vector<uint8_t> FakeDevice::gather(const FakeChain& chain)
{
    std::vector<uint8_t> out;
    for (const auto& s : chain.readable) {
        auto part = read(s.physical, s.length);
        out.insert(out.end(), part.begin(), part.end());
    }
    return out;
}

// ---------------------------------------------------------------------------------
// FakeMmio

uint8_t FakeMmio::read8(size_t offset)
{
    if (offset >= mmio::CONFIG)
        return static_cast<uint8_t>(m_device.read_config(offset - mmio::CONFIG, 1));
    ADD_FAILURE() << "8-bit read of MMIO control register 0x" << std::hex << offset;
    return 0;
}

uint16_t FakeMmio::read16(size_t offset)
{
    if (offset >= mmio::CONFIG)
        return static_cast<uint16_t>(m_device.read_config(offset - mmio::CONFIG, 2));
    ADD_FAILURE() << "16-bit read of MMIO control register 0x" << std::hex << offset;
    return 0;
}

uint32_t FakeMmio::read32(size_t offset)
{
    if (offset >= mmio::CONFIG)
        return m_device.read_config(offset - mmio::CONFIG, 4);
    FakeDevice::Queue* q = m_queue_sel < FakeDevice::MAX_QUEUES ? &m_device.queues[m_queue_sel] : nullptr;
    switch (offset) {
    case mmio::MAGIC_VALUE:
        return magic;
    case mmio::VERSION:
        return version;
    case mmio::DEVICE_ID:
        return static_cast<uint32_t>(m_device.type);
    case mmio::VENDOR_ID:
        return 0x554d4551; // "QEMU"
    case mmio::DEVICE_FEATURES:
        return m_device_features_sel == 0 ? static_cast<uint32_t>(m_device.device_features)
            : m_device_features_sel == 1  ? static_cast<uint32_t>(m_device.device_features >> 32)
                                          : 0;
    case mmio::QUEUE_NUM_MAX:
        return q && m_queue_sel < m_device.queue_count ? q->max : 0;
    case mmio::QUEUE_READY:
        return q ? q->ready : 0;
    case mmio::INTERRUPT_STATUS:
        return m_device.interrupt_status;
    case mmio::STATUS:
        return m_device.status;
    case mmio::CONFIG_GENERATION:
        return m_device.config_generation;
    default:
        ADD_FAILURE() << "read of write-only or unknown MMIO register 0x" << std::hex << offset;
        return 0;
    }
}

void FakeMmio::write8(size_t offset, uint8_t) { ADD_FAILURE() << "8-bit MMIO write at 0x" << std::hex << offset; }
void FakeMmio::write16(size_t offset, uint16_t) { ADD_FAILURE() << "16-bit MMIO write at 0x" << std::hex << offset; }

void FakeMmio::write32(size_t offset, uint32_t value)
{
    FakeDevice::Queue* q = m_queue_sel < FakeDevice::MAX_QUEUES ? &m_device.queues[m_queue_sel] : nullptr;
    auto set_low = [](uint64_t& field, uint32_t v) { field = (field & ~0xffffffffULL) | v; };
    auto set_high = [](uint64_t& field, uint32_t v) { field = (field & 0xffffffffULL) | (uint64_t(v) << 32); };
    switch (offset) {
    case mmio::DEVICE_FEATURES_SEL:
        m_device_features_sel = value;
        return;
    case mmio::DRIVER_FEATURES_SEL:
        m_driver_features_sel = value;
        return;
    case mmio::DRIVER_FEATURES:
        if (m_driver_features_sel == 0)
            set_low(m_device.driver_features, value);
        else if (m_driver_features_sel == 1)
            set_high(m_device.driver_features, value);
        return;
    case mmio::QUEUE_SEL:
        m_queue_sel = value;
        return;
    case mmio::QUEUE_NUM:
        if (q)
            q->size = static_cast<uint16_t>(value);
        return;
    case mmio::QUEUE_READY:
        if (q)
            q->ready = value != 0;
        return;
    case mmio::QUEUE_NOTIFY:
        if (value < FakeDevice::MAX_QUEUES)
            ++m_device.queues[value].notifications;
        return;
    case mmio::INTERRUPT_ACK:
        m_device.interrupt_status &= ~value;
        return;
    case mmio::STATUS:
        m_device.write_status(static_cast<uint8_t>(value));
        return;
    case mmio::QUEUE_DESC_LOW:
        set_low(q->desc, value);
        return;
    case mmio::QUEUE_DESC_HIGH:
        set_high(q->desc, value);
        return;
    case mmio::QUEUE_DRIVER_LOW:
        set_low(q->driver, value);
        return;
    case mmio::QUEUE_DRIVER_HIGH:
        set_high(q->driver, value);
        return;
    case mmio::QUEUE_DEVICE_LOW:
        set_low(q->device, value);
        return;
    case mmio::QUEUE_DEVICE_HIGH:
        set_high(q->device, value);
        return;
    default:
        ADD_FAILURE() << "write of read-only or unknown MMIO register 0x" << std::hex << offset;
    }
}

// ---------------------------------------------------------------------------------
// FakePci

class FakePci::Window final : public RegisterWindow {
public:
    enum class Kind { Common, Isr, Device, Notify, MsixTable };
    Window(FakePci& pci, Kind kind)
        : m_pci(pci)
        , m_kind(kind)
    {
    }
    uint8_t read8(size_t offset) override { return static_cast<uint8_t>(read(offset, 1)); }
    uint16_t read16(size_t offset) override { return static_cast<uint16_t>(read(offset, 2)); }
    uint32_t read32(size_t offset) override { return read(offset, 4); }
    void write8(size_t offset, uint8_t value) override { write(offset, 1, value); }
    void write16(size_t offset, uint16_t value) override { write(offset, 2, value); }
    void write32(size_t offset, uint32_t value) override { write(offset, 4, value); }

private:
    uint32_t read(size_t offset, size_t width)
    {
        switch (m_kind) {
        case Kind::Common:
            return m_pci.common_read(offset, width);
        case Kind::Isr: {
            uint32_t bits = m_pci.m_device.interrupt_status;
            m_pci.m_device.interrupt_status = 0; // 4.1.4.5: reading clears
            return bits;
        }
        case Kind::Device:
            return m_pci.m_device.read_config(offset, width);
        case Kind::Notify:
            ADD_FAILURE() << "read of the notify structure";
            return 0;
        case Kind::MsixTable:
            EXPECT_EQ(width, 4u) << "MSI-X entries are read as dwords";
            EXPECT_LT(offset / 4, m_pci.msix_table.size());
            return offset / 4 < m_pci.msix_table.size() ? m_pci.msix_table[offset / 4] : 0;
        }
        return 0;
    }
    void write(size_t offset, size_t width, uint32_t value)
    {
        switch (m_kind) {
        case Kind::Common:
            m_pci.common_write(offset, width, value);
            return;
        case Kind::Notify:
            EXPECT_EQ(width, 2u) << "notifications are 16-bit writes";
            m_pci.notifications.push_back({ static_cast<uint32_t>(offset), static_cast<uint16_t>(value) });
            for (uint16_t q = 0; q < m_pci.m_device.queue_count; ++q)
                if (m_pci.m_device.queues[q].notify_off * NOTIFY_MULTIPLIER == offset)
                    ++m_pci.m_device.queues[q].notifications;
            return;
        case Kind::MsixTable:
            EXPECT_EQ(width, 4u) << "MSI-X entries are written as dwords";
            EXPECT_EQ(offset % 4, 0u);
            ASSERT_LT(offset / 4, m_pci.msix_table.size()) << "write past the MSI-X table";
            m_pci.msix_table[offset / 4] = value;
            return;
        default:
            ADD_FAILURE() << "write to a read-only virtio structure";
        }
    }

    FakePci& m_pci;
    Kind m_kind;
};

FakePci::FakePci(FakeDevice& device, uint16_t pci_device_id)
    : m_device(device)
{
    put16(pci::VENDOR_ID, virtio_pci::VENDOR_ID);
    put16(pci::DEVICE_ID,
        pci_device_id ? pci_device_id
                      : static_cast<uint16_t>(virtio_pci::DEVICE_ID_MODERN_BASE + static_cast<uint16_t>(device.type)));
    put8(pci::REVISION_ID, 1);
    put8(pci::CLASS_CODE + 2, 0x02);
    put16(pci::SUBSYSTEM_VENDOR_ID, virtio_pci::VENDOR_ID);
    put16(pci::SUBSYSTEM_ID, static_cast<uint16_t>(device.type));
    put16(pci::STATUS, pci::STATUS_CAPABILITIES_LIST);
    put8(pci::INTERRUPT_LINE, 11);
    put8(pci::INTERRUPT_PIN, 1);
    // BAR 4: 64-bit prefetchable memory (type 2, bit 3).
    put32(pci::BAR0 + 16, static_cast<uint32_t>(BAR_ADDRESS) | 0xc);
    put32(pci::BAR0 + 20, static_cast<uint32_t>(BAR_ADDRESS >> 32));
    // BAR 1: 32-bit memory with the MSI-X table at +0 and the PBA at +0x800.
    put32(pci::BAR0 + 4, static_cast<uint32_t>(MSIX_BAR_ADDRESS));
    // An MSI-X capability first, as QEMU has (the virtio walk skips it).
    put8(MSIX_CAP, pci::CAP_ID_MSIX);
    put8(MSIX_CAP + 1, 0);
    put16(MSIX_CAP + pci::MSIX_MESSAGE_CONTROL, MSIX_TABLE_SIZE - 1);
    put32(MSIX_CAP + pci::MSIX_TABLE_OFFSET_BIR, 0x000 | 1);
    put32(MSIX_CAP + pci::MSIX_PBA_OFFSET_BIR, 0x800 | 1);
    put8(pci::CAPABILITIES_POINTER, MSIX_CAP);
    m_last_cap = MSIX_CAP;
    msix_table.assign(MSIX_TABLE_SIZE * 4, 0);
    for (size_t entry = 0; entry < MSIX_TABLE_SIZE; ++entry)
        msix_table[entry * 4 + 3] = pci::MSIX_VECTOR_MASKED; // PCI 3.0, 6.8.2.9: masked at reset
    add_virtio_cap(0x84, virtio_pci::CAP_COMMON_CFG, 4, 0x0000, 0x1000);
    add_virtio_cap(0x70, virtio_pci::CAP_ISR_CFG, 4, 0x1000, 0x1000);
    add_virtio_cap(0x60, virtio_pci::CAP_DEVICE_CFG, 4, 0x2000, 0x1000);
    add_virtio_cap(0x4c, virtio_pci::CAP_NOTIFY_CFG, 4, 0x3000, 0x1000);
    put32(0x4c + 16, NOTIFY_MULTIPLIER);
    put8(0x4c + 2, sizeof(virtio_pci::NotifyCap));
}

FakePci::~FakePci() = default;

void FakePci::put16(uint16_t offset, uint16_t value) { std::memcpy(space + offset, &value, 2); }
void FakePci::put32(uint16_t offset, uint32_t value) { std::memcpy(space + offset, &value, 4); }

void FakePci::add_virtio_cap(uint8_t offset, uint8_t cfg_type, uint8_t bar, uint32_t bar_offset, uint32_t length)
{
    put8(offset, pci::CAP_ID_VENDOR_SPECIFIC);
    put8(offset + 1, 0);
    put8(offset + 2, sizeof(virtio_pci::Cap));
    put8(offset + 3, cfg_type);
    put8(offset + 4, bar);
    put32(offset + 8, bar_offset);
    put32(offset + 12, length);
    put8(m_last_cap + 1, offset);
    m_last_cap = offset;
}

pci::Function FakePci::function()
{
    pci::Function f;
    f.address = ADDRESS;
    std::memcpy(&f.vendor_id, space + pci::VENDOR_ID, 2);
    std::memcpy(&f.device_id, space + pci::DEVICE_ID, 2);
    std::memcpy(&f.subsystem_id, space + pci::SUBSYSTEM_ID, 2);
    f.interrupt_line = space[pci::INTERRUPT_LINE];
    f.interrupt_pin = space[pci::INTERRUPT_PIN];
    return f;
}

uint32_t FakePci::read32(pci::Address address, uint16_t offset)
{
    EXPECT_EQ(offset % 4, 0) << "unaligned config read";
    if (!(address == ADDRESS) || offset > 252)
        return 0xffffffff;
    uint32_t value;
    std::memcpy(&value, space + offset, 4);
    return value;
}

void FakePci::write32(pci::Address address, uint16_t offset, uint32_t value)
{
    if (address == ADDRESS && offset <= 252)
        put32(offset, value);
}

void FakePci::write16(pci::Address address, uint16_t offset, uint16_t value)
{
    if (address == ADDRESS && offset <= 254)
        put16(offset, value);
}

RegisterWindow* FakePci::map(uint64_t physical, size_t length)
{
    if (refuse_mapping)
        return nullptr;
    mapped.push_back({ physical, length });
    if (physical == MSIX_BAR_ADDRESS) {
        EXPECT_EQ(length, msix_table.size() * 4) << "maps the whole table";
        m_windows.push_back(std::make_unique<Window>(*this, Window::Kind::MsixTable));
        return m_windows.back().get();
    }
    Window::Kind kind;
    switch (physical - BAR_ADDRESS) {
    case 0x0000:
        kind = Window::Kind::Common;
        break;
    case 0x1000:
        kind = Window::Kind::Isr;
        break;
    case 0x2000:
        kind = Window::Kind::Device;
        break;
    case 0x3000:
        kind = Window::Kind::Notify;
        break;
    default:
        ADD_FAILURE() << "map of an unexpected address 0x" << std::hex << physical;
        return nullptr;
    }
    m_windows.push_back(std::make_unique<Window>(*this, kind));
    return m_windows.back().get();
}

uint16_t FakePci::msix_control()
{
    uint16_t value;
    std::memcpy(&value, space + MSIX_CAP + pci::MSIX_MESSAGE_CONTROL, 2);
    return value;
}

uint16_t FakePci::command()
{
    uint16_t value;
    std::memcpy(&value, space + pci::COMMAND, 2);
    return value;
}

uint32_t FakePci::common_read(size_t offset, size_t width)
{
    using C = virtio_pci::CommonCfg;
    FakeDevice::Queue* q = m_queue_select < FakeDevice::MAX_QUEUES ? &m_device.queues[m_queue_select] : nullptr;
    switch (offset) {
    case offsetof(C, device_feature_select):
        return m_device_feature_select;
    case offsetof(C, device_feature):
        EXPECT_EQ(width, 4u);
        return m_device_feature_select == 0 ? static_cast<uint32_t>(m_device.device_features)
            : m_device_feature_select == 1  ? static_cast<uint32_t>(m_device.device_features >> 32)
                                            : 0;
    case offsetof(C, num_queues):
        EXPECT_EQ(width, 2u);
        return m_device.queue_count;
    case offsetof(C, device_status):
        EXPECT_EQ(width, 1u);
        return m_device.status;
    case offsetof(C, config_generation):
        return static_cast<uint8_t>(m_device.config_generation);
    case offsetof(C, queue_select):
        return m_queue_select;
    case offsetof(C, queue_size):
        EXPECT_EQ(width, 2u);
        return q && m_queue_select < m_device.queue_count ? (q->ready || q->size ? q->size : q->max) : 0;
    case offsetof(C, queue_enable):
        return q ? q->ready : 0;
    case offsetof(C, queue_notify_off):
        return q ? q->notify_off : 0;
    case offsetof(C, config_msix_vector):
        EXPECT_EQ(width, 2u);
        return m_device.config_msix_vector;
    case offsetof(C, queue_msix_vector):
        EXPECT_EQ(width, 2u);
        return q ? q->msix_vector : virtio_pci::NO_VECTOR;
    default:
        ADD_FAILURE() << "unexpected common config read at " << offset;
        return 0;
    }
}

void FakePci::common_write(size_t offset, size_t width, uint32_t value)
{
    using C = virtio_pci::CommonCfg;
    FakeDevice::Queue* q = m_queue_select < FakeDevice::MAX_QUEUES ? &m_device.queues[m_queue_select] : nullptr;
    auto set_half = [](uint64_t& field, bool high, uint32_t v) {
        field = high ? (field & 0xffffffffULL) | (uint64_t(v) << 32) : (field & ~0xffffffffULL) | v;
    };
    switch (offset) {
    case offsetof(C, device_feature_select):
        m_device_feature_select = value;
        return;
    case offsetof(C, driver_feature_select):
        m_driver_feature_select = value;
        return;
    case offsetof(C, driver_feature):
        if (m_driver_feature_select < 2)
            set_half(m_device.driver_features, m_driver_feature_select == 1, value);
        return;
    case offsetof(C, device_status):
        EXPECT_EQ(width, 1u);
        m_device.write_status(static_cast<uint8_t>(value));
        return;
    case offsetof(C, queue_select):
        m_queue_select = static_cast<uint16_t>(value);
        return;
    case offsetof(C, queue_size):
        if (q)
            q->size = static_cast<uint16_t>(value);
        return;
    case offsetof(C, queue_enable):
        if (q)
            q->ready = value != 0;
        return;
    case offsetof(C, config_msix_vector):
    case offsetof(C, queue_msix_vector): {
        EXPECT_EQ(width, 2u);
        // 4.1.5.1.2.1: a vector beyond the table, or one the device cannot map, reads
        // back as NO_VECTOR.
        uint16_t entries = static_cast<uint16_t>((msix_control() & pci::MSIX_CONTROL_TABLE_SIZE) + 1);
        uint16_t mapped_to = value < entries && value < msix_unmappable_from ? static_cast<uint16_t>(value)
                                                                             : virtio_pci::NO_VECTOR;
        if (offset == offsetof(C, config_msix_vector)) {
            m_device.config_msix_vector = mapped_to;
        } else {
            EXPECT_FALSE(q && q->ready) << "4.1.5.1.3: the vector is set before the queue is enabled";
            if (q)
                q->msix_vector = mapped_to;
        }
        return;
    }
    case offsetof(C, queue_desc):
    case offsetof(C, queue_desc) + 4:
        set_half(q->desc, offset % 8 != 0, value);
        return;
    case offsetof(C, queue_driver):
    case offsetof(C, queue_driver) + 4:
        set_half(q->driver, offset % 8 != 0, value);
        return;
    case offsetof(C, queue_device):
    case offsetof(C, queue_device) + 4:
        set_half(q->device, offset % 8 != 0, value);
        return;
    default:
        ADD_FAILURE() << "unexpected common config write at " << offset;
    }
}

} // namespace kiln::virtio::testing
