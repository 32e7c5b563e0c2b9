#pragma once

// The PVH boot ABI: what the hypervisor hands us in %ebx.
// Source: xen/include/public/arch-x86/hvm/start_info.h (version 1 adds the memory map).

#include <stdint.h>

namespace kiln::pvh {

inline constexpr uint32_t START_MAGIC = 0x336ec578;

struct StartInfo {
    uint32_t magic;
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr;
    uint64_t rsdp_paddr;
    uint64_t memmap_paddr; // version >= 1
    uint32_t memmap_entries; // version >= 1
    uint32_t reserved;
};
static_assert(sizeof(StartInfo) == 56);

struct ModlistEntry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
};
static_assert(sizeof(ModlistEntry) == 32);

struct MemmapEntry {
    uint64_t addr;
    uint64_t size;
    uint32_t type; // E820 types: 1 RAM, 2 reserved, 3 ACPI, 4 NVS, 5 unusable, 7 persistent
    uint32_t reserved;
};
static_assert(sizeof(MemmapEntry) == 24);

} // namespace kiln::pvh
