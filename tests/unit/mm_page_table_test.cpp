#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include "mm/kernel_mappings.h"
#include "mm/page_table.h"
#include "mm/physical_allocator.h"

using namespace kiln;
using namespace kiln::mm;

namespace {

constexpr uint64_t MiB = 1024 * 1024;
constexpr uint64_t GiB = 1024 * MiB;
constexpr PageFlags USER_RW = PageFlags::Present | PageFlags::Writable | PageFlags::User | PageFlags::NoExecute;
constexpr PageFlags KERNEL_RW = PageFlags::Present | PageFlags::Writable | PageFlags::NoExecute | PageFlags::Global;
constexpr uint64_t KERNEL_BASE = 0xffff800000000000ULL;

// Physical RAM [0, 16 MiB) in a host buffer, with a page allocator on it.
class PageTableTest : public ::testing::Test {
protected:
    PageTableTest()
        : m_bytes(static_cast<uint8_t*>(std::aligned_alloc(PAGE_SIZE, 16 * MiB)), &std::free)
    {
        m_memory = PhysicalMemory(reinterpret_cast<uintptr_t>(m_bytes.get()));
        std::vector<MemoryRange> ram { { 0, 16 * MiB } };
        std::vector<MemoryRange> reserved;
        m_allocator = PhysicalAllocator::try_create(ram, reserved, m_memory).release_value();
        m_baseline = m_allocator.free_pages();
        m_table = PageTable::try_create(m_memory, m_allocator.frame_source()).release_value();
    }

    uint64_t frame() { return *m_allocator.allocate_page(); }
    // The raw entry at `level` (4 = PML4 ... 1 = PT) on the way to `address`.
    uint64_t raw_entry(uint64_t address, int level)
    {
        uint64_t table = m_table.root();
        for (int l = 4;; --l) {
            uint64_t entry = m_memory.pointer<uint64_t>(table)[(address >> (12 + 9 * (l - 1))) & 511];
            if (l == level)
                return entry;
            table = entry & 0x000ffffffffff000ULL;
        }
    }
    uint64_t* raw_leaf(uint64_t address)
    {
        uint64_t table = m_table.root();
        for (int l = 4; l > 1; --l)
            table = m_memory.pointer<uint64_t>(table)[(address >> (12 + 9 * (l - 1))) & 511] & 0x000ffffffffff000ULL;
        return m_memory.pointer<uint64_t>(table) + ((address >> 12) & 511);
    }

    std::unique_ptr<uint8_t, decltype(&std::free)> m_bytes;
    PhysicalMemory m_memory;
    PhysicalAllocator m_allocator;
    size_t m_baseline = 0;
    PageTable m_table;
};

struct Collected {
    std::vector<std::pair<uint64_t, Translation>> leaves;
    UnmapVisitor visitor()
    {
        return { this, [](void* context, uint64_t address, const Translation& old) {
                    static_cast<Collected*>(context)->leaves.push_back({ address, old });
                } };
    }
};

} // namespace

TEST_F(PageTableTest, MapThenTranslateAndRawEntriesFollowTheSdm)
{
    uint64_t f = frame();
    ASSERT_TRUE(m_table.map(0x400000, f, USER_RW));
    std::optional<Translation> t = m_table.translate(0x400123);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->physical, f + 0x123);
    EXPECT_EQ(t->frame, f);
    EXPECT_EQ(t->page_size, PAGE_SIZE);
    EXPECT_EQ(t->flags, USER_RW);
    // Upper levels: present | writable | user, executable (SDM 4.6: the leaf decides).
    EXPECT_EQ(raw_entry(0x400000, 4) & 0x8000000000000fffULL, 0x7u);
    EXPECT_EQ(raw_entry(0x400000, 3) & 0x8000000000000fffULL, 0x7u);
    EXPECT_EQ(raw_entry(0x400000, 2) & 0x8000000000000fffULL, 0x7u);
    EXPECT_EQ(raw_entry(0x400000, 1), f | 0x8000000000000007ULL);
    EXPECT_FALSE(m_table.translate(0x401000));
    EXPECT_FALSE(m_table.translate(0x3ff000));
    EXPECT_FALSE(m_table.translate(0x0000800000000000ULL)) << "non-canonical";
}

