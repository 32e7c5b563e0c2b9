#pragma once

// PCI configuration space: finding functions on a bus, walking their capability
// lists and decoding their BARs (PCI Local Bus Specification 3.0, 6.1 Configuration
// Space Organization, 6.2.5 Base Addresses, 6.7 Capabilities List).
//
// Portable: config space is reached through ConfigAccess, which the kernel implements
// with port I/O 0xCF8/0xCFC (pci_port_io.h) and the host tests with a fake.

#include <stddef.h>
#include <stdint.h>

#include <span>

#include "lib/result.h"

namespace kiln::pci {

struct Address {
    uint8_t bus = 0;
    uint8_t device = 0; // 0..31
    uint8_t function = 0; // 0..7

    bool operator==(const Address&) const = default;
};

// Configuration registers (type 0 header).
constexpr uint16_t VENDOR_ID = 0x00;
constexpr uint16_t DEVICE_ID = 0x02;
constexpr uint16_t COMMAND = 0x04;
constexpr uint16_t STATUS = 0x06;
constexpr uint16_t REVISION_ID = 0x08;
constexpr uint16_t CLASS_CODE = 0x09; // prog-if, subclass, class in bytes 9..11
constexpr uint16_t HEADER_TYPE = 0x0e;
constexpr uint16_t BAR0 = 0x10;
constexpr uint16_t SUBSYSTEM_VENDOR_ID = 0x2c;
constexpr uint16_t SUBSYSTEM_ID = 0x2e;
constexpr uint16_t CAPABILITIES_POINTER = 0x34;
constexpr uint16_t INTERRUPT_LINE = 0x3c;
constexpr uint16_t INTERRUPT_PIN = 0x3d;

constexpr uint16_t COMMAND_IO_SPACE = 1 << 0;
constexpr uint16_t COMMAND_MEMORY_SPACE = 1 << 1;
constexpr uint16_t COMMAND_BUS_MASTER = 1 << 2;
constexpr uint16_t COMMAND_INTX_DISABLE = 1 << 10;
constexpr uint16_t STATUS_CAPABILITIES_LIST = 1 << 4;
constexpr uint8_t HEADER_TYPE_MULTIFUNCTION = 0x80;
constexpr uint8_t HEADER_TYPE_MASK = 0x7f;
constexpr uint16_t NO_VENDOR = 0xffff;

constexpr uint8_t CAP_ID_MSI = 0x05;
constexpr uint8_t CAP_ID_VENDOR_SPECIFIC = 0x09;
constexpr uint8_t CAP_ID_MSIX = 0x11;

constexpr size_t BAR_COUNT = 6;

// 256 bytes of configuration space per function, as dwords.
class ConfigAccess {
public:
    virtual uint32_t read32(Address address, uint16_t offset) = 0;
    virtual void write32(Address address, uint16_t offset, uint32_t value) = 0;
    virtual void write16(Address address, uint16_t offset, uint16_t value) = 0;

    uint16_t read16(Address address, uint16_t offset)
    {
        return static_cast<uint16_t>(read32(address, offset & ~3) >> ((offset & 2) * 8));
    }
    uint8_t read8(Address address, uint16_t offset)
    {
        return static_cast<uint8_t>(read32(address, offset & ~3) >> ((offset & 3) * 8));
    }

protected:
    ~ConfigAccess() = default;
};

struct Function {
    Address address;
    uint16_t vendor_id = 0;
    uint16_t device_id = 0;
    uint8_t revision = 0;
    uint8_t class_code = 0;
    uint8_t subclass = 0;
    uint8_t header_type = 0; // without the multifunction bit
    uint16_t subsystem_vendor_id = 0;
    uint16_t subsystem_id = 0;
    uint8_t interrupt_line = 0;
    uint8_t interrupt_pin = 0; // 0 none, 1..4 INTA..INTD
};

// Every function on `bus` (devices 0..31, functions 1..7 only for multifunction
// devices), in order, up to out.size(). Returns how many were found, which may exceed
// out.size() (the rest were not stored).
size_t scan_bus(ConfigAccess& config, uint8_t bus, std::span<Function> out);

struct Capability {
    uint8_t offset = 0; // in config space
    uint8_t id = 0;
};

// The capability list (6.7), in order, up to out.size(). A malformed list (a pointer
// into the header, or a loop) ends the walk. Returns the number stored.
size_t capabilities(ConfigAccess& config, Address address, std::span<Capability> out);

struct Bar {
    uint64_t address = 0;
    bool io = false;
    bool is_64bit = false;
    bool prefetchable = false;
};

// Decodes BAR `index` (6.2.5.1) without sizing it. INVAL for an index past the last
// BAR or the upper half of a 64-bit BAR.
Result<Bar> read_bar(ConfigAccess& config, Address address, size_t index);

// Sets bits in the command register (e.g. memory space and bus master for DMA).
void enable_command_bits(ConfigAccess& config, Address address, uint16_t bits);
// Clears bits in the command register (e.g. INTx disable, when going back from MSI-X).
void disable_command_bits(ConfigAccess& config, Address address, uint16_t bits);

} // namespace kiln::pci
