#include "dev/virtio/dma.h"

namespace kiln::virtio {

Result<DmaRegion> dma_allocate(const DmaMemory& memory, size_t bytes)
{
    if (bytes == 0)
        return Errno::INVAL;
    size_t pages = (bytes + mm::PAGE_SIZE - 1) / mm::PAGE_SIZE;
    auto physical = memory.frames.allocate_frames(pages);
    if (physical.is_error())
        return Errno::NOMEM;
    DmaRegion region;
    region.physical = physical.value();
    region.pointer = memory.window.pointer<uint8_t>(region.physical);
    region.pages = pages;
    __builtin_memset(region.pointer, 0, region.bytes());
    return region;
}

void dma_release(const DmaMemory& memory, DmaRegion& region)
{
    if (region.empty())
        return;
    memory.frames.release_frames(region.physical, region.pages);
    region = DmaRegion {};
}

} // namespace kiln::virtio