TEST_F(PageTableTest, MapRefusesBadArgumentsAndExistingMappings)
{
    uint64_t f = frame();
    EXPECT_EQ(m_table.map(0x400010, f, USER_RW).error(), Errno::INVAL);
    EXPECT_EQ(m_table.map(0x400000, f + 1, USER_RW).error(), Errno::INVAL);
    EXPECT_EQ(m_table.map(0x0000800000000000ULL, f, USER_RW).error(), Errno::INVAL);
    EXPECT_EQ(m_table.map(0x400000, 1ULL << 52, USER_RW).error(), Errno::INVAL);
    EXPECT_EQ(m_table.map(KERNEL_BASE, f, USER_RW).error(), Errno::INVAL) << "user page in the kernel half";
    ASSERT_TRUE(m_table.map(0x400000, f, USER_RW));
    EXPECT_EQ(m_table.map(0x400000, frame(), USER_RW).error(), Errno::EXIST);
    ASSERT_TRUE(m_table.map_large(0x40000000, 0, LARGE_PAGE_SIZE, USER_RW));
    EXPECT_EQ(m_table.map(0x40001000, f, USER_RW).error(), Errno::EXIST) << "inside a large page";
    EXPECT_EQ(m_table.map_large(0x40000000, 0, 8192, USER_RW).error(), Errno::INVAL);
    EXPECT_EQ(m_table.map_large(0x40200000, 0x1000, LARGE_PAGE_SIZE, USER_RW).error(), Errno::INVAL);
}

TEST_F(PageTableTest, KernelHalfTablesAreSupervisorOnlyAndNxCanBeOff)
{
    uint64_t f = frame();
    ASSERT_TRUE(m_table.map(KERNEL_BASE + 0x5000, f, KERNEL_RW));
    EXPECT_EQ(raw_entry(KERNEL_BASE, 4) & 0xfff, 0x3u);
    EXPECT_EQ(raw_entry(KERNEL_BASE + 0x5000, 1), f | 0x8000000000000103ULL);

    PageTable no_nx = PageTable::try_create(m_memory, m_allocator.frame_source(), false).release_value();
    ASSERT_TRUE(no_nx.map(0x1000, f, USER_RW));
    EXPECT_FALSE(has(no_nx.translate(0x1000)->flags, PageFlags::NoExecute)) << "bit 63 is reserved without NXE";
    no_nx.destroy();
}

TEST_F(PageTableTest, UnmapReturnsTheFrameAndFreesEmptyTables)
{
    size_t after_root = m_allocator.free_pages();
    uint64_t f = frame();
    ASSERT_TRUE(m_table.map(0x7f0000001000, f, USER_RW));
    EXPECT_EQ(m_allocator.free_pages(), after_root - 1 - 3) << "PDPT, PD and PT";
    std::optional<Translation> old = m_table.unmap(0x7f0000001000);
    ASSERT_TRUE(old);
    EXPECT_EQ(old->frame, f);
    EXPECT_EQ(m_allocator.free_pages(), after_root - 1) << "tables freed, the frame is the caller's";
    EXPECT_FALSE(m_table.unmap(0x7f0000001000));
    EXPECT_FALSE(m_table.translate(0x7f0000001000));
    EXPECT_EQ(raw_entry(0x7f0000001000, 4), 0u);
}

