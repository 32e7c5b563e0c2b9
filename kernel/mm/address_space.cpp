#include "mm/address_space.h"

namespace kiln::mm {

namespace {

bool same_name(const char* a, const char* b)
{
    if (a == b)
        return true;
    if (a == nullptr || b == nullptr)
        return false;
    while (*a && *a == *b) {
        ++a;
        ++b;
    }
    return *a == *b;
}

// Linux's is_mergeable_vma plus contiguous file offsets (mm/mmap.c).
bool mergeable(const Vma& a, const Vma& b)
{
    return a.end == b.start && a.prot == b.prot && a.flags == b.flags && a.file == b.file && same_name(a.name, b.name)
        && (a.file == nullptr || a.file_offset + a.size() == b.file_offset);
}

// The part of `vma` inside [start, end), with the file offset following the start.
Vma clip(const Vma& vma, uint64_t start, uint64_t end)
{
    Vma piece = vma;
    piece.start = vma.start > start ? vma.start : start;
    piece.end = vma.end < end ? vma.end : end;
    if (piece.file)
        piece.file_offset += piece.start - vma.start;
    return piece;
}

constexpr uint32_t PROT_RWX = LINUX_PROT_READ | LINUX_PROT_WRITE | LINUX_PROT_EXEC;
constexpr uint32_t KNOWN_MAP_FLAGS = LINUX_MAP_TYPE | LINUX_MAP_FIXED | LINUX_MAP_ANONYMOUS | LINUX_MAP_32BIT
    | LINUX_MAP_GROWSDOWN | LINUX_MAP_DENYWRITE | LINUX_MAP_EXECUTABLE | LINUX_MAP_LOCKED | LINUX_MAP_NORESERVE
    | LINUX_MAP_POPULATE | LINUX_MAP_NONBLOCK | LINUX_MAP_STACK | LINUX_MAP_HUGETLB | LINUX_MAP_SYNC
    | LINUX_MAP_FIXED_NOREPLACE | LINUX_MAP_UNINITIALIZED;
// x86-64 MAP_32BIT places mappings in [1 GiB, 2 GiB) (arch/x86/kernel/sys_x86_64.c).
constexpr uint64_t MAP_32BIT_LOW = 0x40000000;
constexpr uint64_t MAP_32BIT_HIGH = 0x80000000;

} // namespace

AddressSpace::AddressSpace(std::span<Vma> storage, AddressSpaceLayout layout)
    : m_vmas(storage.data())
    , m_capacity(storage.size())
    , m_layout(layout)
{
}

// vm_start_gap(): a grows-down region claims the guard gap below it.
uint64_t AddressSpace::start_gap(const Vma& vma)
{
    if (!has(vma.flags, VmaFlags::GrowsDown))
        return vma.start;
    return vma.start > STACK_GUARD_GAP ? vma.start - STACK_GUARD_GAP : 0;
}

size_t AddressSpace::lower_bound(uint64_t address) const
{
    size_t low = 0;
    size_t high = m_count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (m_vmas[middle].end > address)
            high = middle;
        else
            low = middle + 1;
    }
    return low;
}

const Vma* AddressSpace::find(uint64_t address) const
{
    size_t i = lower_bound(address);
    return i < m_count && m_vmas[i].start <= address ? &m_vmas[i] : nullptr;
}

const Vma* AddressSpace::find_next(uint64_t address) const
{
    size_t i = lower_bound(address);
    return i < m_count ? &m_vmas[i] : nullptr;
}

bool AddressSpace::split_needed(uint64_t address) const
{
    size_t i = lower_bound(address);
    return i < m_count && m_vmas[i].start < address;
}

bool AddressSpace::range_free(uint64_t start, uint64_t end) const
{
    size_t i = lower_bound(start);
    return i == m_count || m_vmas[i].start >= end;
}

bool AddressSpace::range_mapped(uint64_t start, uint64_t end) const
{
    size_t i = lower_bound(start);
    for (uint64_t covered = start; covered < end; ++i) {
        if (i == m_count || m_vmas[i].start > covered)
            return false;
        covered = m_vmas[i].end;
    }
    return true;
}

void AddressSpace::erase(size_t first, size_t count)
{
    if (count == 0)
        return;
    __builtin_memmove(&m_vmas[first], &m_vmas[first + count], (m_count - first - count) * sizeof(Vma));
    m_count -= count;
}

// Callers have checked that a slot is free.
void AddressSpace::insert(const Vma& vma)
{
    size_t i = lower_bound(vma.start);
    __builtin_memmove(&m_vmas[i + 1], &m_vmas[i], (m_count - i) * sizeof(Vma));
    m_vmas[i] = vma;
    ++m_count;
    merge_around(i, i);
}

