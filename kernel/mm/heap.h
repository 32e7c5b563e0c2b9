#pragma once

// The kernel heap: kalloc/kfree for kernel objects (file descriptions, sockets).
// Portable: pages come from a FrameSource through a PhysicalMemory window, so the host
// tests run it on a buffer.
//
// Small requests (up to MAX_SMALL bytes) are served from one-page slabs of a single
// size class; a slab starts with a 64-byte header (class, allocation bitmap, list
// links), so every small pointer is 16-byte aligned and never page aligned. Larger
// requests get a run of whole pages with a 64-byte header, so they are 64-byte
// aligned; use the page allocator for page-aligned memory. free() finds the header by
// rounding the pointer down to its page.
//
// Checks: a pointer whose page has no heap header, that is not on a slot boundary, or
// whose slot is already free is reported to the corruption handler and otherwise
// ignored, so a double free cannot hand the same memory out twice. (For large blocks
// this is best effort: their pages go back to the frame source.)
//
// Not synchronized and not for interrupt handlers: callers run in thread context
// under the kernel's lock.

#include <stddef.h>
#include <stdint.h>

#include "mm/page.h"

namespace kiln::mm {

struct HeapOptions {
    // Fill freed small blocks with 0xdf so use-after-free shows up in a crash dump.
    bool poison_on_free = false;
    void* context = nullptr;
    void (*corruption)(void* context, const char* what, const void* pointer) = nullptr;
};

struct HeapStats {
    size_t slab_pages = 0; // pages holding small blocks
    size_t large_pages = 0; // pages holding large blocks (with their headers)
    size_t small_bytes = 0; // bytes of small blocks handed out (class sizes)
    size_t small_blocks = 0;
    size_t large_blocks = 0;
};

class Heap {
public:
    static constexpr size_t MAX_SMALL = 2016;
    static constexpr size_t CLASS_COUNT = 14;
    static constexpr size_t HEADER_SIZE = 64;

    Heap(PhysicalMemory memory, FrameSource frames, HeapOptions options = {});
    Heap(const Heap&) = delete;
    Heap& operator=(const Heap&) = delete;

    // nullptr when memory runs out. Size 0 gets a unique smallest block, as malloc may.
    void* allocate(size_t size);
    void* allocate_zeroed(size_t size);
    // nullptr is ignored.
    void free(void* pointer);
    // What the block can hold (its class size or the rest of its pages); 0 if the
    // pointer is not a live heap block.
    size_t usable_size(const void* pointer) const;

    const HeapStats& stats() const { return m_stats; }
    // The class size a request of `size` bytes gets, 0 for large requests.
    static size_t class_size(size_t size);

private:
    struct Slab;
    Slab* new_slab(size_t size_class);
    void unlink(Slab* slab);
    void report(const char* what, const void* pointer);

    PhysicalMemory m_memory;
    FrameSource m_frames;
    HeapOptions m_options;
    HeapStats m_stats;
    Slab* m_partial[CLASS_COUNT] = {}; // slabs with a free slot, per class
};

// The heap behind kiln::kalloc/kfree (lib/kalloc.h, which also has make<T> and
// destroy). Set once during start-up, before anything allocates; mm/kalloc.cpp (kernel
// only: the host tests link a malloc-based kalloc) forwards to it.
void set_kernel_heap(Heap* heap);
Heap* kernel_heap();

} // namespace kiln::mm