TEST_F(PageTableTest, UnmapRangeSkipsAbsentTablesAcrossTheWholeUserHalf)
{
    std::vector<uint64_t> addresses { 0x1000, 0x200000, 0x555555554000, 0x7ffff7fff000, 0x7ffffffff000 };
    for (uint64_t a : addresses)
        ASSERT_TRUE(m_table.map(a, frame(), USER_RW));
    Collected collected;
    Result<RangeChange> change = m_table.unmap_range(0, USER_HALF_END, collected.visitor());
    ASSERT_TRUE(change);
    EXPECT_EQ(change->entries, addresses.size());
    EXPECT_EQ(change->first, 0x1000u);
    EXPECT_EQ(change->last, 0x7fffffffffffULL);
    EXPECT_FALSE(change->global);
    EXPECT_GE(change->tables_freed, 9u);
    ASSERT_EQ(collected.leaves.size(), addresses.size());
    for (size_t i = 0; i < addresses.size(); ++i)
        EXPECT_EQ(collected.leaves[i].first, addresses[i]) << "visited in address order";
    for (auto& [address, old] : collected.leaves)
        ASSERT_TRUE(m_allocator.free_page(old.frame));
    EXPECT_EQ(m_allocator.free_pages(), m_baseline - 1) << "only the PML4 is left";
}

TEST_F(PageTableTest, UnmapRangeOfMostlyEmptyGigabytesTouchesOnlyPresentEntries)
{
    ASSERT_TRUE(m_table.map(0x200000000000, frame(), USER_RW));
    ASSERT_TRUE(m_table.map(0x200000001000, frame(), USER_RW));
    Collected collected;
    // 64 GiB, all but two pages absent: fast because absent tables are skipped.
    Result<RangeChange> change = m_table.unmap_range(0x200000001000, 64 * GiB, collected.visitor());
    ASSERT_TRUE(change);
    EXPECT_EQ(change->entries, 1u);
    EXPECT_EQ(change->first, 0x200000001000u);
    EXPECT_EQ(change->last, 0x200000001fffu);
    EXPECT_EQ(change->tables_freed, 0u) << "the PT still maps the first page";
    EXPECT_TRUE(m_table.translate(0x200000000000));
}

TEST_F(PageTableTest, RangeArgumentsAreValidated)
{
    EXPECT_EQ(m_table.unmap_range(0x1000, 0).error(), Errno::INVAL);
    EXPECT_EQ(m_table.unmap_range(0x1001, PAGE_SIZE).error(), Errno::INVAL);
    EXPECT_EQ(m_table.unmap_range(0x1000, 100).error(), Errno::INVAL);
    EXPECT_EQ(m_table.unmap_range(USER_HALF_END - PAGE_SIZE, 2 * PAGE_SIZE).error(), Errno::INVAL);
    EXPECT_EQ(m_table.unmap_range(0xfffffffffffff000ULL, 2 * PAGE_SIZE).error(), Errno::INVAL) << "wraps";
    EXPECT_EQ(m_table.protect_range(0x0000800000000000ULL, PAGE_SIZE, USER_RW).error(), Errno::INVAL);
    EXPECT_EQ(m_table.unmap_range(0x7ffffffff000, USER_HALF_END).error(), Errno::INVAL);
}

TEST_F(PageTableTest, LastPagesOfBothHalves)
{
    uint64_t user_last = USER_HALF_END - PAGE_SIZE;
    uint64_t kernel_last = 0xfffffffffffff000ULL;
    ASSERT_TRUE(m_table.map(user_last, frame(), USER_RW));
    ASSERT_TRUE(m_table.map(kernel_last, frame(), KERNEL_RW));
    EXPECT_EQ(m_table.translate(0xffffffffffffffffULL)->physical & PAGE_OFFSET_MASK, 0xfffu);
    Result<RangeChange> user = m_table.unmap_range(user_last, PAGE_SIZE);
    ASSERT_TRUE(user);
    EXPECT_EQ(user->entries, 1u);
    Result<RangeChange> kernel = m_table.unmap_range(kernel_last, PAGE_SIZE);
    ASSERT_TRUE(kernel);
    EXPECT_EQ(kernel->entries, 1u);
    EXPECT_TRUE(kernel->global);
    EXPECT_EQ(kernel->last, 0xffffffffffffffffULL);
    EXPECT_NE(raw_entry(kernel_last, 4), 0u) << "kernel-half PDPTs stay for sharing";
}

