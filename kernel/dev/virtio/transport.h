#pragma once

// The virtio transport: how a driver reaches a device's status, features, queues,
// notifications, interrupt status and configuration space (virtio v1.2, 4). Two
// implementations: virtio-mmio (mmio_transport.h) and modern virtio-pci
// (pci_transport.h). Device drivers (net.h, blk.h) only use this interface.
//
// Context: everything here is for the main context, except
// acknowledge_interrupt(), which interrupt handlers call.

#include <stddef.h>
#include <stdint.h>

#include "dev/virtio/spec.h"
#include "lib/result.h"

namespace kiln::virtio {

// Where a device sits, for log lines and for wiring its interrupt.
struct DeviceLocation {
    enum class Bus : uint8_t { Mmio, Pci } bus = Bus::Mmio;
    uint64_t mmio_base = 0; // Bus::Mmio
    uint8_t pci_bus = 0, pci_device = 0, pci_function = 0; // Bus::Pci
    // The interrupt line: a GSI for MMIO (from the command line), the PCI interrupt
    // line register for PCI. -1 when unknown.
    int irq = -1;
};

class Transport {
public:
    virtual DeviceType device_type() = 0;
    virtual const DeviceLocation& location() const = 0;

    // 2.2 Feature Bits: all 64 offered bits; the accepted subset.
    virtual uint64_t device_features() = 0;
    virtual void set_driver_features(uint64_t features) = 0;

    // 2.1 Device Status Field.
    virtual uint8_t status() = 0;
    virtual void set_status(uint8_t status) = 0;

    // 2.4 Device Reset: writes 0 and waits (bounded) for the device to read back 0.
    // TIMEDOUT when it never does.
    Result<void> reset();

    // 0 when the queue does not exist.
    virtual uint16_t queue_max_size(uint16_t queue) = 0;
    // Gives the device a queue of `size` entries at these guest-physical addresses and
    // enables it (4.2.3.2, 4.1.5.1.3). BUSY when the queue is already enabled.
    virtual Result<void> enable_queue(
        uint16_t queue, uint16_t size, uint64_t descriptors, uint64_t driver_area, uint64_t device_area)
        = 0;
    // Called by negotiate_features() once the features are accepted. A transport whose
    // interrupt routing lives in the device (virtio-pci with MSI-X: a reset unmaps every
    // event, 4.1.5.1.2.1) maps the configuration-change event here; it maps queue events
    // in enable_queue(). Others have nothing to do.
    virtual void map_config_interrupt() { }

    // Available buffer notification (4.2.3.3, 4.1.5.2).
    virtual void notify(uint16_t queue) = 0;

    // Reads and acknowledges the interrupt status: bit 0 used buffers, bit 1
    // configuration change (4.2.3.4, 4.1.4.5). Safe in interrupt context.
    virtual uint32_t acknowledge_interrupt() = 0;

    // 2.5 Device Configuration Space, at the field's natural width.
    virtual uint8_t config_read8(size_t offset) = 0;
    virtual uint16_t config_read16(size_t offset) = 0;
    virtual uint32_t config_read32(size_t offset) = 0;
    virtual uint32_t config_generation() = 0;

    // 2.5.1: multi-byte fields read consistently (retry while the generation moves).
    uint64_t config_read64(size_t offset);
    void config_read_bytes(size_t offset, uint8_t* out, size_t length);

protected:
    ~Transport() = default;
};

// 3.1.1 Driver Requirements: Device Initialization, steps 1-6: reset, ACKNOWLEDGE,
// DRIVER, read the offered features, write offered & (required | wanted), FEATURES_OK,
// check the device kept FEATURES_OK. Returns the accepted features. On error the
// device is left FAILED and `why` says what happened:
//   NODEV       VIRTIO_F_VERSION_1 not offered (a legacy-only device)
//   OPNOTSUPP   a required feature is not offered
//   INVAL       the device refused the features (FEATURES_OK cleared)
//   TIMEDOUT    reset never completed
Result<uint64_t> negotiate_features(Transport& transport, uint64_t required, uint64_t wanted, const char*& why);

// Step 8: DRIVER_OK, after the queues are set up.
void set_driver_ok(Transport& transport);
// Tells the device the driver gave up (2.1: FAILED).
void set_failed(Transport& transport);

class Virtqueue;
struct DmaMemory;

// 3.1.1 step 7 for one queue: sizes it min(device maximum, limit) rounded down to a
// power of two, allocates its rings and hands them to the device. NOENT when the
// device has no such queue; the queue's memory is released again on error.
Result<void> setup_queue(
    Transport& transport, Virtqueue& queue, uint16_t index, uint16_t limit, const DmaMemory& memory, bool event_idx);

} // namespace kiln::virtio
