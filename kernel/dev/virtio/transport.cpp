#include "dev/virtio/transport.h"

#include "dev/virtio/virtqueue.h"

namespace kiln::virtio {

namespace {

// A device acknowledges a reset at once in QEMU and Firecracker; the bound only keeps
// a broken one from hanging the boot.
constexpr int RESET_POLLS = 1000000;
constexpr int CONFIG_RETRIES = 100;

} // namespace

const char* device_type_name(DeviceType type)
{
    switch (type) {
    case DeviceType::Network:
        return "virtio-net";
    case DeviceType::Block:
        return "virtio-blk";
    case DeviceType::Console:
        return "virtio-console";
    case DeviceType::Entropy:
        return "virtio-rng";
    case DeviceType::Invalid:
        break;
    }
    return "virtio";
}

Result<void> Transport::reset()
{
    set_status(0);
    for (int i = 0; i < RESET_POLLS; ++i)
        if (status() == 0)
            return {};
    return Errno::TIMEDOUT;
}

uint64_t Transport::config_read64(size_t offset)
{
    // 4.2.2.2 / 4.1.3.1: 64-bit fields are read as two 32-bit halves; 2.5.1 says to
    // repeat until the generation is the same before and after.
    uint64_t value = 0;
    for (int attempt = 0; attempt < CONFIG_RETRIES; ++attempt) {
        uint32_t before = config_generation();
        uint32_t low = config_read32(offset);
        uint32_t high = config_read32(offset + 4);
        value = (static_cast<uint64_t>(high) << 32) | low;
        if (config_generation() == before)
            break;
    }
    return value;
}

void Transport::config_read_bytes(size_t offset, uint8_t* out, size_t length)
{
    for (int attempt = 0; attempt < CONFIG_RETRIES; ++attempt) {
        uint32_t before = config_generation();
        for (size_t i = 0; i < length; ++i)
            out[i] = config_read8(offset + i);
        if (config_generation() == before)
            break;
    }
}

Result<uint64_t> negotiate_features(Transport& transport, uint64_t required, uint64_t wanted, const char*& why)
{
    why = "";
    // 3.1.1 steps 1-3.
    if (transport.reset().is_error()) {
        why = "device did not complete reset";
        return Errno::TIMEDOUT;
    }
    transport.set_status(status::ACKNOWLEDGE);
    transport.set_status(status::ACKNOWLEDGE | status::DRIVER);

    // Step 4.
    uint64_t offered = transport.device_features();
    required |= feature(feature_bit::VERSION_1);
    if ((offered & feature(feature_bit::VERSION_1)) == 0) {
        set_failed(transport);
        why = "device does not offer VIRTIO_F_VERSION_1 (legacy-only device)";
        return Errno::NODEV;
    }
    if ((offered & required) != required) {
        set_failed(transport);
        why = "device lacks a required feature";
        return Errno::OPNOTSUPP;
    }
    uint64_t accepted = offered & (required | wanted);
    transport.set_driver_features(accepted);

    // Steps 5-6.
    transport.set_status(status::ACKNOWLEDGE | status::DRIVER | status::FEATURES_OK);
    if ((transport.status() & status::FEATURES_OK) == 0) {
        set_failed(transport);
        why = "device refused the feature set (FEATURES_OK cleared)";
        return Errno::INVAL;
    }
    transport.map_config_interrupt();
    return accepted;
}

void set_driver_ok(Transport& transport) { transport.set_status(transport.status() | status::DRIVER_OK); }

void set_failed(Transport& transport) { transport.set_status(transport.status() | status::FAILED); }

Result<void> setup_queue(
    Transport& transport, Virtqueue& queue, uint16_t index, uint16_t limit, const DmaMemory& memory, bool event_idx)
{
    uint16_t max = transport.queue_max_size(index);
    if (max == 0)
        return Errno::NOENT;
    uint16_t size = max < limit ? max : limit;
    if (size > Virtqueue::MAX_SIZE)
        size = Virtqueue::MAX_SIZE;
    // Split queues are a power of two (2.7); a device maximum that is not one is
    // rounded down.
    while (size & (size - 1))
        size = static_cast<uint16_t>(size & (size - 1));
    TRY_VOID(queue.initialize(index, size, memory, event_idx));
    auto enabled
        = transport.enable_queue(index, size, queue.descriptor_area(), queue.driver_area(), queue.device_area());
    if (enabled.is_error()) {
        queue.release(memory);
        return enabled.error();
    }
    return {};
}

} // namespace kiln::virtio
