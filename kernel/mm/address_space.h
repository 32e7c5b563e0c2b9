#pragma once

// The user address space as a sorted set of non-overlapping VMAs, with the Linux
// semantics of mmap(2), munmap(2), mprotect(2), mremap(2), madvise(2) and brk(2)
// (mm/mmap.c, mm/mprotect.c, mm/mremap.c, mm/madvise.c, arch/x86/kernel/sys_x86_64.c).
// Portable bookkeeping only: page tables and frames are the caller's, told about
// through VmaVisitor callbacks and RemapResult.
//
// Storage is a caller-supplied array kept sorted by address, searched by binary
// search; inserting or removing moves the tail (a few hundred entries for V8 + glibc).
// Adjacent compatible regions merge (same prot, flags, name and file, contiguous file
// offsets), as Linux's vma_merge does, so V8's many mprotect calls keep the count low.
// When the array is full, operations that would need more entries fail with ENOMEM
// before changing anything (Linux: vm.max_map_count).
//
// Pointers and spans returned stay valid only until the next change.
// Not synchronized: callers hold the mm lock.

#include <stddef.h>
#include <stdint.h>

#include <span>

#include "lib/result.h"
#include "mm/page.h"
#include "mm/vma.h"

namespace kiln::mm {

struct AddressSpaceLayout {
    // Top-down placement starts below this (Linux: mmap_base, below the stack and
    // its gap).
    uint64_t mmap_base = 0x7ff000000000;
    // TASK_SIZE for 47-bit user addresses: the last page below 2^47 stays unmapped
    // (arch/x86/include/asm/page_64_types.h, TASK_SIZE_MAX).
    uint64_t user_end = 0x7ffffffff000;
    // vm.mmap_min_addr: no mapping below it; MAP_FIXED there is EPERM.
    uint64_t mmap_min_addr = 0x10000;
};

// Called with a copy of each affected piece (clipped to the operation's range) before
// the set changes. munmap/MAP_FIXED/brk/mremap: the piece goes away, drop its pages.
// mprotect: the piece now has `prot`, update its page table entries. madvise
// (DONTNEED/FREE): drop the piece's private pages. Must not change the AddressSpace.
struct VmaVisitor {
    void* context = nullptr;
    void (*visit)(void* context, const Vma& piece) = nullptr;

    void operator()(const Vma& piece) const
    {
        if (visit)
            visit(context, piece);
    }
};

struct MapRequest {
    uint64_t address = 0; // hint, or the address for MAP_FIXED[_NOREPLACE]
    uint64_t length = 0;
    uint32_t prot = LINUX_PROT_NONE;
    uint32_t flags = LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS; // LINUX_MAP_*
    const void* file = nullptr; // ignored with MAP_ANONYMOUS
    uint64_t offset = 0;
    bool file_writable = false; // the file was opened for writing (MAP_SHARED + PROT_WRITE)
    const char* name = nullptr; // e.g. "[stack]" for the initial stack, "[vdso]"
};

struct RemapResult {
    uint64_t address = 0; // mremap's return value
    bool moved = false; // the caller moves [old_address, +moved_length) to address
    uint64_t old_address = 0;
    uint64_t moved_length = 0;
};

// For /proc/self/maps: what the caller knows about a file identity.
struct FileDescription {
    uint32_t major = 0;
    uint32_t minor = 0;
    uint64_t inode = 0;
    const char* path = "";
};
struct FileDescriber {
    void* context = nullptr;
    FileDescription (*describe)(void* context, const void* file) = nullptr;
};

class AddressSpace {
public:
    // Linux's stack_guard_gap: 256 pages kept free below a grows-down region.
    static constexpr uint64_t STACK_GUARD_GAP = 256 * PAGE_SIZE;
    // Where the space a region claims begins: its start, less the guard gap for a
    // grows-down region (Linux's vm_start_gap).
    static uint64_t start_gap(const Vma& vma);

    // Cannot fail; `storage` bounds the number of regions.
    AddressSpace(std::span<Vma> storage, AddressSpaceLayout layout = {});
    // One owner of the storage: copies would diverge over the same array.
    AddressSpace(const AddressSpace&) = delete;
    AddressSpace& operator=(const AddressSpace&) = delete;

    const AddressSpaceLayout& layout() const { return m_layout; }
    std::span<const Vma> regions() const { return { m_vmas, m_count }; }
    size_t count() const { return m_count; }
    size_t capacity() const { return m_capacity; }

    // The region containing `address`, or nullptr.
    const Vma* find(uint64_t address) const;
    // The first region that ends above `address`, or nullptr (Linux's find_vma).
    const Vma* find_next(uint64_t address) const;

