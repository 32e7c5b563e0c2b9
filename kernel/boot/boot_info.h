#pragma once

// What the boot loader told us, validated and copied out of guest-physical memory:
// the memory map, the initrd (the root image) and the kernel command line.
// Portable: unit-tested on the host against hand-built start_info structures.

#include <stddef.h>
#include <stdint.h>

#include <string_view>

#include "lib/result.h"

namespace kiln {

enum class MemoryType : uint32_t {
    Ram = 1,
    Reserved = 2,
    AcpiReclaimable = 3,
    AcpiNvs = 4,
    Unusable = 5,
    Persistent = 7,
};
const char* memory_type_name(MemoryType type);

struct MemoryRegion {
    uint64_t base = 0;
    uint64_t size = 0;
    MemoryType type = MemoryType::Reserved;
};

struct PhysicalRange {
    uint64_t base = 0;
    uint64_t size = 0;
};

// A window through which physical memory [0, limit) is readable at base + address.
// The kernel uses its direct map; tests use a buffer.
struct PhysicalWindow {
    const uint8_t* base;
    uint64_t limit;

    // Pointer to [address, address + size), or nullptr if any of it is outside the window.
    const void* map(uint64_t address, uint64_t size) const
    {
        if (address > limit || size > limit - address)
            return nullptr;
        return base + address;
    }
};

struct BootInfo {
    static constexpr size_t MAX_REGIONS = 128;
    static constexpr size_t MAX_CMDLINE = 2048;

    MemoryRegion memory[MAX_REGIONS];
    size_t memory_count = 0;
    bool memory_truncated = false;
    bool has_initrd = false;
    PhysicalRange initrd;
    char cmdline[MAX_CMDLINE] = {};
    uint64_t rsdp = 0;

    uint64_t ram_bytes() const;
    std::string_view cmdline_view() const { return std::string_view(cmdline); }
};

// Parses a PVH hvm_start_info at start_info_address. Errors: EINVAL for a bad magic or
// version 0 without a memory map, EFAULT for structures outside the window.
// The first module is the initrd, as QEMU and Firecracker pass it.
Result<void> parse_pvh_start_info(const PhysicalWindow& memory, uint64_t start_info_address, BootInfo& out);

} // namespace kiln
