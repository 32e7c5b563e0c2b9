#include "mm/page_table.h"

namespace kiln::mm {

namespace {

// Entry bits (Intel SDM vol. 3, tables 4-15 to 4-20).
constexpr uint64_t PTE_PRESENT = 1ULL << 0;
constexpr uint64_t PTE_WRITABLE = 1ULL << 1;
constexpr uint64_t PTE_USER = 1ULL << 2;
constexpr uint64_t PTE_LARGE = 1ULL << 7; // PS in a PDPTE or PDE: the entry is a leaf
constexpr uint64_t PTE_PAT_SMALL = 1ULL << 7; // PAT in a 4 KiB PTE
constexpr uint64_t PTE_PAT_LARGE = 1ULL << 12; // PAT in a 2 MiB or 1 GiB leaf
// Bit 9 is ignored by the CPU in every entry (SDM tables 4-15 to 4-20); we use it to
// mark a not-present leaf that still owns its frame (PROT_NONE).
constexpr uint64_t PTE_HELD = 1ULL << 9;
constexpr uint64_t PTE_ADDRESS = 0x000ffffffffff000ULL;
constexpr uint64_t PTE_NO_EXECUTE = 1ULL << 63;

constexpr uint64_t FLAG_BITS
    = static_cast<uint64_t>(PageFlags::Present | PageFlags::Writable | PageFlags::User | PageFlags::WriteThrough
        | PageFlags::CacheDisable | PageFlags::Accessed | PageFlags::Dirty | PageFlags::Global | PageFlags::NoExecute);
constexpr uint64_t STATUS_BITS = static_cast<uint64_t>(PageFlags::Accessed | PageFlags::Dirty);
// What protect_range() replaces; the frame, PS, PAT and Accessed/Dirty stay.
constexpr uint64_t PERMISSION_BITS = (FLAG_BITS & ~STATUS_BITS) | PTE_HELD;
constexpr uint64_t KERNEL_HALF_START = 0xffff800000000000ULL;

constexpr int shift_of(int level) { return 12 + 9 * (level - 1); }
constexpr uint64_t span_of(int level) { return 1ULL << shift_of(level); }
constexpr size_t index_of(uint64_t address, int level) { return (address >> shift_of(level)) & 511; }
// Frame address bits of a leaf at `level`: 4 KiB, 2 MiB or 1 GiB aligned.
constexpr uint64_t frame_mask(int level) { return PTE_ADDRESS & ~(span_of(level) - 1); }

bool occupied(uint64_t entry) { return (entry & (PTE_PRESENT | PTE_HELD)) != 0; }
bool is_leaf(uint64_t entry, int level) { return level == 1 || (entry & PTE_LARGE) != 0; }
bool is_user(uint64_t address) { return address < USER_HALF_END; }

// Upper-level entries grant everything; the leaf restricts (SDM 4.6.1).
uint64_t table_entry(uint64_t table, uint64_t address)
{
    return table | PTE_PRESENT | PTE_WRITABLE | (is_user(address) ? PTE_USER : 0);
}

Translation translation_of(uint64_t entry, int level, uint64_t address)
{
    Translation t;
    t.page_size = span_of(level);
    t.frame = entry & frame_mask(level);
    t.physical = t.frame + (address & (t.page_size - 1));
    t.flags = static_cast<PageFlags>(entry & FLAG_BITS);
    return t;
}

bool table_empty(const uint64_t* entries)
{
    for (size_t i = 0; i < 512; ++i) {
        if (entries[i] != 0)
            return false;
    }
    return true;
}

} // namespace

struct PageTable::Walk {
    Operation operation = Operation::Unmap;
    UnmapVisitor visitor;
    ProtectFilter filter;
    PageFlags flags = PageFlags::None;
    uint64_t move_delta = 0;
    RangeChange change;

