#pragma once

// Device registers as a small interface, so transports are tested against a fake
// device model on the host and run against memory-mapped registers in the kernel.
// Offsets are bytes from the start of the window; accesses are naturally aligned.
//
// Any context: implementations do no allocation and take no locks.

#include <stddef.h>
#include <stdint.h>

namespace kiln::virtio {

class RegisterWindow {
public:
    virtual uint8_t read8(size_t offset) = 0;
    virtual uint16_t read16(size_t offset) = 0;
    virtual uint32_t read32(size_t offset) = 0;
    virtual void write8(size_t offset, uint8_t value) = 0;
    virtual void write16(size_t offset, uint16_t value) = 0;
    virtual void write32(size_t offset, uint32_t value) = 0;

protected:
    ~RegisterWindow() = default;
};

// Registers reached through a pointer (memory-mapped I/O). Every access is one volatile
// load or store of exactly the named width, which is what MMIO devices require
// (4.2.2.2: 32-bit control registers; config fields at their natural width).
class MmioWindow final : public RegisterWindow {
public:
    explicit MmioWindow(volatile void* base)
        : m_base(static_cast<volatile uint8_t*>(base))
    {
    }

    uint8_t read8(size_t offset) override { return *at<uint8_t>(offset); }
    uint16_t read16(size_t offset) override { return *at<uint16_t>(offset); }
    uint32_t read32(size_t offset) override { return *at<uint32_t>(offset); }
    void write8(size_t offset, uint8_t value) override { *at<uint8_t>(offset) = value; }
    void write16(size_t offset, uint16_t value) override { *at<uint16_t>(offset) = value; }
    void write32(size_t offset, uint32_t value) override { *at<uint32_t>(offset) = value; }

private:
    template <typename T> volatile T* at(size_t offset) { return reinterpret_cast<volatile T*>(m_base + offset); }

    volatile uint8_t* m_base;
};

// Maps a physical register range (a virtio-mmio window, part of a PCI BAR) and returns
// a window onto it, or nullptr when it cannot be mapped. The kernel's maps through the
// direct map; the tests' returns windows onto a fake device.
class RegisterMapper {
public:
    virtual RegisterWindow* map(uint64_t physical, size_t length) = 0;

protected:
    ~RegisterMapper() = default;
};

} // namespace kiln::virtio
