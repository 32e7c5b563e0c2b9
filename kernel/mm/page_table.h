#pragma once

// x86-64 4-level page tables (Intel SDM vol. 3, 4.5 "4-level paging"), written through
// a PhysicalMemory window with frames from a FrameSource. Portable: the tables are
// plain memory, so the host tests build and inspect them in a buffer. Loading CR3 and
// flushing the TLB are the caller's job; range operations say what changed so it can
// flush precisely (SDM vol. 3, 4.10.4 "Invalidation of TLBs and paging-structure
// caches").
//
// Leaves are 4 KiB pages for user space; map_large()/map_range() also make 2 MiB and
// 1 GiB leaves for the kernel's own mappings. Intermediate entries in the user half
// are present|writable|user and never no-execute, so the leaf alone decides access
// (SDM 4.6: the effective rights are the AND of all levels).
//
// A leaf mapped without PageFlags::Present keeps its frame while the CPU sees a
// not-present entry (a software bit marks it; SDM 4.5.4: with P=0 the other bits are
// ignored). That is PROT_NONE: the data survives mprotect(PROT_NONE) and comes back
// with the next mprotect, as on Linux (which uses _PAGE_PROTNONE the same way).
//
// Not synchronized: one address space, changed under the caller's mm lock.

#include <stddef.h>
#include <stdint.h>

#include <optional>

#include "lib/result.h"
#include "mm/page.h"

namespace kiln::mm {

// Leaf permission and status bits, at their hardware positions (SDM table 4-20).
enum class PageFlags : uint64_t {
    None = 0,
    Present = 1ULL << 0,
    Writable = 1ULL << 1,
    User = 1ULL << 2,
    WriteThrough = 1ULL << 3,
    CacheDisable = 1ULL << 4,
    Accessed = 1ULL << 5,
    Dirty = 1ULL << 6,
    Global = 1ULL << 8,
    NoExecute = 1ULL << 63,
};
constexpr PageFlags operator|(PageFlags a, PageFlags b)
{
    return static_cast<PageFlags>(static_cast<uint64_t>(a) | static_cast<uint64_t>(b));
}
constexpr PageFlags operator&(PageFlags a, PageFlags b)
{
    return static_cast<PageFlags>(static_cast<uint64_t>(a) & static_cast<uint64_t>(b));
}
constexpr PageFlags operator~(PageFlags a) { return static_cast<PageFlags>(~static_cast<uint64_t>(a)); }
constexpr bool has(PageFlags flags, PageFlags bit) { return (flags & bit) != PageFlags::None; }

constexpr uint64_t LARGE_PAGE_SIZE = 2 * 1024 * 1024;
constexpr uint64_t HUGE_PAGE_SIZE = 1024 * 1024 * 1024;
// The top of the canonical lower half for 48-bit addresses (SDM 3.3.7.1).
constexpr uint64_t USER_HALF_END = 1ULL << 47;

constexpr bool is_canonical(uint64_t address)
{
    return static_cast<uint64_t>(static_cast<int64_t>(address << 16) >> 16) == address;
}

struct Translation {
    uint64_t physical = 0; // the physical address of the translated byte
    uint64_t frame = 0; // the physical base of the page holding it
    uint64_t page_size = 0; // PAGE_SIZE, LARGE_PAGE_SIZE or HUGE_PAGE_SIZE
    PageFlags flags = PageFlags::None; // Present is absent for a PROT_NONE frame
};

// What a range operation changed, for TLB maintenance.
struct RangeChange {
    uint64_t entries = 0; // present leaves changed or removed
    uint64_t first = 0; // lowest and highest virtual address of those leaves
    uint64_t last = 0; // (inclusive); meaningless when entries is 0
    uint64_t tables_freed = 0;
    bool global = false; // a Global leaf changed: reloading CR3 does not flush it

    // Freed tables must leave the paging-structure caches before their frames are
    // reused (SDM 4.10.4.1: INVLPG or a CR3 load invalidates those caches).
    bool flush_needed() const { return entries != 0 || tables_freed != 0; }
};

// Called for every leaf removed by unmap_range()/destroy(), with the address it mapped
// and what it held, so the caller can release the frame. Must not touch the table.
struct UnmapVisitor {
    void* context = nullptr;
    void (*visit)(void* context, uint64_t virtual_address, const Translation& old) = nullptr;
};

// Lets protect_range() adjust the flags per leaf (e.g. keep a private file page
// read-only until it is copied). Returns the flags to store.
struct ProtectFilter {
    void* context = nullptr;
    PageFlags (*adjust)(void* context, uint64_t virtual_address, const Translation& old, PageFlags wanted) = nullptr;
};

enum class LargePages { No, Allow2M, Allow2MAnd1G };

class PageTable {
public:
    PageTable() = default;

