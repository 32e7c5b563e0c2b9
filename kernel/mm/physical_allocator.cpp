#include "mm/physical_allocator.h"

#include <bit>

namespace kiln::mm {

namespace {

constexpr uint64_t ALL_ONES = ~0ULL;

// [first, last) of whole pages inside a RAM range, clipped to what we can manage.
struct PageSpan {
    uint64_t first = 0;
    uint64_t last = 0;
    bool empty() const { return first >= last; }
};

PageSpan usable_span(const MemoryRange& range)
{
    constexpr uint64_t limit = PhysicalAllocator::PHYSICAL_LIMIT;
    if (range.base >= limit)
        return {};
    uint64_t end = range.size > limit - range.base ? limit : range.base + range.size;
    uint64_t base
        = range.base < PhysicalAllocator::LOW_MEMORY_RESERVED ? PhysicalAllocator::LOW_MEMORY_RESERVED : range.base;
    if (base >= end)
        return {};
    return { page_round_up(base), page_round_down(end) };
}

// Reserved ranges grow outwards to whole pages; a range running past 2^64 ends there.
PageSpan reserved_span(const MemoryRange& range)
{
    uint64_t end = range.size > ALL_ONES - range.base ? ALL_ONES : range.base + range.size;
    uint64_t last = end > ALL_ONES - PAGE_OFFSET_MASK ? page_round_down(ALL_ONES) : page_round_up(end);
    return { page_round_down(range.base), last };
}

// std::popcount and std::has_single_bit become libgcc calls without -mpopcnt, which
// the kernel does not assume; this loop stays inline.
unsigned count_ones(uint64_t x)
{
    unsigned count = 0;
    for (; x != 0; x &= x - 1)
        ++count;
    return count;
}

bool overlaps(PageSpan a, PageSpan b) { return a.first < b.last && b.first < a.last; }

// Sets (value true) or clears bits [first, last) of a bitmap, a word at a time.
void fill_bits(uint64_t* bitmap, size_t first, size_t last, bool value)
{
    while (first < last) {
        size_t word = first / 64;
        size_t bit = first % 64;
        size_t count = last - first < 64 - bit ? last - first : 64 - bit;
        uint64_t mask = count == 64 ? ALL_ONES : ((1ULL << count) - 1) << bit;
        if (value)
            bitmap[word] |= mask;
        else
            bitmap[word] &= ~mask;
        first += count;
    }
}

} // namespace

Result<PhysicalAllocator> PhysicalAllocator::try_create(
    std::span<const MemoryRange> ram, std::span<const MemoryRange> reserved, PhysicalMemory memory)
{
    uint64_t low = ALL_ONES;
    uint64_t high = 0;
    for (const MemoryRange& range : ram) {
        PageSpan span = usable_span(range);
        if (span.empty())
            continue;
        low = span.first < low ? span.first : low;
        high = span.last > high ? span.last : high;
    }
    if (high == 0)
        return Errno::NOMEM;

    PhysicalAllocator allocator;
    allocator.m_memory = memory;
    allocator.m_base = low;
    allocator.m_page_count = (high - low) >> PAGE_SHIFT;
    allocator.m_word_count = (allocator.m_page_count + 63) / 64;
    allocator.m_summary_word_count = (allocator.m_word_count + 63) / 64;
    uint64_t metadata_bytes
        = page_round_up((2 * allocator.m_word_count + allocator.m_summary_word_count) * sizeof(uint64_t));

    // The lowest run of usable pages that no reserved range touches. Memory maps have
    // a handful of entries, so quadratic is fine.
    PageSpan placement;
    for (const MemoryRange& range : ram) {
        PageSpan span = usable_span(range);
        uint64_t candidate = span.first;
        while (!span.empty() && candidate <= span.last && span.last - candidate >= metadata_bytes) {
            PageSpan want { candidate, candidate + metadata_bytes };
            bool moved = false;
            for (const MemoryRange& r : reserved) {
                PageSpan blocked = reserved_span(r);
                if (overlaps(want, blocked)) {
                    candidate = blocked.last;
                    moved = true;
                }
            }
            if (!moved) {
                if (placement.empty() || want.first < placement.first)
                    placement = want;
                break;
            }
        }
    }
    if (placement.empty())
        return Errno::NOMEM;

    uint64_t* words = memory.pointer<uint64_t>(placement.first);
    __builtin_memset(words, 0, metadata_bytes);
    allocator.m_free = words;
    allocator.m_owned = words + allocator.m_word_count;
    allocator.m_summary = words + 2 * allocator.m_word_count;
    allocator.m_metadata = { placement.first, metadata_bytes };

    auto index = [&](uint64_t address) { return (address - low) >> PAGE_SHIFT; };
    auto clip = [&](PageSpan span) {
        span.first = span.first < low ? low : span.first;
        span.last = span.last > high ? high : span.last;
        return span;
    };
    for (const MemoryRange& range : ram) {
        PageSpan span = usable_span(range);
        if (!span.empty())
            fill_bits(allocator.m_free, index(span.first), index(span.last), true);
    }
    for (const MemoryRange& range : reserved) {
        PageSpan span = clip(reserved_span(range));
        if (!span.empty())
            fill_bits(allocator.m_free, index(span.first), index(span.last), false);
    }
    fill_bits(allocator.m_free, index(placement.first), index(placement.last), false);

    for (size_t w = 0; w < allocator.m_word_count; ++w) {
        allocator.m_owned[w] = allocator.m_free[w];
        allocator.m_free_pages += count_ones(allocator.m_free[w]);
        if (allocator.m_free[w])
            allocator.m_summary[w / 64] |= 1ULL << (w % 64);
    }
    allocator.m_total_pages = allocator.m_free_pages;
    if (allocator.m_total_pages == 0)
        return Errno::NOMEM;
    return allocator;
}

void PhysicalAllocator::mark_allocated(size_t page)
{
    size_t word = page / 64;
    m_free[word] &= ~(1ULL << (page % 64));
    if (m_free[word] == 0)
        m_summary[word / 64] &= ~(1ULL << (word % 64));
    --m_free_pages;
}

void PhysicalAllocator::mark_free(size_t page)
{
    size_t word = page / 64;
    m_free[word] |= 1ULL << (page % 64);
    m_summary[word / 64] |= 1ULL << (word % 64);
    ++m_free_pages;
}

Result<uint64_t> PhysicalAllocator::allocate_page()
{
    for (size_t i = 0; i < m_summary_word_count; ++i) {
        size_t s = m_hint + i < m_summary_word_count ? m_hint + i : m_hint + i - m_summary_word_count;
        if (m_summary[s] == 0)
            continue;
        size_t word = s * 64 + static_cast<size_t>(std::countr_zero(m_summary[s]));
        size_t page = word * 64 + static_cast<size_t>(std::countr_zero(m_free[word]));
        mark_allocated(page);
        m_hint = s;
        return m_base + (static_cast<uint64_t>(page) << PAGE_SHIFT);
    }
    return Errno::NOMEM;
}

Result<uint64_t> PhysicalAllocator::allocate_contiguous(size_t count, uint64_t alignment)
{
    if (count == 0 || alignment < PAGE_SIZE || (alignment & (alignment - 1)) != 0)
        return Errno::INVAL;
    if (count > m_free_pages)
        return Errno::NOMEM;
    uint64_t align_pages = alignment >> PAGE_SHIFT;
    // Index of the first page at or after `page` whose address is aligned.
    auto aligned_from = [&](size_t page) -> size_t {
        uint64_t frame = (m_base >> PAGE_SHIFT) + page;
        uint64_t aligned = (frame + align_pages - 1) & ~(align_pages - 1);
        return static_cast<size_t>(aligned - (m_base >> PAGE_SHIFT));
    };
    size_t start = aligned_from(0);
    while (start < m_page_count && count <= m_page_count - start) {
        size_t page = start;
        while (page < start + count && test(m_free, page))
            ++page;
        if (page == start + count) {
            for (size_t p = start; p < start + count; ++p)
                mark_allocated(p);
            return m_base + (static_cast<uint64_t>(start) << PAGE_SHIFT);
        }
        // `page` is taken: resume at the next free page, a word at a time.
        size_t next = page + 1;
        while (next < m_page_count) {
            uint64_t bits = m_free[next / 64] & (~0ULL << (next % 64));
            if (bits != 0) {
                next = (next & ~size_t(63)) + static_cast<size_t>(__builtin_ctzll(bits));
                break;
            }
            next = (next & ~size_t(63)) + 64;
        }
        start = aligned_from(next);
    }
    return Errno::NOMEM;
}

Result<size_t> PhysicalAllocator::page_index(uint64_t physical) const
{
    if (!is_page_aligned(physical))
        return Errno::INVAL;
    if (physical < m_base || ((physical - m_base) >> PAGE_SHIFT) >= m_page_count)
        return Errno::FAULT;
    size_t page = static_cast<size_t>((physical - m_base) >> PAGE_SHIFT);
    if (!test(m_owned, page))
        return Errno::FAULT;
    return page;
}

Result<void> PhysicalAllocator::free_page(uint64_t physical)
{
    TRY(size_t page, page_index(physical));
    if (test(m_free, page))
        return Errno::ALREADY;
    mark_free(page);
    return {};
}

Result<void> PhysicalAllocator::free_contiguous(uint64_t physical, size_t count)
{
    if (count == 0)
        return Errno::INVAL;
    if (count > m_page_count)
        return Errno::FAULT;
    for (size_t i = 0; i < count; ++i) {
        TRY(size_t page, page_index(physical + (static_cast<uint64_t>(i) << PAGE_SHIFT)));
        if (test(m_free, page))
            return Errno::ALREADY;
    }
    size_t first = static_cast<size_t>((physical - m_base) >> PAGE_SHIFT);
    for (size_t i = 0; i < count; ++i)
        mark_free(first + i);
    return {};
}

bool PhysicalAllocator::owns(uint64_t physical) const { return !page_index(physical).is_error(); }

bool PhysicalAllocator::is_free(uint64_t physical) const
{
    Result<size_t> page = page_index(physical);
    return page && test(m_free, *page);
}

FrameSource PhysicalAllocator::frame_source()
{
    FrameSource source;
    source.context = this;
    source.allocate = [](void* context, size_t count) -> Result<uint64_t> {
        auto* self = static_cast<PhysicalAllocator*>(context);
        return count == 1 ? self->allocate_page() : self->allocate_contiguous(count);
    };
    source.release = [](void* context, uint64_t physical, size_t count) {
        auto* self = static_cast<PhysicalAllocator*>(context);
        // A FrameSource user frees only what it allocated; a failure here is a bug in
        // that user, and the allocator has already refused to change state.
        (void)self->free_contiguous(physical, count);
    };
    return source;
}

} // namespace kiln::mm