TEST_F(PageTableTest, ProtectChangesPermissionsKeepsFrameAndStatusBits)
{
    uint64_t f = frame();
    ASSERT_TRUE(m_table.map(0x10000, f, USER_RW));
    ASSERT_TRUE(m_table.map(0x11000, frame(), PageFlags::Present | PageFlags::User));
    // The CPU sets Accessed and Dirty (SDM 4.8); pretend it did.
    *raw_leaf(0x10000) |= 0x60;
    EXPECT_TRUE(has(m_table.translate(0x10000)->flags, PageFlags::Dirty));

    Result<RangeChange> change = m_table.protect_range(0x10000, 2 * PAGE_SIZE, PageFlags::Present | PageFlags::User);
    ASSERT_TRUE(change);
    EXPECT_EQ(change->entries, 1u) << "only the writable page changed";
    Translation t = *m_table.translate(0x10000);
    EXPECT_EQ(t.frame, f);
    EXPECT_EQ(t.flags, PageFlags::Present | PageFlags::User | PageFlags::Accessed | PageFlags::Dirty);
}

TEST_F(PageTableTest, ProtNoneKeepsTheFrameInANotPresentEntry)
{
    uint64_t f = frame();
    ASSERT_TRUE(m_table.map(0x10000, f, USER_RW));
    ASSERT_TRUE(m_table.protect_range(0x10000, PAGE_SIZE, PageFlags::User));
    EXPECT_EQ(*raw_leaf(0x10000) & 1, 0u) << "the CPU sees not-present";
    std::optional<Translation> t = m_table.translate(0x10000);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->frame, f);
    EXPECT_FALSE(has(t->flags, PageFlags::Present));
    Result<RangeChange> back = m_table.protect_range(0x10000, PAGE_SIZE, USER_RW);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->entries, 0u) << "a not-present entry was not in the TLB";
    EXPECT_EQ(m_table.translate(0x10000)->flags, USER_RW);
    // A PROT_NONE frame is still reported when unmapped, so it can be freed.
    ASSERT_TRUE(m_table.protect_range(0x10000, PAGE_SIZE, PageFlags::None));
    EXPECT_EQ(m_table.unmap(0x10000)->frame, f);
    // map() without Present makes a PROT_NONE entry directly.
    ASSERT_TRUE(m_table.map(0x20000, f, PageFlags::User));
    EXPECT_FALSE(has(m_table.translate(0x20000)->flags, PageFlags::Present));
}

TEST_F(PageTableTest, ProtectFilterAdjustsPerPage)
{
    uint64_t shared_frame = frame();
    ASSERT_TRUE(m_table.map(0x10000, shared_frame, PageFlags::Present | PageFlags::User));
    ASSERT_TRUE(m_table.map(0x11000, frame(), PageFlags::Present | PageFlags::User));
    // Keep the "file" page read-only (copy-on-write), let the private copy be written.
    struct Context {
        uint64_t file_frame;
    } context { shared_frame };
    ProtectFilter filter { &context, [](void* c, uint64_t, const Translation& old, PageFlags wanted) {
                              if (old.frame == static_cast<Context*>(c)->file_frame)
                                  return wanted & ~PageFlags::Writable;
                              return wanted;
                          } };
    ASSERT_TRUE(m_table.protect_range(0x10000, 2 * PAGE_SIZE, USER_RW, filter));
    EXPECT_FALSE(has(m_table.translate(0x10000)->flags, PageFlags::Writable));
    EXPECT_TRUE(has(m_table.translate(0x11000)->flags, PageFlags::Writable));
}

