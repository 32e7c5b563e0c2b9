#include "dev/virtio/pci_transport.h"

namespace kiln::virtio {

namespace {

using virtio_pci::CommonCfg;

#define COMMON_OFFSET(field) offsetof(CommonCfg, field)

struct Structure {
    bool found = false;
    uint8_t bar = 0;
    uint32_t offset = 0;
    uint32_t length = 0;
    uint32_t notify_multiplier = 0;
};

} // namespace

DeviceType PciTransport::device_type_of(const pci::Function& f)
{
    if (f.vendor_id != virtio_pci::VENDOR_ID || f.device_id < virtio_pci::DEVICE_ID_TRANSITIONAL_FIRST
        || f.device_id > virtio_pci::DEVICE_ID_LAST)
        return DeviceType::Invalid;
    // 4.1.2.1: modern IDs are 0x1040 + type; transitional ones carry the type in the
    // subsystem device ID.
    if (f.device_id >= virtio_pci::DEVICE_ID_MODERN_BASE)
        return static_cast<DeviceType>(f.device_id - virtio_pci::DEVICE_ID_MODERN_BASE);
    return static_cast<DeviceType>(f.subsystem_id);
}

Result<PciTransport> PciTransport::try_create(
    pci::ConfigAccess& config, const pci::Function& function, RegisterMapper& mapper, const char*& why)
{
    why = "";
    DeviceType type = device_type_of(function);
    if (type == DeviceType::Invalid) {
        why = "not a virtio PCI function";
        return Errno::NODEV;
    }

    // 4.1.4: the first capability of each type the driver can use.
    Structure structures[5]; // indexed by cfg_type 1..4
    pci::Capability caps[48];
    size_t count = pci::capabilities(config, function.address, caps);
    for (size_t i = 0; i < count; ++i) {
        if (caps[i].id != pci::CAP_ID_VENDOR_SPECIFIC)
            continue;
        uint8_t at = caps[i].offset;
        uint8_t cap_len = config.read8(function.address, static_cast<uint16_t>(at + 2));
        uint8_t cfg_type = config.read8(function.address, static_cast<uint16_t>(at + 3));
        if (cfg_type < virtio_pci::CAP_COMMON_CFG || cfg_type > virtio_pci::CAP_DEVICE_CFG
            || structures[cfg_type].found)
            continue;
        if (cap_len < sizeof(virtio_pci::Cap)
            || (cfg_type == virtio_pci::CAP_NOTIFY_CFG && cap_len < sizeof(virtio_pci::NotifyCap)))
            continue;
        uint8_t bar = config.read8(function.address, static_cast<uint16_t>(at + 4));
        if (bar >= pci::BAR_COUNT)
            continue; // 4.1.4: reserved BAR values are ignored
        Structure& s = structures[cfg_type];
        s.bar = bar;
        s.offset = config.read32(function.address, static_cast<uint16_t>(at + offsetof(virtio_pci::Cap, offset)));
        s.length = config.read32(function.address, static_cast<uint16_t>(at + offsetof(virtio_pci::Cap, length)));
        if (cfg_type == virtio_pci::CAP_NOTIFY_CFG)
            s.notify_multiplier = config.read32(
                function.address, static_cast<uint16_t>(at + offsetof(virtio_pci::NotifyCap, notify_off_multiplier)));
        s.found = true;
    }

    const size_t minimum_length[5] = { 0, virtio_pci::COMMON_CFG_MIN_LENGTH, 2, 1, 0 };
    RegisterWindow* windows[5] = {};
    for (uint8_t type_index = virtio_pci::CAP_COMMON_CFG; type_index <= virtio_pci::CAP_DEVICE_CFG; ++type_index) {
        Structure& s = structures[type_index];
        if (!s.found) {
            // 4.1.4.6: the device-specific structure is optional (devices without config).
            if (type_index == virtio_pci::CAP_DEVICE_CFG)
                continue;
            why = "a virtio structure capability (common, notify or ISR) is missing";
            return Errno::NXIO;
        }
        if (s.length < minimum_length[type_index]) {
            why = "a virtio structure is shorter than the spec requires";
            return Errno::NXIO;
        }
        auto bar = pci::read_bar(config, function.address, s.bar);
        if (bar.is_error() || bar->io || bar->address == 0) {
            why = "a virtio structure is in an I/O or unassigned BAR";
            return Errno::NXIO;
        }
        windows[type_index] = mapper.map(bar->address + s.offset, s.length);
        if (!windows[type_index]) {
            why = "cannot map a virtio BAR (above the direct map?)";
            return Errno::FAULT;
        }
    }

    pci::enable_command_bits(config, function.address, pci::COMMAND_MEMORY_SPACE | pci::COMMAND_BUS_MASTER);

    PciTransport transport;
    transport.m_config = &config;
    transport.m_address = function.address;
    transport.find_msix_table(mapper);
    transport.m_common = windows[virtio_pci::CAP_COMMON_CFG];
    transport.m_notify = windows[virtio_pci::CAP_NOTIFY_CFG];
    transport.m_isr = windows[virtio_pci::CAP_ISR_CFG];
    transport.m_device = windows[virtio_pci::CAP_DEVICE_CFG];
    transport.m_notify_multiplier = structures[virtio_pci::CAP_NOTIFY_CFG].notify_multiplier;
    transport.m_notify_length = structures[virtio_pci::CAP_NOTIFY_CFG].length;
    transport.m_type = type;
    transport.m_location.bus = DeviceLocation::Bus::Pci;
    transport.m_location.pci_bus = function.address.bus;
    transport.m_location.pci_device = function.address.device;
    transport.m_location.pci_function = function.address.function;
    transport.m_location.irq = function.interrupt_pin != 0 ? function.interrupt_line : -1;
    return transport;
}

void PciTransport::find_msix_table(RegisterMapper& mapper)
{
    auto msix = pci::find_msix(*m_config, m_address);
    if (msix.is_error()) {
        m_msix_why = msix.error() == Errno::NOENT ? "no MSI-X capability" : "malformed MSI-X capability";
        return;
    }
    m_msix = msix.value();
    auto bar = pci::read_bar(*m_config, m_address, m_msix.table_bar);
    if (bar.is_error() || bar->io || bar->address == 0) {
        m_msix_why = "MSI-X table in an I/O or unassigned BAR";
        return;
    }
    // Only the table is mapped: the Pending Bit Array matters to drivers that poll masked
    // entries, and ours never do.
    m_msix_table = mapper.map(bar->address + m_msix.table_offset, m_msix.table_bytes());
    if (!m_msix_table)
        m_msix_why = "cannot map the MSI-X table";
}

uint16_t PciTransport::msix_vectors_wanted()
{
    if (!m_msix_table)
        return 0;
    uint16_t queues = m_common->read16(COMMON_OFFSET(num_queues));
    if (queues > MAX_QUEUES)
        queues = MAX_QUEUES;
    uint16_t wanted = static_cast<uint16_t>(1 + queues);
    return wanted < m_msix.table_size ? wanted : m_msix.table_size;
}

uint16_t PciTransport::msix_entry_for_queue(uint16_t queue, uint16_t vectors)
{
    if (vectors <= 1)
        return 0;
    // Entries 1..vectors-1 are for queues; with fewer than the queues, they wrap around.
    return static_cast<uint16_t>(1 + queue % (vectors - 1));
}

Result<void> PciTransport::enable_msix(std::span<const pci::MsiMessage> messages)
{
    if (!m_msix_table || messages.empty() || messages.size() > m_msix.table_size
        || messages.size() > MAX_MSIX_VECTORS)
        return Errno::INVAL;
    // PCI 3.0, 6.8.3.5: an entry is changed only while masked.
    for (uint16_t entry = 0; entry < messages.size(); ++entry) {
        size_t at = pci::MsixCapability::entry_offset(entry);
        m_msix_table->write32(at + pci::MSIX_ENTRY_VECTOR_CONTROL, pci::MSIX_VECTOR_MASKED);
        m_msix_table->write32(at + pci::MSIX_ENTRY_ADDRESS_LOW, static_cast<uint32_t>(messages[entry].address));
        m_msix_table->write32(at + pci::MSIX_ENTRY_ADDRESS_HIGH, static_cast<uint32_t>(messages[entry].address >> 32));
        m_msix_table->write32(at + pci::MSIX_ENTRY_DATA, messages[entry].data);
    }
    pci::msix_enable(*m_config, m_address, m_msix);
    pci::enable_command_bits(*m_config, m_address, pci::COMMAND_INTX_DISABLE);
    m_msix_vectors = static_cast<uint16_t>(messages.size());
    m_msix_refused = false;
    for (auto& events : m_msix_events)
        events = 0;
    return {};
}

void PciTransport::unmask_msix()
{
    for (uint16_t entry = 0; entry < m_msix_vectors; ++entry)
        m_msix_table->write32(pci::MsixCapability::entry_offset(entry) + pci::MSIX_ENTRY_VECTOR_CONTROL, 0);
    if (m_msix_vectors)
        pci::msix_unmask_function(*m_config, m_address, m_msix);
}

void PciTransport::disable_msix()
{
    if (!m_msix_table)
        return;
    for (uint16_t entry = 0; entry < m_msix_vectors; ++entry)
        m_msix_table->write32(
            pci::MsixCapability::entry_offset(entry) + pci::MSIX_ENTRY_VECTOR_CONTROL, pci::MSIX_VECTOR_MASKED);
    pci::msix_disable(*m_config, m_address, m_msix);
    pci::disable_command_bits(*m_config, m_address, pci::COMMAND_INTX_DISABLE);
    m_msix_vectors = 0;
    for (auto& events : m_msix_events)
        events = 0;
}

uint16_t PciTransport::map_vector(size_t register_offset, uint16_t entry)
{
    // 4.1.5.1.2.2: after mapping an event the driver reads the register back; NO_VECTOR
    // means the device could not map it, and the driver may retry with fewer vectors:
    // here, the shared entry 0.
    m_common->write16(register_offset, entry);
    if (m_common->read16(register_offset) == entry)
        return entry;
    if (entry != 0) {
        m_common->write16(register_offset, 0);
        if (m_common->read16(register_offset) == 0)
            return 0;
    }
    m_common->write16(register_offset, virtio_pci::NO_VECTOR);
    return virtio_pci::NO_VECTOR;
}

void PciTransport::map_config_interrupt()
{
    if (m_msix_vectors == 0)
        return;
    uint16_t taken = map_vector(COMMON_OFFSET(config_msix_vector), 0);
    if (taken == virtio_pci::NO_VECTOR)
        m_msix_refused = true;
    else
        m_msix_events[taken] |= virtio_pci::ISR_CONFIG;
}

uint64_t PciTransport::device_features()
{
    m_common->write32(COMMON_OFFSET(device_feature_select), 0);
    uint64_t low = m_common->read32(COMMON_OFFSET(device_feature));
    m_common->write32(COMMON_OFFSET(device_feature_select), 1);
    uint64_t high = m_common->read32(COMMON_OFFSET(device_feature));
    return (high << 32) | low;
}

void PciTransport::set_driver_features(uint64_t features)
{
    m_common->write32(COMMON_OFFSET(driver_feature_select), 0);
    m_common->write32(COMMON_OFFSET(driver_feature), static_cast<uint32_t>(features));
    m_common->write32(COMMON_OFFSET(driver_feature_select), 1);
    m_common->write32(COMMON_OFFSET(driver_feature), static_cast<uint32_t>(features >> 32));
}

uint8_t PciTransport::status() { return m_common->read8(COMMON_OFFSET(device_status)); }

void PciTransport::set_status(uint8_t value) { m_common->write8(COMMON_OFFSET(device_status), value); }

uint16_t PciTransport::queue_max_size(uint16_t queue)
{
    if (queue >= m_common->read16(COMMON_OFFSET(num_queues)))
        return 0;
    m_common->write16(COMMON_OFFSET(queue_select), queue);
    return m_common->read16(COMMON_OFFSET(queue_size));
}

Result<void> PciTransport::enable_queue(
    uint16_t queue, uint16_t size, uint64_t descriptors, uint64_t driver_area, uint64_t device_area)
{
    // 4.1.5.1.3 Virtqueue Configuration.
    if (queue >= MAX_QUEUES || queue >= m_common->read16(COMMON_OFFSET(num_queues)))
        return Errno::INVAL;
    m_common->write16(COMMON_OFFSET(queue_select), queue);
    if (m_common->read16(COMMON_OFFSET(queue_enable)) != 0)
        return Errno::BUSY;
    uint16_t max = m_common->read16(COMMON_OFFSET(queue_size));
    if (max == 0 || size == 0 || size > max)
        return Errno::INVAL;
    uint64_t notify_offset
        = static_cast<uint64_t>(m_common->read16(COMMON_OFFSET(queue_notify_off))) * m_notify_multiplier;
    // 4.1.4.4: the notification address must lie inside the notify structure.
    if (notify_offset + 2 > m_notify_length)
        return Errno::NXIO;
    m_notify_offset[queue] = static_cast<uint32_t>(notify_offset);
    m_common->write16(COMMON_OFFSET(queue_size), size);
    // 4.1.3.1: 64-bit fields may be written as two 32-bit halves, low first.
    m_common->write32(COMMON_OFFSET(queue_desc), static_cast<uint32_t>(descriptors));
    m_common->write32(COMMON_OFFSET(queue_desc) + 4, static_cast<uint32_t>(descriptors >> 32));
    m_common->write32(COMMON_OFFSET(queue_driver), static_cast<uint32_t>(driver_area));
    m_common->write32(COMMON_OFFSET(queue_driver) + 4, static_cast<uint32_t>(driver_area >> 32));
    m_common->write32(COMMON_OFFSET(queue_device), static_cast<uint32_t>(device_area));
    m_common->write32(COMMON_OFFSET(queue_device) + 4, static_cast<uint32_t>(device_area >> 32));
    // 4.1.5.1.3: the vector is one of the fields set before the queue is enabled.
    if (m_msix_vectors) {
        uint16_t taken = map_vector(COMMON_OFFSET(queue_msix_vector), msix_entry_for_queue(queue, m_msix_vectors));
        if (taken == virtio_pci::NO_VECTOR)
            m_msix_refused = true;
        else
            m_msix_events[taken] |= virtio_pci::ISR_QUEUE;
    }
    m_common->write16(COMMON_OFFSET(queue_enable), 1);
    return {};
}

void PciTransport::notify(uint16_t queue)
{
    // 4.1.5.2: without VIRTIO_F_NOTIFICATION_DATA the driver writes the queue index.
    if (queue < MAX_QUEUES)
        m_notify->write16(m_notify_offset[queue], queue);
}

uint32_t PciTransport::acknowledge_interrupt()
{
    // 4.1.4.5.1: reading the ISR status resets it. (Only for INTx: with MSI-X the ISR is
    // not used, and the vector says what happened.)
    return m_isr->read8(0);
}

uint8_t PciTransport::config_read8(size_t offset) { return m_device ? m_device->read8(offset) : 0; }
uint16_t PciTransport::config_read16(size_t offset) { return m_device ? m_device->read16(offset) : 0; }
uint32_t PciTransport::config_read32(size_t offset) { return m_device ? m_device->read32(offset) : 0; }
uint32_t PciTransport::config_generation() { return m_common->read8(COMMON_OFFSET(config_generation)); }

} // namespace kiln::virtio