void AddressSpace::split_at(uint64_t address)
{
    size_t i = lower_bound(address);
    if (i == m_count || m_vmas[i].start >= address)
        return;
    Vma right = clip(m_vmas[i], address, m_vmas[i].end);
    m_vmas[i].end = address;
    __builtin_memmove(&m_vmas[i + 2], &m_vmas[i + 1], (m_count - i - 1) * sizeof(Vma));
    m_vmas[i + 1] = right;
    ++m_count;
}

// Merges each of regions [first, last] with its predecessor and the one after `last`
// with `last`, where compatible.
void AddressSpace::merge_around(size_t first, size_t last)
{
    size_t i = first == 0 ? 1 : first;
    size_t stop = last + 1;
    while (i < m_count && i <= stop) {
        if (mergeable(m_vmas[i - 1], m_vmas[i])) {
            m_vmas[i - 1].end = m_vmas[i].end;
            erase(i, 1);
            --stop;
        } else {
            ++i;
        }
    }
}

// 1 when [start, end) lies strictly inside one region, so removing it adds a region.
size_t AddressSpace::carve_growth(uint64_t start, uint64_t end) const
{
    size_t i = lower_bound(start);
    return i < m_count && m_vmas[i].start < start && m_vmas[i].end > end ? 1 : 0;
}

// Regions lying entirely inside [start, end), which removing it frees.
size_t AddressSpace::regions_inside(uint64_t start, uint64_t end) const
{
    size_t count = 0;
    for (size_t i = lower_bound(start); i < m_count && m_vmas[i].end <= end; ++i)
        count += m_vmas[i].start >= start;
    return count;
}

// Removes [start, end) from the set; needs a free slot when carve_growth() says so.
void AddressSpace::carve(uint64_t start, uint64_t end, VmaVisitor removed)
{
    size_t i = lower_bound(start);
    for (size_t j = i; j < m_count && m_vmas[j].start < end; ++j)
        removed(clip(m_vmas[j], start, end));

    if (carve_growth(start, end)) {
        Vma right = clip(m_vmas[i], end, m_vmas[i].end);
        m_vmas[i].end = start;
        __builtin_memmove(&m_vmas[i + 2], &m_vmas[i + 1], (m_count - i - 1) * sizeof(Vma));
        m_vmas[i + 1] = right;
        ++m_count;
        return;
    }
    if (i < m_count && m_vmas[i].start < start) {
        m_vmas[i].end = start;
        ++i;
    }
    size_t j = i;
    while (j < m_count && m_vmas[j].end <= end)
        ++j;
    if (j < m_count && m_vmas[j].start < end)
        m_vmas[j] = clip(m_vmas[j], end, m_vmas[j].end);
    erase(i, j - i);
}

// vm_unmapped_area() top-down: the highest gap in [low, high) that fits.
Result<uint64_t> AddressSpace::search_top_down(uint64_t length, uint64_t low, uint64_t high) const
{
    if (high <= low || high - low < length)
        return Errno::NOMEM;
    size_t k = lower_bound(high);
    for (;;) {
        uint64_t top = k < m_count && start_gap(m_vmas[k]) < high ? start_gap(m_vmas[k]) : high;
        uint64_t bottom = k > 0 && m_vmas[k - 1].end > low ? m_vmas[k - 1].end : low;
        if (top > bottom && top - bottom >= length)
            return top - length;
        if (k == 0 || m_vmas[k - 1].end <= low)
            return Errno::NOMEM;
        --k;
    }
}

// vm_unmapped_area() bottom-up: the lowest gap in [low, high) that fits.
Result<uint64_t> AddressSpace::search_bottom_up(uint64_t length, uint64_t low, uint64_t high) const
{
    if (high <= low || high - low < length)
        return Errno::NOMEM;
    uint64_t bottom = low;
    for (size_t k = lower_bound(low);; ++k) {
        uint64_t top = k < m_count && start_gap(m_vmas[k]) < high ? start_gap(m_vmas[k]) : high;
        if (top > bottom && top - bottom >= length)
            return bottom;
        if (k == m_count || m_vmas[k].end >= high)
            return Errno::NOMEM;
        bottom = m_vmas[k].end > bottom ? m_vmas[k].end : bottom;
    }
}