TEST_F(PageTableTest, MapRangeUsesTheLargestAlignedLeaves)
{
    uint64_t v = 0xffff800000000000ULL;
    uint64_t length = GiB + 2 * MiB + PAGE_SIZE;
    ASSERT_TRUE(m_table.map_range(v, 0, length, KERNEL_RW, LargePages::Allow2MAnd1G));
    EXPECT_EQ(m_table.translate(v)->page_size, HUGE_PAGE_SIZE);
    EXPECT_EQ(m_table.translate(v + GiB)->page_size, LARGE_PAGE_SIZE);
    EXPECT_EQ(m_table.translate(v + GiB + 2 * MiB)->page_size, PAGE_SIZE);
    EXPECT_EQ(m_table.translate(v + GiB + 2 * MiB)->physical, GiB + 2 * MiB);
    EXPECT_FALSE(m_table.translate(v + length));
    EXPECT_EQ(raw_entry(v, 3) & 0x80, 0x80u) << "PS set in the PDPTE";

    uint64_t w = 0xffff900000000000ULL;
    ASSERT_TRUE(m_table.map_range(w, 0, 4 * MiB, KERNEL_RW, LargePages::No));
    EXPECT_EQ(m_table.translate(w + 3 * MiB)->page_size, PAGE_SIZE);
    EXPECT_EQ(m_table.map_range(w, 0, 0, KERNEL_RW, LargePages::No).error(), Errno::INVAL);
}

TEST_F(PageTableTest, PartialChangesSplitLargePages)
{
    uint64_t v = 0xffff800000000000ULL;
    ASSERT_TRUE(m_table.map_range(v, 0, 2 * GiB, KERNEL_RW, LargePages::Allow2MAnd1G));
    // Make one 4 KiB page of the first 1 GiB leaf read-only: 1G -> 2M -> 4K.
    Result<RangeChange> change
        = m_table.protect_range(v + 0x201000, PAGE_SIZE, PageFlags::Present | PageFlags::NoExecute);
    ASSERT_TRUE(change);
    EXPECT_EQ(change->entries, 1u);
    EXPECT_EQ(m_table.translate(v)->page_size, LARGE_PAGE_SIZE);
    EXPECT_EQ(m_table.translate(v + 0x200000)->page_size, PAGE_SIZE);
    EXPECT_FALSE(has(m_table.translate(v + 0x201000)->flags, PageFlags::Writable));
    EXPECT_TRUE(has(m_table.translate(v + 0x202000)->flags, PageFlags::Writable));
    EXPECT_EQ(m_table.translate(v + 0x202345)->physical, 0x202345u);
    EXPECT_EQ(m_table.translate(v + GiB)->page_size, HUGE_PAGE_SIZE) << "the other leaf is untouched";
    // Unmapping a guard page inside a 2 MiB leaf.
    Collected collected;
    ASSERT_TRUE(m_table.unmap_range(v + 0x400000, PAGE_SIZE, collected.visitor()));
    ASSERT_EQ(collected.leaves.size(), 1u);
    EXPECT_EQ(collected.leaves[0].second.frame, 0x400000u);
    EXPECT_FALSE(m_table.translate(v + 0x400000));
    EXPECT_EQ(m_table.translate(v + 0x401000)->physical, 0x401000u);
    // A whole large leaf is removed without a split.
    collected.leaves.clear();
    ASSERT_TRUE(m_table.unmap_range(v + GiB, GiB, collected.visitor()));
    ASSERT_EQ(collected.leaves.size(), 1u);
    EXPECT_EQ(collected.leaves[0].second.page_size, HUGE_PAGE_SIZE);
}

TEST_F(PageTableTest, OutOfFramesIsNoMemAndLeavesNothingBehind)
{
    struct Budget {
        FrameSource inner;
        int left;
    } budget { m_allocator.frame_source(), 2 };
    FrameSource limited { &budget,
        [](void* c, size_t count) -> Result<uint64_t> {
            auto* b = static_cast<Budget*>(c);
            if (b->left-- <= 0)
                return Errno::NOMEM;
            return b->inner.allocate_frames(count);
        },
        [](void* c, uint64_t physical, size_t count) {
            static_cast<Budget*>(c)->inner.release_frames(physical, count);
        } };
    size_t before = m_allocator.free_pages();
    PageTable table = PageTable::try_create(m_memory, limited).release_value(); // PML4
    EXPECT_EQ(table.map(0x400000, frame(), USER_RW).error(), Errno::NOMEM); // PDPT ok, PD fails
    EXPECT_FALSE(table.translate(0x400000));
    ASSERT_TRUE(table.unmap_range(0, USER_HALF_END));
    table.destroy();
    EXPECT_EQ(m_allocator.free_pages(), before - 1) << "only the data frame is still held";
}