    // mmap(2). Returns the address. EINVAL: length 0, unaligned offset or MAP_FIXED
    // address, no/unknown map type, MAP_HUGETLB. ENOMEM: no room, length overflow,
    // too many regions. EOVERFLOW: offset + length wraps. EEXIST: MAP_FIXED_NOREPLACE
    // over a mapping. EPERM: MAP_FIXED below mmap_min_addr. EACCES: shared writable
    // mapping of a read-only file. EOPNOTSUPP: unknown flag with MAP_SHARED_VALIDATE.
    Result<uint64_t> mmap(const MapRequest& request, VmaVisitor removed = {});

    // munmap(2): EINVAL for an unaligned address, length 0 or a range beyond
    // user_end. Unmapping nothing is fine.
    Result<void> munmap(uint64_t address, uint64_t length, VmaVisitor removed = {});

    // mprotect(2): length 0 succeeds; ENOMEM if any page of the range is unmapped (no
    // change is made, where Linux may have changed a prefix), EINVAL for an unaligned
    // address or unknown prot bits, EACCES for PROT_WRITE on a NoWrite region.
    Result<void> mprotect(uint64_t address, uint64_t length, uint32_t prot, VmaVisitor changed = {});

    // mremap(2) without MREMAP_DONTUNMAP (EINVAL) and without old_size 0 (EINVAL; Linux
    // duplicates shared mappings). EFAULT when the old range is not inside one region.
    Result<RemapResult> mremap(uint64_t old_address, uint64_t old_size, uint64_t new_size, uint32_t flags,
        uint64_t new_address, VmaVisitor removed = {});

    // madvise(2): DONTNEED, FREE and DONTNEED_LOCKED visit the mapped pieces (the
    // caller drops private pages; a Shared anonymous piece keeps its data on Linux).
    // Other known advice is accepted and ignored; unknown advice is EINVAL. ENOMEM if
    // part of the range is unmapped (after visiting the mapped parts, as Linux).
    Result<void> madvise(uint64_t address, uint64_t length, uint32_t advice, VmaVisitor discard = {});

    // The program break. set_brk_base() is called once the ELF is loaded (Linux:
    // start_brk = brk = end of the bss, page aligned). brk() returns the new break,
    // or the old one when the request is refused (below the base, colliding with a
    // mapping or the guard page above the heap, out of regions) - brk(2) semantics.
    void set_brk_base(uint64_t address);
    uint64_t brk(uint64_t requested, VmaVisitor removed = {});
    uint64_t brk_base() const { return m_brk_base; }
    uint64_t current_brk() const { return m_brk; }

    // For the page-fault handler: a fault at `address` just below a GrowsDown region
    // extends it down to the page (Linux's expand_stack), if the region would not
    // exceed `stack_limit` bytes (RLIMIT_STACK) and the guard gap above the previous
    // region stays free. FAULT: no grows-down region above; NOMEM: limit or gap.
    Result<const Vma*> expand_stack(uint64_t address, uint64_t stack_limit);

    // /proc/self/maps into buffer (fs/proc/task_mmu.c show_map_vma): like snprintf,
    // writes at most size-1 bytes plus a NUL and returns the full length.
    size_t format_maps(char* buffer, size_t size, FileDescriber files = {}) const;

private:
    size_t lower_bound(uint64_t address) const; // first index with end > address
    bool split_needed(uint64_t address) const; // address strictly inside a region
    Result<uint64_t> find_free(uint64_t length, uint64_t hint, uint32_t flags) const;
    Result<uint64_t> search_top_down(uint64_t length, uint64_t low, uint64_t high) const;
    Result<uint64_t> search_bottom_up(uint64_t length, uint64_t low, uint64_t high) const;
    bool range_free(uint64_t start, uint64_t end) const;
    bool range_mapped(uint64_t start, uint64_t end) const;
    size_t carve_growth(uint64_t start, uint64_t end) const;
    size_t regions_inside(uint64_t start, uint64_t end) const;
    void carve(uint64_t start, uint64_t end, VmaVisitor removed);
    void split_at(uint64_t address);
    void insert(const Vma& vma);
    void erase(size_t first, size_t count);
    void merge_around(size_t first, size_t last);
    Result<void> check_unmap_range(uint64_t address, uint64_t length) const;
    Result<RemapResult> move_region(uint64_t old_address, uint64_t old_length, uint64_t target, uint64_t new_length);

    Vma* m_vmas = nullptr;
    size_t m_count = 0;
    size_t m_capacity = 0;
    AddressSpaceLayout m_layout;
    uint64_t m_brk_base = 0;
    uint64_t m_brk = 0;
};

// One /proc/self/maps line (with its newline) for `vma`; returns the full length.
size_t format_maps_line(const Vma& vma, char* buffer, size_t size, FileDescriber files = {});

} // namespace kiln::mm
