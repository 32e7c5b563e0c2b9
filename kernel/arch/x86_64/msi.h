#pragma once

// Message-signalled interrupts on x86: the address and data a PCI function writes to
// interrupt a local APIC (Intel SDM vol. 3, 11.11 Message Signalled Interrupts).
//
// Portable (pure encoding, unit-tested); the kernel combines it with a vector from
// allocate_msi_vector() and the boot CPU's APIC ID.

#include <stdint.h>

#include "lib/result.h"

namespace kiln::x86 {

// 11.11.1: bits 31:20 are 0xFEE, 19:12 the destination APIC ID, bit 3 redirection hint
// (0: deliver to the destination named), bit 2 destination mode (0: physical).
inline constexpr uint64_t MSI_ADDRESS_BASE = 0xfee00000;
inline constexpr uint32_t MSI_ADDRESS_DESTINATION_SHIFT = 12;
// 11.11.2: bits 7:0 the vector, 10:8 delivery mode (000 fixed), bit 14 level (ignored for
// edge), bit 15 trigger mode (0 edge).
inline constexpr uint32_t MSI_DATA_TRIGGER_LEVEL = 1u << 15;
// Vectors 0-15 are reserved: a fixed interrupt with one of them is an APIC error.
inline constexpr uint8_t MSI_LOWEST_VECTOR = 16;

struct MsiEncoding {
    uint64_t address = 0;
    uint32_t data = 0;
};

// Edge-triggered, fixed delivery of `vector` to the APIC with ID `apic_id`, physical
// destination mode. RANGE when the ID does not fit the 8-bit destination field (x2APIC
// IDs above 255 need interrupt remapping or the extended destination ID, which we do not
// implement); INVAL for a reserved vector.
inline Result<MsiEncoding> msi_encode(uint32_t apic_id, uint8_t vector)
{
    if (apic_id > 0xff)
        return Errno::RANGE;
    if (vector < MSI_LOWEST_VECTOR)
        return Errno::INVAL;
    return MsiEncoding { MSI_ADDRESS_BASE | (static_cast<uint64_t>(apic_id) << MSI_ADDRESS_DESTINATION_SHIFT), vector };
}

} // namespace kiln::x86
