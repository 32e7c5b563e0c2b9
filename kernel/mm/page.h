#pragma once

// Vocabulary shared by the memory manager: page size, physical ranges, the window
// through which the kernel reaches physical memory, and where new frames come from.
// Portable: no hardware access; the host tests stand a buffer in for RAM.

#include <stddef.h>
#include <stdint.h>

#include "lib/result.h"

namespace kiln::mm {

constexpr uint64_t PAGE_SHIFT = 12;
constexpr uint64_t PAGE_SIZE = 1ULL << PAGE_SHIFT;
constexpr uint64_t PAGE_OFFSET_MASK = PAGE_SIZE - 1;

constexpr bool is_page_aligned(uint64_t value) { return (value & PAGE_OFFSET_MASK) == 0; }
constexpr uint64_t page_round_down(uint64_t value) { return value & ~PAGE_OFFSET_MASK; }
// Wraps to 0 for values in the last page of the 64-bit space; callers that take sizes
// from user space check for that (Linux's PAGE_ALIGN has the same property).
constexpr uint64_t page_round_up(uint64_t value) { return (value + PAGE_OFFSET_MASK) & ~PAGE_OFFSET_MASK; }

// [base, base + size) in physical memory.
struct MemoryRange {
    uint64_t base = 0;
    uint64_t size = 0;

    uint64_t end() const { return base + size; }
};

// Physical address -> kernel pointer by a constant offset. The kernel passes
// DIRECT_MAP_BASE (arch/x86_64/layout.h); host tests pass (buffer - fake base), so
// the same code writes page tables into a test buffer. Nothing here checks bounds:
// callers only translate frames they own.
class PhysicalMemory {
public:
    constexpr PhysicalMemory() = default;
    constexpr explicit PhysicalMemory(uintptr_t offset)
        : m_offset(offset)
    {
    }

    template <typename T = void> T* pointer(uint64_t physical) const
    {
        return reinterpret_cast<T*>(m_offset + static_cast<uintptr_t>(physical));
    }
    uint64_t physical(const void* pointer) const { return reinterpret_cast<uintptr_t>(pointer) - m_offset; }
    uintptr_t offset() const { return m_offset; }

private:
    uintptr_t m_offset = 0;
};

// Where page tables and the kernel heap get physical frames. A pair of function
// pointers rather than a virtual interface so tests can inject failures without
// subclassing, and so nothing here needs a vtable. PhysicalAllocator::frame_source()
// makes one. `count` > 1 asks for physically contiguous frames.
struct FrameSource {
    void* context = nullptr;
    Result<uint64_t> (*allocate)(void* context, size_t count) = nullptr;
    void (*release)(void* context, uint64_t physical, size_t count) = nullptr;

    Result<uint64_t> allocate_frames(size_t count) const { return allocate(context, count); }
    void release_frames(uint64_t physical, size_t count) const { release(context, physical, count); }
};

} // namespace kiln::mm
