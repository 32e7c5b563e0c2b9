#pragma once

// MSI-X (PCI Local Bus Specification 3.0, 6.8.2): the capability in configuration
// space, the layout of the vector table and the Pending Bit Array in memory BARs, and
// the enable / function-mask bits of the message control word.
//
// Portable: configuration space through ConfigAccess; the table itself is written by
// whoever maps it (the kernel through its device mapping), using the offsets below.

#include <stddef.h>
#include <stdint.h>

#include "dev/pci/pci.h"
#include "lib/result.h"

namespace kiln::pci {

// Offsets inside the capability (6.8.2.1 .. 6.8.2.3).
constexpr uint16_t MSIX_MESSAGE_CONTROL = 2;
constexpr uint16_t MSIX_TABLE_OFFSET_BIR = 4;
constexpr uint16_t MSIX_PBA_OFFSET_BIR = 8;
constexpr uint16_t MSIX_CAPABILITY_LENGTH = 12;

constexpr uint16_t MSIX_CONTROL_ENABLE = 1 << 15;
constexpr uint16_t MSIX_CONTROL_FUNCTION_MASK = 1 << 14;
constexpr uint16_t MSIX_CONTROL_TABLE_SIZE = 0x7ff; // N - 1
constexpr uint32_t MSIX_BIR_MASK = 0x7; // low 3 bits of the table / PBA dword
constexpr uint16_t MSIX_MAX_ENTRIES = 2048;

// One table entry (6.8.2.6 .. 6.8.2.9): 16 bytes, accessed as dwords.
constexpr size_t MSIX_ENTRY_SIZE = 16;
constexpr size_t MSIX_ENTRY_ADDRESS_LOW = 0;
constexpr size_t MSIX_ENTRY_ADDRESS_HIGH = 4;
constexpr size_t MSIX_ENTRY_DATA = 8;
constexpr size_t MSIX_ENTRY_VECTOR_CONTROL = 12;
constexpr uint32_t MSIX_VECTOR_MASKED = 1; // bit 0 of vector control; set after reset

// An address/data pair the function writes to raise an interrupt (its meaning belongs
// to the platform: on x86 see arch/x86_64/msi.h).
struct MsiMessage {
    uint64_t address = 0;
    uint32_t data = 0;

    bool operator==(const MsiMessage&) const = default;
};

struct MsixCapability {
    uint8_t offset = 0; // of the capability in configuration space
    uint16_t table_size = 0; // entries, 1..2048
    uint8_t table_bar = 0; // BIR: BAR index, 0..5
    uint32_t table_offset = 0; // in that BAR, 8-byte aligned
    uint8_t pba_bar = 0;
    uint32_t pba_offset = 0;

    size_t table_bytes() const { return static_cast<size_t>(table_size) * MSIX_ENTRY_SIZE; }
    // One bit per entry in 64-bit words (6.8.2.10).
    size_t pba_bytes() const { return (static_cast<size_t>(table_size) + 63) / 64 * 8; }
    static constexpr size_t entry_offset(uint16_t entry) { return static_cast<size_t>(entry) * MSIX_ENTRY_SIZE; }
};

// The function's MSI-X capability. NOENT: it has none; INVAL: its table or PBA names a
// reserved BIR (6, 7). Does not look at the BARs themselves.
Result<MsixCapability> find_msix(ConfigAccess& config, Address address);

// Message control word updates. Enabling sets the function mask at the same time, so
// nothing is sent before the table is programmed; `msix_unmask_function` lifts it.
// Disabling leaves the table as it is.
void msix_enable(ConfigAccess& config, Address address, const MsixCapability& msix);
void msix_unmask_function(ConfigAccess& config, Address address, const MsixCapability& msix);
void msix_disable(ConfigAccess& config, Address address, const MsixCapability& msix);
uint16_t msix_control(ConfigAccess& config, Address address, const MsixCapability& msix);

} // namespace kiln::pci
