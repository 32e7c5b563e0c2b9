// The AddressSpace operations that grow or move regions: brk(2), mremap(2) and stack
// expansion on a page fault.

#include "mm/address_space.h"

namespace kiln::mm {

namespace {

constexpr char HEAP_NAME[] = "[heap]";

} // namespace

void AddressSpace::set_brk_base(uint64_t address)
{
    m_brk_base = address;
    m_brk = address;
}

// mm/mmap.c SYSCALL_DEFINE1(brk): shrinking always works; growing needs the pages up
// to the new break plus one guard page free of other mappings (and of a stack's
// guard gap).
uint64_t AddressSpace::brk(uint64_t requested, VmaVisitor removed)
{
    if (requested < m_brk_base || requested > m_layout.user_end)
        return m_brk;
    uint64_t new_top = page_round_up(requested);
    uint64_t old_top = page_round_up(m_brk);
    if (new_top == old_top) {
        m_brk = requested;
        return m_brk;
    }
    if (requested <= m_brk) {
        if (m_count + carve_growth(new_top, old_top) > m_capacity)
            return m_brk;
        carve(new_top, old_top, removed);
        m_brk = requested;
        return m_brk;
    }
    const Vma* next = find_next(old_top);
    if (next != nullptr && (new_top + PAGE_SIZE > start_gap(*next)))
        return m_brk;
    if (m_count + 1 > m_capacity)
        return m_brk;
    Vma heap;
    heap.start = old_top;
    heap.end = new_top;
    heap.prot = LINUX_PROT_READ | LINUX_PROT_WRITE;
    heap.name = HEAP_NAME;
    insert(heap);
    m_brk = requested;
    return m_brk;
}

// Moves [old_address, +old_length) (inside one region) to a free range at `target`
// of new_length bytes; the caller moves the page table entries.
Result<RemapResult> AddressSpace::move_region(
    uint64_t old_address, uint64_t old_length, uint64_t target, uint64_t new_length)
{
    const Vma* source = find(old_address);
    if (m_count + 1 + carve_growth(old_address, old_address + old_length) > m_capacity)
        return Errno::NOMEM;
    Vma moved = *source;
    if (moved.file)
        moved.file_offset += old_address - source->start;
    moved.start = target;
    moved.end = target + new_length;
    carve(old_address, old_address + old_length, {});
    insert(moved);
    RemapResult result;
    result.address = target;
    result.moved = true;
    result.old_address = old_address;
    result.moved_length = old_length;
    return result;
}

// mm/mremap.c SYSCALL_DEFINE5(mremap), vma_to_resize(), mremap_to().
Result<RemapResult> AddressSpace::mremap(uint64_t old_address, uint64_t old_size, uint64_t new_size, uint32_t flags,
    uint64_t new_address, VmaVisitor removed)
{
    if (flags & ~(LINUX_MREMAP_MAYMOVE | LINUX_MREMAP_FIXED | LINUX_MREMAP_DONTUNMAP))
        return Errno::INVAL;
    if ((flags & LINUX_MREMAP_FIXED) && !(flags & LINUX_MREMAP_MAYMOVE))
        return Errno::INVAL;
    if (flags & LINUX_MREMAP_DONTUNMAP)
        return Errno::INVAL;
    if (!is_page_aligned(old_address))
        return Errno::INVAL;
    uint64_t old_length = page_round_up(old_size);
    uint64_t new_length = page_round_up(new_size);
    if (new_length == 0 || old_length == 0)
        return Errno::INVAL;
    RemapResult unchanged;
    unchanged.address = old_address;

    if (flags & LINUX_MREMAP_FIXED) {
        if (!is_page_aligned(new_address) || new_length > m_layout.user_end
            || new_address > m_layout.user_end - new_length)
            return Errno::INVAL;
        if (old_address + old_length > new_address && new_address + new_length > old_address)
            return Errno::INVAL;
        // Linux unmaps the destination before it looks at the source; we check the
        // source first so a failing call changes nothing.
        uint64_t kept = old_length < new_length ? old_length : new_length;
        const Vma* source = find(old_address);
        if (source == nullptr || kept > source->end - old_address)
            return Errno::FAULT;
        // Destination carve, tail carve, split of the source and the new region.
        if (m_count + 3 > m_capacity)
            return Errno::NOMEM;
        carve(new_address, new_address + new_length, removed);
        if (old_length > new_length)
            carve(old_address + new_length, old_address + old_length, removed);
        return move_region(old_address, kept, new_address, new_length);
    }

    if (old_length >= new_length) {
        if (old_length > new_length)
            TRY_VOID(munmap(old_address + new_length, old_length - new_length, removed));
        return unchanged;
    }

    size_t index = lower_bound(old_address);
    if (index == m_count || m_vmas[index].start > old_address || old_length > m_vmas[index].end - old_address)
        return Errno::FAULT;
    Vma& vma = m_vmas[index];
    uint64_t new_end = old_address + new_length;
    // vma_expandable(): the old range ends the region and the space after it is free.
    if (old_address + old_length == vma.end && new_end > old_address && new_end <= m_layout.user_end
        && range_free(vma.end, new_end)) {
        vma.end = new_end;
        merge_around(index, index);
        return unchanged;
    }
    if (!(flags & LINUX_MREMAP_MAYMOVE))
        return Errno::NOMEM;
    TRY(uint64_t target, find_free(new_length, 0, 0));
    return move_region(old_address, old_length, target, new_length);
}

// mm/mmap.c expand_downwards(), as reached from the x86 page-fault handler.
Result<const Vma*> AddressSpace::expand_stack(uint64_t address, uint64_t stack_limit)
{
    size_t index = lower_bound(address);
    if (index == m_count)
        return Errno::FAULT;
    Vma& stack = m_vmas[index];
    if (stack.start <= address)
        return &stack;
    if (!has(stack.flags, VmaFlags::GrowsDown))
        return Errno::FAULT;
    uint64_t start = page_round_down(address);
    if (start < m_layout.mmap_min_addr || stack.end - start > stack_limit)
        return Errno::NOMEM;
    if (index > 0) {
        const Vma& previous = m_vmas[index - 1];
        if (!has(previous.flags, VmaFlags::GrowsDown) && previous.prot != LINUX_PROT_NONE
            && start - previous.end < STACK_GUARD_GAP)
            return Errno::NOMEM;
    }
    stack.start = start;
    return &stack;
}

} // namespace kiln::mm
