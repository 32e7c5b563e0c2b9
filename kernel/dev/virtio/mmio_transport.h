#pragma once

// virtio-mmio, version 2 register layout (virtio v1.2, 4.2). What QEMU's microvm and
// Firecracker give. Legacy (version 1, 4.2.4) devices are refused: QEMU 7.2 makes its
// virtio-mmio transports legacy unless started with
// `-global virtio-mmio.force-legacy=false`.

#include "dev/virtio/registers.h"
#include "dev/virtio/transport.h"

namespace kiln::virtio {

class MmioTransport final : public Transport {
public:
    MmioTransport() = default;

    // Checks the magic value, the version and that a device sits behind the window.
    // NODEV: not virtio-mmio, or an empty transport (device ID 0); PROTONOSUPPORT:
    // a legacy (version 1) device. `why` says which, for the boot log.
    static Result<MmioTransport> try_create(
        RegisterWindow& registers, const DeviceLocation& location, const char*& why);

    // Reads only the magic and device ID: is a device behind this window at all?
    static bool has_device(RegisterWindow& registers);

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
    RegisterWindow* m_registers = nullptr;
    DeviceLocation m_location;
    DeviceType m_type = DeviceType::Invalid;
};

} // namespace kiln::virtio
