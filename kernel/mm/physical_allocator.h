#pragma once

// The physical page allocator: every 4 KiB frame of usable RAM, tracked in a bitmap
// kept in RAM itself. Portable: the host tests give it a buffer as "RAM".
//
// Layout of the metadata (carved from the first usable run large enough for it):
//   free bitmap  - one bit per page of [base, base + pages * 4 KiB), 1 = free
//   owned bitmap - 1 = the page belongs to the allocator (usable RAM, not reserved);
//                  fixed after creation, so a free of anything else is caught
//   summary      - one bit per free-bitmap word, 1 = that word has a free page
// A single-page allocation scans the summary from a next-fit hint: with 4 GiB of RAM
// the summary is 256 words, so the worst case is bounded and the usual case is the
// first word looked at.
//
// Not synchronized: the kernel calls it with interrupts off or under its mm lock.
// Never called from the allocator's own failure paths, so it cannot recurse.

#include <stddef.h>
#include <stdint.h>

#include <span>

#include "lib/result.h"
#include "mm/page.h"

namespace kiln::mm {

class PhysicalAllocator {
public:
    // Real-mode leftovers (BIOS data, EBDA, option ROMs) live here; Linux also keeps
    // the first 1 MiB out of its allocator.
    static constexpr uint64_t LOW_MEMORY_RESERVED = 1024 * 1024;
    // MAXPHYADDR is at most 52 bits (Intel SDM vol. 3 4.1.4); RAM beyond is ignored.
    static constexpr uint64_t PHYSICAL_LIMIT = 1ULL << 52;

    PhysicalAllocator() = default;

    // `ram` is the usable RAM from the boot memory map; `reserved` lists what must
    // never be handed out (kernel image, initrd, boot structures). Neither needs to be
    // sorted; overlaps are fine. Ranges are shrunk inwards (RAM) or grown outwards
    // (reserved) to whole pages. The metadata is placed in the lowest usable run that
    // fits and is reported by metadata(). Errors: NOMEM when no usable page remains or
    // the metadata fits nowhere.
    static Result<PhysicalAllocator> try_create(
        std::span<const MemoryRange> ram, std::span<const MemoryRange> reserved, PhysicalMemory memory);

    // One frame, not zeroed. NOMEM when none is left.
    Result<uint64_t> allocate_page();
    // `count` contiguous frames whose first address is a multiple of `alignment` (a
    // power of two, at least PAGE_SIZE). A linear scan: meant for rare DMA rings.
    // INVAL for count 0 or a bad alignment, NOMEM when no run fits.
    Result<uint64_t> allocate_contiguous(size_t count, uint64_t alignment = PAGE_SIZE);

    // INVAL for an unaligned address, FAULT for a frame the allocator does not own
    // (outside RAM, reserved, metadata), ALREADY for a frame that is already free.
    // Nothing changes on error, so a bad free cannot corrupt the bitmaps.
    Result<void> free_page(uint64_t physical);
    // All pages are checked before any is freed.
    Result<void> free_contiguous(uint64_t physical, size_t count);

    bool owns(uint64_t physical) const;
    bool is_free(uint64_t physical) const;

    // For /proc/meminfo (MemTotal, MemFree) and sysinfo(2).
    size_t total_pages() const { return m_total_pages; }
    size_t free_pages() const { return m_free_pages; }
    MemoryRange metadata() const { return m_metadata; }

    // A FrameSource handing out this allocator's frames. It points at this object: take
    // it once the allocator is in its final place (not before a move).
    FrameSource frame_source();

private:
    bool test(const uint64_t* bitmap, size_t page) const { return (bitmap[page / 64] >> (page % 64)) & 1; }
    void mark_allocated(size_t page);
    void mark_free(size_t page);
    Result<size_t> page_index(uint64_t physical) const;

    PhysicalMemory m_memory;
    uint64_t m_base = 0;
    size_t m_page_count = 0;
    size_t m_word_count = 0;
    size_t m_summary_word_count = 0;
    uint64_t* m_free = nullptr;
    uint64_t* m_owned = nullptr;
    uint64_t* m_summary = nullptr;
    size_t m_hint = 0;
    size_t m_total_pages = 0;
    size_t m_free_pages = 0;
    MemoryRange m_metadata;
};

} // namespace kiln::mm
