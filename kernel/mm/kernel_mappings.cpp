#include "mm/kernel_mappings.h"

namespace kiln::mm {

namespace {

constexpr PageFlags KERNEL_DATA = PageFlags::Present | PageFlags::Writable | PageFlags::Global | PageFlags::NoExecute;

Result<void> map_section(PageTable& table, uint64_t virtual_base, uint64_t start, uint64_t end, PageFlags flags)
{
    if (start == end)
        return {};
    if (!is_page_aligned(start) || !is_page_aligned(end) || end < start || start < virtual_base)
        return Errno::INVAL;
    return table.map_range(start, start - virtual_base, end - start, flags, LargePages::Allow2M);
}

} // namespace

Result<void> map_direct(
    PageTable& table, std::span<const MemoryRange> ranges, uint64_t direct_map_base, LargePages large)
{
    for (const MemoryRange& range : ranges) {
        if (range.size == 0)
            continue;
        uint64_t first = page_round_down(range.base);
        uint64_t last = page_round_up(range.base + range.size);
        if (last <= first)
            return Errno::INVAL;
        TRY_VOID(table.map_range(direct_map_base + first, first, last - first, KERNEL_DATA, large));
    }
    return {};
}

Result<void> map_mmio(PageTable& table, uint64_t physical, uint64_t length, uint64_t direct_map_base)
{
    uint64_t first = page_round_down(physical);
    uint64_t last = page_round_up(physical + length);
    if (length == 0 || last <= first)
        return Errno::INVAL;
    return table.map_range(direct_map_base + first, first, last - first,
        KERNEL_DATA | PageFlags::CacheDisable | PageFlags::WriteThrough, LargePages::No);
}

Result<void> map_kernel_image(PageTable& table, const KernelImageLayout& image)
{
    TRY_VOID(map_section(
        table, image.virtual_base, image.text_start, image.text_end, PageFlags::Present | PageFlags::Global));
    TRY_VOID(map_section(table, image.virtual_base, image.rodata_start, image.rodata_end,
        PageFlags::Present | PageFlags::Global | PageFlags::NoExecute));
    return map_section(table, image.virtual_base, image.data_start, image.data_end, KERNEL_DATA);
}

} // namespace kiln::mm