TEST_F(PageTableTest, MoveRangeCarriesEntriesAndStatusBits)
{
    uint64_t a = frame(), b = frame();
    ASSERT_TRUE(m_table.map(0x10000, a, USER_RW));
    ASSERT_TRUE(m_table.map(0x12000, b, PageFlags::User)); // PROT_NONE
    *raw_leaf(0x10000) |= 0x40;
    Result<RangeChange> change = m_table.move_range(0x10000, 0x7f0000000000, 4 * PAGE_SIZE);
    ASSERT_TRUE(change);
    EXPECT_EQ(change->entries, 1u) << "only the present entry was cached";
    EXPECT_FALSE(m_table.translate(0x10000));
    EXPECT_FALSE(m_table.translate(0x12000));
    EXPECT_EQ(m_table.translate(0x7f0000000000)->flags, USER_RW | PageFlags::Dirty);
    EXPECT_EQ(m_table.translate(0x7f0000000000)->frame, a);
    EXPECT_EQ(m_table.translate(0x7f0000002000)->frame, b);
    EXPECT_FALSE(m_table.translate(0x7f0000001000));
    EXPECT_EQ(m_table.move_range(0x7f0000000000, 0x7f0000001000, 2 * PAGE_SIZE).error(), Errno::INVAL);
}

TEST_F(PageTableTest, DestroyFreesEveryTable)
{
    std::vector<uint64_t> frames;
    for (uint64_t a : { 0x1000ULL, 0x7fff00000000ULL, 0xffff800000000000ULL, 0xffffffff80000000ULL }) {
        frames.push_back(frame());
        ASSERT_TRUE(m_table.map(a, frames.back(), a < USER_HALF_END ? USER_RW : KERNEL_RW));
    }
    Collected collected;
    m_table.destroy(collected.visitor());
    EXPECT_EQ(collected.leaves.size(), 4u);
    EXPECT_EQ(m_table.root(), 0u);
    for (uint64_t f : frames)
        ASSERT_TRUE(m_allocator.free_page(f));
    EXPECT_EQ(m_allocator.free_pages(), m_baseline);
}

TEST_F(PageTableTest, RandomOperationsMatchAModel)
{
    // Pages in a window that straddles a 1 GiB (PD) boundary, checked after each step
    // against a map of page -> (frame, flags).
    std::mt19937_64 random(7);
    const uint64_t window = 0x3fe00000;
    const uint64_t pages = 1024;
    std::map<uint64_t, std::pair<uint64_t, PageFlags>> model;
    const PageFlags choices[] = { USER_RW, PageFlags::Present | PageFlags::User, PageFlags::User,
        PageFlags::Present | PageFlags::User | PageFlags::Writable };
    for (int step = 0; step < 3000; ++step) {
        uint64_t first = random() % pages;
        uint64_t count = 1 + random() % 40;
        if (first + count > pages)
            count = pages - first;
        uint64_t address = window + first * PAGE_SIZE;
        switch (random() % 3) {
        case 0: {
            PageFlags flags = choices[random() % 4];
            for (uint64_t p = first; p < first + count; ++p) {
                if (model.count(p))
                    continue;
                uint64_t f = frame();
                ASSERT_TRUE(m_table.map(window + p * PAGE_SIZE, f, flags));
                model[p] = { f, flags };
            }
            break;
        }
        case 1: {
            Collected collected;
            ASSERT_TRUE(m_table.unmap_range(address, count * PAGE_SIZE, collected.visitor()));
            size_t expected = 0;
            for (uint64_t p = first; p < first + count; ++p)
                expected += model.erase(p);
            ASSERT_EQ(collected.leaves.size(), expected);
            for (auto& [a, old] : collected.leaves)
                ASSERT_TRUE(m_allocator.free_page(old.frame));
            break;
        }
        case 2: {
            PageFlags flags = choices[random() % 4];
            ASSERT_TRUE(m_table.protect_range(address, count * PAGE_SIZE, flags));
            for (uint64_t p = first; p < first + count; ++p) {
                if (model.count(p))
                    model[p].second = flags;
            }
            break;
        }
        }
        for (uint64_t p = 0; p < pages; ++p) {
            std::optional<Translation> t = m_table.translate(window + p * PAGE_SIZE);
            auto it = model.find(p);
            ASSERT_EQ(t.has_value(), it != model.end()) << step << " page " << p;
            if (t) {
                ASSERT_EQ(t->frame, it->second.first);
                ASSERT_EQ(t->flags, it->second.second);
            }
        }
    }
    Collected collected;
    ASSERT_TRUE(m_table.unmap_range(0, USER_HALF_END, collected.visitor()));
    for (auto& [a, old] : collected.leaves)
        ASSERT_TRUE(m_allocator.free_page(old.frame));
    EXPECT_EQ(m_allocator.free_pages(), m_baseline - 1);
}