// get_unmapped_area() for x86-64's top-down layout (arch_get_unmapped_area_topdown).
Result<uint64_t> AddressSpace::find_free(uint64_t length, uint64_t hint, uint32_t flags) const
{
    uint64_t user_end = m_layout.user_end;
    if (length > user_end - m_layout.mmap_min_addr)
        return Errno::NOMEM;
    uint64_t low = m_layout.mmap_min_addr > PAGE_SIZE ? m_layout.mmap_min_addr : PAGE_SIZE;
    bool low_window = flags & LINUX_MAP_32BIT;
    uint64_t window_end = low_window ? MAP_32BIT_HIGH : user_end;

    // round_hint_to_min() then the hint check: used when the gap there is free.
    if (hint != 0) {
        uint64_t address = page_round_down(hint);
        if (address < m_layout.mmap_min_addr)
            address = page_round_up(m_layout.mmap_min_addr);
        const Vma* next = find_next(address);
        if (length <= window_end && address <= window_end - length
            && (next == nullptr || address + length <= start_gap(*next)))
            return address;
    }
    if (low_window)
        return search_bottom_up(length, MAP_32BIT_LOW, MAP_32BIT_HIGH);
    uint64_t base = m_layout.mmap_base < user_end ? m_layout.mmap_base : user_end;
    Result<uint64_t> found = search_top_down(length, low, base);
    if (found)
        return found;
    // The legacy bottom-up fallback from TASK_UNMAPPED_BASE when the top-down space
    // is exhausted (mm/mmap.c, generic_get_unmapped_area_topdown).
    return search_bottom_up(length, page_round_up(user_end / 3), user_end);
}

Result<uint64_t> AddressSpace::mmap(const MapRequest& request, VmaVisitor removed)
{
    uint32_t flags = request.flags;
    uint32_t type = flags & LINUX_MAP_TYPE;
    if (type != LINUX_MAP_SHARED && type != LINUX_MAP_PRIVATE && type != LINUX_MAP_SHARED_VALIDATE)
        return Errno::INVAL;
    if (type == LINUX_MAP_SHARED_VALIDATE && (flags & ~KNOWN_MAP_FLAGS))
        return Errno::OPNOTSUPP;
    if (flags & LINUX_MAP_HUGETLB)
        return Errno::INVAL;
    if (!is_page_aligned(request.offset) || request.length == 0)
        return Errno::INVAL;
    uint64_t length = page_round_up(request.length);
    if (length == 0)
        return Errno::NOMEM;
    bool anonymous = flags & LINUX_MAP_ANONYMOUS;
    bool shared = type != LINUX_MAP_PRIVATE;
    if (!anonymous && request.file == nullptr)
        return Errno::BADF;
    if (!anonymous && request.offset + length < request.offset)
        return Errno::OVERFLOW;
    uint32_t prot = request.prot & PROT_RWX;
    bool no_write = !anonymous && shared && !request.file_writable;
    if (no_write && (prot & LINUX_PROT_WRITE))
        return Errno::ACCES;

    bool fixed = flags & (LINUX_MAP_FIXED | LINUX_MAP_FIXED_NOREPLACE);
    uint64_t address = request.address;
    if (fixed) {
        if (!is_page_aligned(address))
            return Errno::INVAL;
        if (length > m_layout.user_end || address > m_layout.user_end - length)
            return Errno::NOMEM;
        if (address < m_layout.mmap_min_addr)
            return Errno::PERM;
        if ((flags & LINUX_MAP_FIXED_NOREPLACE) && !range_free(address, address + length))
            return Errno::EXIST;
    } else {
        TRY(address, find_free(length, request.address, flags));
    }
    // Exact except for merging, which is not foreseen: carving never needs more slots
    // than it ends with, so only the final count matters.
    size_t freed = fixed ? regions_inside(address, address + length) : 0;
    if (m_count - freed + (fixed ? carve_growth(address, address + length) : 0) + 1 > m_capacity)
        return Errno::NOMEM;

    if (fixed)
        carve(address, address + length, removed);
    Vma vma;
    vma.start = address;
    vma.end = address + length;
    vma.prot = prot;
    vma.flags = (shared ? VmaFlags::Shared : VmaFlags::None)
        | ((flags & LINUX_MAP_GROWSDOWN) ? VmaFlags::GrowsDown : VmaFlags::None)
        | ((flags & LINUX_MAP_NORESERVE) ? VmaFlags::NoReserve : VmaFlags::None)
        | (no_write ? VmaFlags::NoWrite : VmaFlags::None);
    vma.file = anonymous ? nullptr : request.file;
    vma.file_offset = anonymous ? 0 : request.offset;
    vma.name = request.name;
    insert(vma);
    return address;
}

Result<void> AddressSpace::check_unmap_range(uint64_t address, uint64_t length) const
{
    // do_vmi_munmap(): the raw length is checked before rounding.
    if (!is_page_aligned(address) || address > m_layout.user_end || length > m_layout.user_end - address)
        return Errno::INVAL;
    if (page_round_up(length) == 0)
        return Errno::INVAL;
    return {};
}

