#include "dev/virtio/mmio_transport.h"

namespace kiln::virtio {

Result<MmioTransport> MmioTransport::try_create(
    RegisterWindow& registers, const DeviceLocation& location, const char*& why)
{
    why = "";
    // 4.2.3.1.1: check MagicValue, Version, then DeviceID (0 = no device).
    if (registers.read32(mmio::MAGIC_VALUE) != mmio::MAGIC) {
        why = "no virtio-mmio magic value";
        return Errno::NODEV;
    }
    uint32_t version = registers.read32(mmio::VERSION);
    if (version == mmio::VERSION_LEGACY) {
        why = "legacy virtio-mmio (version 1) is not supported; "
              "start QEMU with -global virtio-mmio.force-legacy=false";
        return Errno::PROTONOSUPPORT;
    }
    if (version != mmio::VERSION_MODERN) {
        why = "unknown virtio-mmio version";
        return Errno::PROTONOSUPPORT;
    }
    uint32_t device_id = registers.read32(mmio::DEVICE_ID);
    if (device_id == 0) {
        why = "no device behind this virtio-mmio transport";
        return Errno::NODEV;
    }
    MmioTransport transport;
    transport.m_registers = &registers;
    transport.m_location = location;
    transport.m_location.bus = DeviceLocation::Bus::Mmio;
    transport.m_type = static_cast<DeviceType>(device_id);
    return transport;
}

bool MmioTransport::has_device(RegisterWindow& registers)
{
    return registers.read32(mmio::MAGIC_VALUE) == mmio::MAGIC && registers.read32(mmio::DEVICE_ID) != 0;
}

uint64_t MmioTransport::device_features()
{
    m_registers->write32(mmio::DEVICE_FEATURES_SEL, 0);
    uint64_t low = m_registers->read32(mmio::DEVICE_FEATURES);
    m_registers->write32(mmio::DEVICE_FEATURES_SEL, 1);
    uint64_t high = m_registers->read32(mmio::DEVICE_FEATURES);
    return (high << 32) | low;
}

void MmioTransport::set_driver_features(uint64_t features)
{
    m_registers->write32(mmio::DRIVER_FEATURES_SEL, 0);
    m_registers->write32(mmio::DRIVER_FEATURES, static_cast<uint32_t>(features));
    m_registers->write32(mmio::DRIVER_FEATURES_SEL, 1);
    m_registers->write32(mmio::DRIVER_FEATURES, static_cast<uint32_t>(features >> 32));
}

uint8_t MmioTransport::status() { return static_cast<uint8_t>(m_registers->read32(mmio::STATUS)); }

void MmioTransport::set_status(uint8_t value) { m_registers->write32(mmio::STATUS, value); }

uint16_t MmioTransport::queue_max_size(uint16_t queue)
{
    m_registers->write32(mmio::QUEUE_SEL, queue);
    uint32_t max = m_registers->read32(mmio::QUEUE_NUM_MAX);
    return static_cast<uint16_t>(max > 0xffff ? 0x8000 : max);
}

Result<void> MmioTransport::enable_queue(
    uint16_t queue, uint16_t size, uint64_t descriptors, uint64_t driver_area, uint64_t device_area)
{
    // 4.2.3.2 Virtqueue Configuration.
    m_registers->write32(mmio::QUEUE_SEL, queue);
    if (m_registers->read32(mmio::QUEUE_READY) != 0)
        return Errno::BUSY;
    uint32_t max = m_registers->read32(mmio::QUEUE_NUM_MAX);
    if (max == 0 || size == 0 || size > max)
        return Errno::INVAL;
    m_registers->write32(mmio::QUEUE_NUM, size);
    m_registers->write32(mmio::QUEUE_DESC_LOW, static_cast<uint32_t>(descriptors));
    m_registers->write32(mmio::QUEUE_DESC_HIGH, static_cast<uint32_t>(descriptors >> 32));
    m_registers->write32(mmio::QUEUE_DRIVER_LOW, static_cast<uint32_t>(driver_area));
    m_registers->write32(mmio::QUEUE_DRIVER_HIGH, static_cast<uint32_t>(driver_area >> 32));
    m_registers->write32(mmio::QUEUE_DEVICE_LOW, static_cast<uint32_t>(device_area));
    m_registers->write32(mmio::QUEUE_DEVICE_HIGH, static_cast<uint32_t>(device_area >> 32));
    m_registers->write32(mmio::QUEUE_READY, 1);
    return {};
}

void MmioTransport::notify(uint16_t queue) { m_registers->write32(mmio::QUEUE_NOTIFY, queue); }

uint32_t MmioTransport::acknowledge_interrupt()
{
    // 4.2.3.4: read InterruptStatus, write the bits handled to InterruptACK.
    uint32_t pending = m_registers->read32(mmio::INTERRUPT_STATUS);
    if (pending)
        m_registers->write32(mmio::INTERRUPT_ACK, pending);
    return pending;
}

uint8_t MmioTransport::config_read8(size_t offset) { return m_registers->read8(mmio::CONFIG + offset); }
uint16_t MmioTransport::config_read16(size_t offset) { return m_registers->read16(mmio::CONFIG + offset); }
uint32_t MmioTransport::config_read32(size_t offset) { return m_registers->read32(mmio::CONFIG + offset); }
uint32_t MmioTransport::config_generation() { return m_registers->read32(mmio::CONFIG_GENERATION); }

} // namespace kiln::virtio
