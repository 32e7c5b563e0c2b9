#pragma once

// Memory the device reads and writes: rings and buffers. Devices see guest-physical
// addresses; the driver reaches the same bytes through a PhysicalMemory window (the
// kernel's direct map, or a host buffer standing in for RAM in the tests). Frames come
// from a FrameSource (the physical allocator in the kernel).
//
// Boot and main context only (the allocator is not for interrupt context).

#include <stddef.h>
#include <stdint.h>

#include "lib/result.h"
#include "mm/page.h"

namespace kiln::virtio {

struct DmaMemory {
    mm::FrameSource frames;
    mm::PhysicalMemory window;
};

// Physically contiguous, page-aligned, zeroed.
struct DmaRegion {
    uint64_t physical = 0;
    uint8_t* pointer = nullptr;
    size_t pages = 0;

    bool empty() const { return pages == 0; }
    size_t bytes() const { return pages * mm::PAGE_SIZE; }
};

// NOMEM when the frames cannot be had; INVAL for 0 bytes.
Result<DmaRegion> dma_allocate(const DmaMemory& memory, size_t bytes);
// Releases a region from dma_allocate and empties it; empty regions are ignored.
void dma_release(const DmaMemory& memory, DmaRegion& region);

} // namespace kiln::virtio