Result<void> AddressSpace::munmap(uint64_t address, uint64_t length, VmaVisitor removed)
{
    TRY_VOID(check_unmap_range(address, length));
    uint64_t end = address + page_round_up(length);
    if (m_count + carve_growth(address, end) > m_capacity)
        return Errno::NOMEM;
    carve(address, end, removed);
    return {};
}

Result<void> AddressSpace::mprotect(uint64_t address, uint64_t length, uint32_t prot, VmaVisitor changed)
{
    if (!is_page_aligned(address))
        return Errno::INVAL;
    uint32_t grows = prot & (LINUX_PROT_GROWSDOWN | LINUX_PROT_GROWSUP);
    prot &= ~grows;
    if (grows == (LINUX_PROT_GROWSDOWN | LINUX_PROT_GROWSUP) || (prot & ~(PROT_RWX | LINUX_PROT_SEM)))
        return Errno::INVAL;
    prot &= PROT_RWX;
    if (length == 0)
        return {};
    uint64_t end = address + page_round_up(length);
    if (end <= address)
        return Errno::NOMEM;
    if (grows) {
        // PROT_GROWSDOWN extends the change to the start of a grows-down region; x86
        // has no grows-up regions (mm/mprotect.c do_mprotect_pkey).
        const Vma* vma = find(address);
        if (vma == nullptr)
            return Errno::NOMEM;
        if (grows == LINUX_PROT_GROWSUP || !has(vma->flags, VmaFlags::GrowsDown))
            return Errno::INVAL;
        address = vma->start;
    }
    if (!range_mapped(address, end))
        return Errno::NOMEM;
    size_t first = lower_bound(address);
    for (size_t i = first; i < m_count && m_vmas[i].start < end; ++i) {
        if ((prot & LINUX_PROT_WRITE) && has(m_vmas[i].flags, VmaFlags::NoWrite))
            return Errno::ACCES;
    }
    // Like mprotect_fixup(), regions that already have `prot` are not split.
    auto split_wanted = [&](uint64_t at) {
        size_t i = lower_bound(at);
        return i < m_count && m_vmas[i].start < at && m_vmas[i].prot != prot;
    };
    bool split_start = split_wanted(address);
    bool split_end = split_wanted(end);
    if (m_count + split_start + split_end > m_capacity)
        return Errno::NOMEM;
    if (split_start)
        split_at(address);
    if (split_end)
        split_at(end);

    first = lower_bound(address);
    size_t last = first;
    for (size_t i = first; i < m_count && m_vmas[i].start < end; ++i) {
        last = i;
        if (m_vmas[i].prot == prot)
            continue;
        m_vmas[i].prot = prot;
        changed(m_vmas[i]);
    }
    merge_around(first, last);
    return {};
}

Result<void> AddressSpace::madvise(uint64_t address, uint64_t length, uint32_t advice, VmaVisitor discard)
{
    bool drop = false;
    switch (advice) {
    case LINUX_MADV_DONTNEED:
    case LINUX_MADV_FREE:
    case LINUX_MADV_DONTNEED_LOCKED:
        drop = true;
        break;
    case LINUX_MADV_NORMAL:
    case LINUX_MADV_RANDOM:
    case LINUX_MADV_SEQUENTIAL:
    case LINUX_MADV_WILLNEED:
    case LINUX_MADV_DONTFORK:
    case LINUX_MADV_DOFORK:
    case LINUX_MADV_MERGEABLE:
    case LINUX_MADV_UNMERGEABLE:
    case LINUX_MADV_HUGEPAGE:
    case LINUX_MADV_NOHUGEPAGE:
    case LINUX_MADV_DONTDUMP:
    case LINUX_MADV_DODUMP:
    case LINUX_MADV_WIPEONFORK:
    case LINUX_MADV_KEEPONFORK:
    case LINUX_MADV_COLD:
    case LINUX_MADV_PAGEOUT:
    case LINUX_MADV_POPULATE_READ:
    case LINUX_MADV_POPULATE_WRITE:
        break;
    default:
        // Includes MADV_REMOVE, which only shared file mappings support.
        return Errno::INVAL;
    }
    if (!is_page_aligned(address))
        return Errno::INVAL;
    uint64_t rounded = page_round_up(length);
    if (length != 0 && rounded == 0)
        return Errno::INVAL;
    uint64_t end = address + rounded;
    if (end < address)
        return Errno::INVAL;
    if (end == address)
        return {};
    if (drop) {
        for (size_t i = lower_bound(address); i < m_count && m_vmas[i].start < end; ++i)
            discard(clip(m_vmas[i], address, end));
    }
    return range_mapped(address, end) ? Result<void>() : Result<void>(Errno::NOMEM);
}

} // namespace kiln::mm