    void record(uint64_t address, int level, uint64_t old_entry, uint64_t new_entry)
    {
        if (!(old_entry & PTE_PRESENT))
            return; // the TLB caches only present entries (SDM 4.10.2.3)
        uint64_t last = address + span_of(level) - 1;
        if (change.entries == 0 || address < change.first)
            change.first = address;
        if (change.entries == 0 || last > change.last)
            change.last = last;
        ++change.entries;
        if ((old_entry | new_entry) & static_cast<uint64_t>(PageFlags::Global))
            change.global = true;
    }
};

Result<PageTable> PageTable::try_create(PhysicalMemory memory, FrameSource frames, bool no_execute)
{
    PageTable table = adopt(0, memory, frames, no_execute);
    TRY(table.m_root, table.new_table());
    return table;
}

PageTable PageTable::adopt(uint64_t root, PhysicalMemory memory, FrameSource frames, bool no_execute)
{
    PageTable table;
    table.m_memory = memory;
    table.m_frames = frames;
    table.m_root = root;
    table.m_no_execute_mask = no_execute ? PTE_NO_EXECUTE : 0;
    return table;
}

Result<uint64_t> PageTable::new_table()
{
    TRY(uint64_t frame, m_frames.allocate_frames(1));
    __builtin_memset(m_memory.pointer(frame), 0, PAGE_SIZE);
    return frame;
}

uint64_t PageTable::leaf_bits(PageFlags flags) const
{
    uint64_t bits = static_cast<uint64_t>(flags) & FLAG_BITS & (~PTE_NO_EXECUTE | m_no_execute_mask);
    if (!(bits & PTE_PRESENT))
        bits |= PTE_HELD;
    return bits;
}

// The entry that maps `virtual_address` at `leaf_level`, making tables above it.
Result<uint64_t*> PageTable::leaf_slot(uint64_t virtual_address, int leaf_level)
{
    uint64_t table = m_root;
    for (int level = 4; level > leaf_level; --level) {
        uint64_t* entry = m_memory.pointer<uint64_t>(table) + index_of(virtual_address, level);
        if (!occupied(*entry)) {
            TRY(uint64_t child, new_table());
            *entry = table_entry(child, virtual_address);
        } else if (is_leaf(*entry, level)) {
            return Errno::EXIST;
        }
        table = *entry & PTE_ADDRESS;
    }
    return m_memory.pointer<uint64_t>(table) + index_of(virtual_address, leaf_level);
}

static bool valid_leaf(uint64_t virtual_address, uint64_t physical, uint64_t size, PageFlags flags)
{
    if ((virtual_address | physical) & (size - 1))
        return false;
    if (!is_canonical(virtual_address) || !is_canonical(virtual_address + size - 1))
        return false;
    if (physical & ~PTE_ADDRESS)
        return false;
    return is_user(virtual_address) || !has(flags, PageFlags::User);
}

Result<void> PageTable::map(uint64_t virtual_address, uint64_t physical, PageFlags flags)
{
    if (!valid_leaf(virtual_address, physical, PAGE_SIZE, flags))
        return Errno::INVAL;
    TRY(uint64_t * slot, leaf_slot(virtual_address, 1));
    if (occupied(*slot))
        return Errno::EXIST;
    *slot = physical | leaf_bits(flags);
    return {};
}

Result<void> PageTable::map_large(uint64_t virtual_address, uint64_t physical, uint64_t page_size, PageFlags flags)
{
    int level = page_size == LARGE_PAGE_SIZE ? 2 : page_size == HUGE_PAGE_SIZE ? 3 : 0;
    if (level == 0 || !valid_leaf(virtual_address, physical, page_size, flags))
        return Errno::INVAL;
    TRY(uint64_t * slot, leaf_slot(virtual_address, level));
    if (occupied(*slot))
        return Errno::EXIST;
    *slot = physical | leaf_bits(flags) | PTE_LARGE;
    return {};
}

Result<void> PageTable::map_range(
    uint64_t virtual_address, uint64_t physical, uint64_t length, PageFlags flags, LargePages large)
{
    if (length == 0 || !is_page_aligned(length) || virtual_address + length - 1 < virtual_address)
        return Errno::INVAL;
    uint64_t done = 0;
    while (done < length) {
        uint64_t v = virtual_address + done;
        uint64_t p = physical + done;
        uint64_t left = length - done;
        auto fits = [&](uint64_t size) { return ((v | p) & (size - 1)) == 0 && left >= size; };
        uint64_t size = PAGE_SIZE;
        if (large == LargePages::Allow2MAnd1G && fits(HUGE_PAGE_SIZE))
            size = HUGE_PAGE_SIZE;
        else if (large != LargePages::No && fits(LARGE_PAGE_SIZE))
            size = LARGE_PAGE_SIZE;
        if (size == PAGE_SIZE)
            TRY_VOID(map(v, p, flags));
        else
            TRY_VOID(map_large(v, p, size, flags));
        done += size;
    }
    return {};
}

std::optional<Translation> PageTable::translate(uint64_t virtual_address) const
{
    if (!is_canonical(virtual_address) || m_root == 0)
        return std::nullopt;
    uint64_t table = m_root;
    for (int level = 4; level >= 1; --level) {
        uint64_t entry = m_memory.pointer<uint64_t>(table)[index_of(virtual_address, level)];
        if (!occupied(entry))
            return std::nullopt;
        if (is_leaf(entry, level))
            return translation_of(entry, level, virtual_address);
        table = entry & PTE_ADDRESS;
    }
    return std::nullopt;
}

// Replaces a large leaf by a table of 512 leaves one level down that map the same
// frames with the same attributes, so part of it can change.
Result<uint64_t> PageTable::split(uint64_t entry, int level)
{
    TRY(uint64_t table, new_table());
    uint64_t* entries = m_memory.pointer<uint64_t>(table);
    uint64_t frame = entry & frame_mask(level);
    uint64_t attributes = entry & ~frame_mask(level);
    uint64_t child_span = span_of(level - 1);
    if (level == 2) {
        // 4 KiB PTEs have no PS bit and keep PAT in bit 7 (SDM table 4-20).
        uint64_t pat = attributes & PTE_PAT_LARGE;
        attributes &= ~(PTE_LARGE | PTE_PAT_LARGE);
        if (pat)
            attributes |= PTE_PAT_SMALL;
    }
    for (size_t i = 0; i < 512; ++i)
        entries[i] = (frame + i * child_span) | attributes;
    return table;
}

Result<void> PageTable::walk(Walk& w, int level, uint64_t table, uint64_t first, uint64_t last)
{
    uint64_t* entries = m_memory.pointer<uint64_t>(table);
    uint64_t span = span_of(level);
    size_t end_index = index_of(last, level);
    uint64_t base = first & ~(span - 1);
    for (size_t i = index_of(first, level);; ++i, base += span) {
        uint64_t entry = entries[i];
        uint64_t lo = first > base ? first : base;
        uint64_t hi = last < base + (span - 1) ? last : base + (span - 1);
        if (occupied(entry) && is_leaf(entry, level) && (lo != base || hi != base + (span - 1))) {
            if (w.operation == Operation::Move)
                return Errno::INVAL;
            TRY(uint64_t child, split(entry, level));
            entry = table_entry(child, base);
            entries[i] = entry;
        }
        if (!occupied(entry)) {
            // Nothing below: skip the entry's whole span (up to 512 GiB at the top).
        } else if (is_leaf(entry, level)) {
            TRY_VOID(visit_leaf(w, level, entries[i], base));
        } else {
            uint64_t child = entry & PTE_ADDRESS;
            TRY_VOID(walk(w, level - 1, child, lo, hi));
            bool shared_kernel_table = level == 4 && !is_user(base) && w.operation != Operation::Destroy;
            if (w.operation != Operation::Protect && !shared_kernel_table
                && table_empty(m_memory.pointer<uint64_t>(child))) {
                entries[i] = 0;
                m_frames.release_frames(child, 1);
                ++w.change.tables_freed;
            }
        }
        if (i == end_index)
            return {};
    }
}

Result<void> PageTable::visit_leaf(Walk& w, int level, uint64_t& slot, uint64_t address)
{
    uint64_t entry = slot;
    switch (w.operation) {
    case Operation::Unmap:
    case Operation::Destroy:
        if (w.visitor.visit)
            w.visitor.visit(w.visitor.context, address, translation_of(entry, level, address));
        slot = 0;
        w.record(address, level, entry, 0);
        return {};
    case Operation::Protect: {
        PageFlags wanted = w.flags;
        if (w.filter.adjust)
            wanted = w.filter.adjust(w.filter.context, address, translation_of(entry, level, address), wanted);
        uint64_t updated = (entry & ~PERMISSION_BITS) | (leaf_bits(wanted) & PERMISSION_BITS);
        if (updated != entry) {
            slot = updated;
            w.record(address, level, entry, updated);
        }
        return {};
    }
    case Operation::Move: {
        if (level != 1)
            return Errno::INVAL;
        TRY(uint64_t * target, leaf_slot(address + w.move_delta, 1));
        if (occupied(*target))
            return Errno::EXIST;
        *target = entry;
        slot = 0;
        w.record(address, level, entry, 0);
        return {};
    }
    }
    return {};
}

Result<RangeChange> PageTable::run(Walk& w, uint64_t virtual_address, uint64_t length)
{
    if (length == 0 || !is_page_aligned(virtual_address) || !is_page_aligned(length))
        return Errno::INVAL;
    uint64_t last = virtual_address + (length - 1);
    if (last < virtual_address || !is_canonical(virtual_address) || !is_canonical(last)
        || is_user(virtual_address) != is_user(last) || m_root == 0)
        return Errno::INVAL;
    TRY_VOID(walk(w, 4, m_root, virtual_address, last));
    return w.change;
}

std::optional<Translation> PageTable::unmap(uint64_t virtual_address)
{
    std::optional<Translation> old = translate(virtual_address);
    if (!old || old->page_size != PAGE_SIZE)
        return std::nullopt;
    Walk w;
    w.operation = Operation::Unmap;
    // Cannot fail: a 4 KiB leaf never needs a split.
    (void)run(w, page_round_down(virtual_address), PAGE_SIZE);
    return old;
}

Result<RangeChange> PageTable::unmap_range(uint64_t virtual_address, uint64_t length, UnmapVisitor visitor)
{
    Walk w;
    w.operation = Operation::Unmap;
    w.visitor = visitor;
    return run(w, virtual_address, length);
}

Result<RangeChange> PageTable::protect_range(
    uint64_t virtual_address, uint64_t length, PageFlags flags, ProtectFilter filter)
{
    Walk w;
    w.operation = Operation::Protect;
    w.flags = flags;
    w.filter = filter;
    return run(w, virtual_address, length);
}

Result<RangeChange> PageTable::move_range(uint64_t from, uint64_t to, uint64_t length)
{
    if (!is_page_aligned(to) || to + length - 1 < to || !is_canonical(to) || !is_canonical(to + length - 1)
        || is_user(to) != is_user(from))
        return Errno::INVAL;
    if (from < to + length && to < from + length)
        return Errno::INVAL;
    Walk w;
    w.operation = Operation::Move;
    w.move_delta = to - from;
    return run(w, from, length);
}

void PageTable::destroy(UnmapVisitor visitor)
{
    if (m_root == 0)
        return;
    Walk w;
    w.operation = Operation::Destroy;
    w.visitor = visitor;
    // Cannot fail: whole top-level entries are removed, nothing is split.
    (void)walk(w, 4, m_root, 0, USER_HALF_END - 1);
    (void)walk(w, 4, m_root, KERNEL_HALF_START, ~0ULL);
    m_frames.release_frames(m_root, 1);
    m_root = 0;
}

} // namespace kiln::mm