TEST_F(PageTableTest, DirectMapUsesLargeLeavesAndIsNeverExecutable)
{
    const uint64_t direct = 0xffff800000000000ULL;
    std::vector<MemoryRange> ram { { 0, 0x9fc00 }, { 0x100000, 3 * GiB - 0x100000 } };
    ASSERT_TRUE(map_direct(m_table, ram, direct, LargePages::Allow2MAnd1G));
    EXPECT_EQ(m_table.translate(direct + 0x9f000)->page_size, PAGE_SIZE);
    EXPECT_FALSE(m_table.translate(direct + 0xa0000)) << "the hole below 1 MiB";
    EXPECT_EQ(m_table.translate(direct + 0x100000)->page_size, PAGE_SIZE);
    EXPECT_EQ(m_table.translate(direct + 0x200000)->page_size, LARGE_PAGE_SIZE);
    Translation high = *m_table.translate(direct + 2 * GiB + 0x1234);
    EXPECT_EQ(high.page_size, HUGE_PAGE_SIZE);
    EXPECT_EQ(high.physical, 2 * GiB + 0x1234);
    EXPECT_EQ(high.flags, KERNEL_RW);
    EXPECT_FALSE(m_table.translate(direct + 3 * GiB));

    ASSERT_TRUE(map_mmio(m_table, 0xfeb00000, 0x200, direct));
    Translation mmio = *m_table.translate(direct + 0xfeb00100);
    EXPECT_EQ(mmio.physical, 0xfeb00100u);
    EXPECT_TRUE(has(mmio.flags, PageFlags::CacheDisable));
    EXPECT_TRUE(has(mmio.flags, PageFlags::WriteThrough));
    EXPECT_EQ(map_mmio(m_table, 0xfeb00000, 0, direct).error(), Errno::INVAL);
}

TEST_F(PageTableTest, KernelImageSectionsGetTheirPermissions)
{
    KernelImageLayout image;
    image.virtual_base = 0xffffffff80000000ULL;
    image.text_start = image.virtual_base + 0x100000;
    image.text_end = image.text_start + 0x5000;
    image.rodata_start = image.text_end;
    image.rodata_end = image.rodata_start + 0x2000;
    image.data_start = image.rodata_end;
    image.data_end = image.data_start + 0x13000;
    ASSERT_TRUE(map_kernel_image(m_table, image));
    Translation text = *m_table.translate(image.text_start + 0x10);
    EXPECT_EQ(text.physical, 0x100010u);
    EXPECT_EQ(text.flags, PageFlags::Present | PageFlags::Global);
    EXPECT_EQ(
        m_table.translate(image.rodata_start)->flags, PageFlags::Present | PageFlags::Global | PageFlags::NoExecute);
    EXPECT_EQ(m_table.translate(image.data_end - 1)->flags, KERNEL_RW);
    EXPECT_FALSE(m_table.translate(image.data_end));

    KernelImageLayout bad = image;
    bad.text_start += 0x10;
    PageTable other = PageTable::try_create(m_memory, m_allocator.frame_source()).release_value();
    EXPECT_EQ(map_kernel_image(other, bad).error(), Errno::INVAL);
    other.destroy();
}
