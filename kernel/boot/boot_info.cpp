#include "boot/boot_info.h"

#include "boot/pvh_start_info.h"

namespace kiln {

const char* memory_type_name(MemoryType type)
{
    switch (type) {
    case MemoryType::Ram:
        return "usable";
    case MemoryType::Reserved:
        return "reserved";
    case MemoryType::AcpiReclaimable:
        return "ACPI data";
    case MemoryType::AcpiNvs:
        return "ACPI NVS";
    case MemoryType::Unusable:
        return "unusable";
    case MemoryType::Persistent:
        return "persistent";
    }
    return "unknown";
}

uint64_t BootInfo::ram_bytes() const
{
    uint64_t total = 0;
    for (size_t i = 0; i < memory_count; ++i) {
        if (memory[i].type == MemoryType::Ram)
            total += memory[i].size;
    }
    return total;
}

Result<void> parse_pvh_start_info(const PhysicalWindow& memory, uint64_t start_info_address, BootInfo& out)
{
    auto* info = static_cast<const pvh::StartInfo*>(memory.map(start_info_address, sizeof(pvh::StartInfo)));
    if (!info)
        return Errno::FAULT;
    if (info->magic != pvh::START_MAGIC)
        return Errno::INVAL;
    // Version 0 has no memory map, and we have no other source (no BIOS calls in PVH).
    if (info->version < 1 || info->memmap_entries == 0)
        return Errno::INVAL;

    uint64_t entries = info->memmap_entries;
    auto* map
        = static_cast<const pvh::MemmapEntry*>(memory.map(info->memmap_paddr, entries * sizeof(pvh::MemmapEntry)));
    if (!map)
        return Errno::FAULT;
    out.memory_count = 0;
    out.memory_truncated = entries > BootInfo::MAX_REGIONS;
    for (uint64_t i = 0; i < entries && out.memory_count < BootInfo::MAX_REGIONS; ++i) {
        // QEMU's microvm map ends with an empty entry; it describes nothing.
        if (map[i].size == 0)
            continue;
        uint32_t type = map[i].type;
        bool known = type >= 1 && type <= 7 && type != 6;
        out.memory[out.memory_count++] = MemoryRegion {
            map[i].addr,
            map[i].size,
            known ? static_cast<MemoryType>(type) : MemoryType::Reserved,
        };
    }

    out.has_initrd = false;
    if (info->nr_modules > 0) {
        auto* module
            = static_cast<const pvh::ModlistEntry*>(memory.map(info->modlist_paddr, sizeof(pvh::ModlistEntry)));
        if (!module)
            return Errno::FAULT;
        if (module->size > 0) {
            if (!memory.map(module->paddr, module->size))
                return Errno::FAULT;
            out.has_initrd = true;
            out.initrd = PhysicalRange { module->paddr, module->size };
        }
    }

    out.cmdline[0] = '\0';
    if (info->cmdline_paddr != 0) {
        size_t n = 0;
        for (; n + 1 < BootInfo::MAX_CMDLINE; ++n) {
            auto* c = static_cast<const char*>(memory.map(info->cmdline_paddr + n, 1));
            if (!c)
                return Errno::FAULT;
            if (*c == '\0')
                break;
            out.cmdline[n] = *c;
        }
        out.cmdline[n] = '\0';
    }
    out.rsdp = info->rsdp_paddr;
    return {};
}

} // namespace kiln
