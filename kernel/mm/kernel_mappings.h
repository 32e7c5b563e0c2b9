#pragma once

// The kernel's own higher-half mappings, written into a PageTable: the direct map of
// physical memory and the kernel image with per-section permissions. Portable: it
// only writes tables; loading CR3 is the caller's. Mirrors Linux's layout
// (Documentation/arch/x86/x86_64/mm.rst): direct map at DIRECT_MAP_BASE, image at
// KERNEL_VIRT_BASE (arch/x86_64/layout.h).

#include <stdint.h>

#include <span>

#include "lib/result.h"
#include "mm/page.h"
#include "mm/page_table.h"

namespace kiln::mm {

// Maps each range at direct_map_base + its physical address: writable, no-execute,
// global, with 1 GiB / 2 MiB leaves where `large` and alignment allow. Ranges are
// rounded out to pages and must not overlap each other.
Result<void> map_direct(
    PageTable& table, std::span<const MemoryRange> ranges, uint64_t direct_map_base, LargePages large);

// Device registers at direct_map_base + physical, uncached (PCD|PWT: UC with the
// default PAT, SDM vol. 3 11.12.3), 4 KiB pages, not overlapping RAM mappings.
Result<void> map_mmio(PageTable& table, uint64_t physical, uint64_t length, uint64_t direct_map_base);

// Virtual boundaries of the image sections (from the linker script), page aligned:
// text is read+execute, rodata read-only, data (with bss) read+write, all global.
struct KernelImageLayout {
    uint64_t virtual_base = 0; // where physical 0 of the kernel window is mapped
    uint64_t text_start = 0;
    uint64_t text_end = 0;
    uint64_t rodata_start = 0;
    uint64_t rodata_end = 0;
    uint64_t data_start = 0;
    uint64_t data_end = 0;
};
// INVAL when a section is unaligned or below virtual_base.
Result<void> map_kernel_image(PageTable& table, const KernelImageLayout& image);

} // namespace kiln::mm