    // A new, empty hierarchy (one zeroed PML4). `no_execute` says whether EFER.NXE is
    // on; without it bit 63 is reserved (SDM 4.5.4) and NoExecute is dropped.
    static Result<PageTable> try_create(PhysicalMemory memory, FrameSource frames, bool no_execute = true);
    // Takes over an existing hierarchy rooted at `root` (e.g. to copy kernel entries).
    static PageTable adopt(uint64_t root, PhysicalMemory memory, FrameSource frames, bool no_execute = true);

    // Physical address of the PML4, for CR3.
    uint64_t root() const { return m_root; }

    // Maps one 4 KiB page. INVAL: unaligned or non-canonical address, a frame beyond
    // 52 bits, User in the kernel half. EXIST: something is mapped there already
    // (including a large page). NOMEM: no frame for a table (tables made on the way
    // stay, empty; unmap_range() frees them).
    Result<void> map(uint64_t virtual_address, uint64_t physical, PageFlags flags);
    // One 2 MiB or 1 GiB leaf (the CPU must support 1 GiB pages, CPUID 80000001h EDX.26).
    Result<void> map_large(uint64_t virtual_address, uint64_t physical, uint64_t page_size, PageFlags flags);
    // [virtual_address, +length) to [physical, +length) with the largest leaves that
    // alignment and `large` allow. Stops at the first error; what is mapped stays.
    Result<void> map_range(
        uint64_t virtual_address, uint64_t physical, uint64_t length, PageFlags flags, LargePages large);

    std::optional<Translation> translate(uint64_t virtual_address) const;

    // Removes the 4 KiB leaf at `virtual_address` and returns what it held; nothing
    // for an unmapped address or one inside a large page. Frees tables left empty.
    // The caller flushes that address.
    std::optional<Translation> unmap(uint64_t virtual_address);

    // Removes every leaf in [virtual_address, +length), calling `visitor` for each,
    // and frees tables left empty (top-level tables of the kernel half stay so that
    // kernel mappings remain shared). Absent tables are skipped whole, so a mostly
    // empty range of many GiB costs little. A large leaf partly inside the range is
    // split first (NOMEM if that needs a frame that is not there; leaves removed
    // before that were reported and the caller must flush everything).
    // INVAL: unaligned, empty, overflowing, non-canonical or crossing the halves.
    Result<RangeChange> unmap_range(uint64_t virtual_address, uint64_t length, UnmapVisitor visitor = {});

    // Sets the permission bits (Present, Writable, User, WriteThrough, CacheDisable,
    // Global, NoExecute) of every leaf in the range to `flags`, keeping its frame and
    // Accessed/Dirty. Leaves without Present keep their frame as PROT_NONE. Errors as
    // unmap_range().
    Result<RangeChange> protect_range(
        uint64_t virtual_address, uint64_t length, PageFlags flags, ProtectFilter filter = {});

    // Moves the 4 KiB leaves of [from, +length) to [to, +length), for mremap(2). The
    // ranges must not overlap. NOMEM stops part way with every leaf either moved or
    // still in place, never lost; flush the source range in any case.
    Result<RangeChange> move_range(uint64_t from, uint64_t to, uint64_t length);

    // Removes every leaf (visitor called), frees every table and the PML4.
    void destroy(UnmapVisitor visitor = {});

private:
    enum class Operation { Unmap, Protect, Move, Destroy };
    struct Walk;

    Result<uint64_t*> leaf_slot(uint64_t virtual_address, int leaf_level);
    Result<void> walk(Walk& walk, int level, uint64_t table, uint64_t first, uint64_t last);
    Result<void> visit_leaf(Walk& walk, int level, uint64_t& slot, uint64_t address);
    Result<RangeChange> run(Walk& walk, uint64_t virtual_address, uint64_t length);
    Result<uint64_t> split(uint64_t entry, int level);
    Result<uint64_t> new_table();
    uint64_t leaf_bits(PageFlags flags) const;

    PhysicalMemory m_memory;
    FrameSource m_frames;
    uint64_t m_root = 0;
    uint64_t m_no_execute_mask = 0;
};

} // namespace kiln::mm
