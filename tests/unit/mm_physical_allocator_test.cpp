#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <random>
#include <set>
#include <vector>

#include "mm/physical_allocator.h"

using namespace kiln;
using namespace kiln::mm;

namespace {

constexpr uint64_t MiB = 1024 * 1024;

// A page-aligned host buffer standing in for physical [base, base + size).
struct FakeRam {
    FakeRam(uint64_t base, uint64_t size)
        : base(base)
        , size(size)
        , bytes(static_cast<uint8_t*>(std::aligned_alloc(PAGE_SIZE, size)), &std::free)
    {
    }
    PhysicalMemory memory() const { return PhysicalMemory(reinterpret_cast<uintptr_t>(bytes.get()) - base); }

    uint64_t base;
    uint64_t size;
    std::unique_ptr<uint8_t, decltype(&std::free)> bytes;
};

PhysicalAllocator create(const FakeRam& ram, std::vector<MemoryRange> usable, std::vector<MemoryRange> reserved)
{
    Result<PhysicalAllocator> allocator = PhysicalAllocator::try_create(usable, reserved, ram.memory());
    EXPECT_FALSE(allocator.is_error()) << errno_name(allocator.error());
    return allocator.release_value();
}

bool inside(uint64_t address, MemoryRange range) { return address >= range.base && address < range.end(); }

} // namespace

TEST(PhysicalAllocator, CountsExcludeLowMemoryReservedRangesAndMetadata)
{
    FakeRam ram(0, 16 * MiB);
    MemoryRange kernel { 1 * MiB, 1 * MiB };
    MemoryRange initrd { 4 * MiB, 1 * MiB + 100 }; // grows to 257 pages
    PhysicalAllocator a = create(ram, { { 0, 16 * MiB } }, { kernel, initrd });
    // 4096 pages: 64 bitmap words each, one summary word -> 1032 bytes -> one page,
    // placed in the first usable page after the kernel.
    EXPECT_EQ(a.metadata().base, 2 * MiB);
    EXPECT_EQ(a.metadata().size, PAGE_SIZE);
    size_t expected = 4096 - 256 - 256 - 257 - 1;
    EXPECT_EQ(a.total_pages(), expected);
    EXPECT_EQ(a.free_pages(), expected);
    EXPECT_FALSE(a.owns(0));
    EXPECT_FALSE(a.owns(1 * MiB));
    EXPECT_FALSE(a.owns(2 * MiB));
    EXPECT_TRUE(a.owns(2 * MiB + PAGE_SIZE));
    EXPECT_FALSE(a.owns(5 * MiB));
    EXPECT_TRUE(a.owns(5 * MiB + PAGE_SIZE));
}

TEST(PhysicalAllocator, HandsOutEveryUsablePageOnceThenNoMem)
{
    FakeRam ram(0, 8 * MiB);
    MemoryRange kernel { 1 * MiB + 0x800, 0x3000 }; // unaligned: grows to 4 pages
    PhysicalAllocator a = create(ram, { { 0, 8 * MiB } }, { kernel });
    std::set<uint64_t> seen;
    size_t total = a.total_pages();
    for (size_t i = 0; i < total; ++i) {
        Result<uint64_t> page = a.allocate_page();
        ASSERT_TRUE(page) << i;
        EXPECT_TRUE(is_page_aligned(*page));
        EXPECT_GE(*page, PhysicalAllocator::LOW_MEMORY_RESERVED);
        EXPECT_LT(*page, 8 * MiB);
        EXPECT_FALSE(*page >= 1 * MiB && *page < 1 * MiB + 0x4000) << std::hex << *page;
        EXPECT_FALSE(inside(*page, a.metadata()));
        EXPECT_TRUE(seen.insert(*page).second) << "page handed out twice";
    }
    EXPECT_EQ(a.free_pages(), 0u);
    EXPECT_EQ(seen.count(8 * MiB - PAGE_SIZE), 1u) << "the last page is usable";
    Result<uint64_t> none = a.allocate_page();
    ASSERT_TRUE(none.is_error());
    EXPECT_EQ(none.error(), Errno::NOMEM);
    EXPECT_EQ(a.allocate_contiguous(1).error(), Errno::NOMEM);

    uint64_t some = *seen.begin();
    ASSERT_TRUE(a.free_page(some));
    EXPECT_EQ(a.free_pages(), 1u);
    EXPECT_EQ(*a.allocate_page(), some);
}

TEST(PhysicalAllocator, BadFreesAreRefusedWithoutChangingState)
{
    FakeRam ram(0, 4 * MiB);
    PhysicalAllocator a = create(ram, { { 0, 4 * MiB } }, { { 1 * MiB, 64 * 1024 } });
    uint64_t page = *a.allocate_page();
    size_t free_before = a.free_pages();
    EXPECT_EQ(a.free_page(page + 8).error(), Errno::INVAL);
    EXPECT_EQ(a.free_page(0x1000).error(), Errno::FAULT); // low memory
    EXPECT_EQ(a.free_page(1 * MiB).error(), Errno::FAULT); // reserved
    EXPECT_EQ(a.free_page(a.metadata().base).error(), Errno::FAULT); // metadata
    EXPECT_EQ(a.free_page(4 * MiB).error(), Errno::FAULT); // past RAM
    EXPECT_EQ(a.free_page(~0ULL & ~PAGE_OFFSET_MASK).error(), Errno::FAULT);
    EXPECT_EQ(a.free_pages(), free_before);
    ASSERT_TRUE(a.free_page(page));
    EXPECT_EQ(a.free_page(page).error(), Errno::ALREADY);
    EXPECT_EQ(a.free_pages(), free_before + 1);
    EXPECT_TRUE(a.is_free(page));
}

TEST(PhysicalAllocator, HolesInTheMemoryMapAreNeverHandedOut)
{
    // RAM above 4 GiB in two pieces with a 4 MiB hole, as after a PCI hole.
    uint64_t base = 0x100000000;
    FakeRam ram(base, 12 * MiB);
    PhysicalAllocator a = create(ram, { { base + 8 * MiB, 4 * MiB }, { base, 4 * MiB } }, {});
    EXPECT_EQ(a.metadata().base, base);
    EXPECT_EQ(a.total_pages(), 2048u - 1);
    EXPECT_EQ(a.free_page(base + 5 * MiB).error(), Errno::FAULT);
    for (size_t i = 0; i < a.total_pages(); ++i) {
        uint64_t page = *a.allocate_page();
        EXPECT_FALSE(page >= base + 4 * MiB && page < base + 8 * MiB) << std::hex << page;
    }
    EXPECT_TRUE(a.allocate_page().is_error());
}

TEST(PhysicalAllocator, UnalignedRamShrinksInwards)
{
    FakeRam ram(0, 4 * MiB);
    PhysicalAllocator a = create(ram, { { 1 * MiB + 100, 1 * MiB + 3900 } }, {});
    // [1 MiB + 4 KiB, 2 MiB) = 255 pages, one of them for the metadata.
    EXPECT_EQ(a.total_pages(), 254u);
    EXPECT_EQ(a.metadata().base, 1 * MiB + PAGE_SIZE);
}

TEST(PhysicalAllocator, RefusesMapsWithoutUsableMemory)
{
    FakeRam ram(0, 2 * MiB);
    std::vector<MemoryRange> none;
    EXPECT_EQ(PhysicalAllocator::try_create(none, none, ram.memory()).error(), Errno::NOMEM);
    std::vector<MemoryRange> low { { 0, 640 * 1024 } };
    EXPECT_EQ(PhysicalAllocator::try_create(low, none, ram.memory()).error(), Errno::NOMEM);
    std::vector<MemoryRange> one_page { { 1 * MiB, PAGE_SIZE } };
    // The only page would hold the metadata: nothing left to hand out.
    EXPECT_EQ(PhysicalAllocator::try_create(one_page, none, ram.memory()).error(), Errno::NOMEM);
    std::vector<MemoryRange> all_reserved { { 1 * MiB, 1 * MiB } };
    EXPECT_EQ(PhysicalAllocator::try_create(all_reserved, all_reserved, ram.memory()).error(), Errno::NOMEM);
}

TEST(PhysicalAllocator, RangesNearTheTopOfTheAddressSpaceAreClipped)
{
    FakeRam ram(0, 4 * MiB);
    std::vector<MemoryRange> usable { { 0, 4 * MiB }, { ~0ULL - 0x10000, 0x20000 }, { 1ULL << 60, 1ULL << 62 } };
    std::vector<MemoryRange> reserved { { 3 * MiB, ~0ULL } }; // wraps: everything from 3 MiB
    PhysicalAllocator a = create(ram, usable, reserved);
    EXPECT_EQ(a.total_pages(), 512u - 1);
    for (size_t i = 0; i < a.total_pages(); ++i)
        EXPECT_LT(*a.allocate_page(), 3 * MiB);
}

TEST(PhysicalAllocator, ContiguousRunsAreAlignedAndAllFree)
{
    FakeRam ram(0, 8 * MiB);
    PhysicalAllocator a = create(ram, { { 0, 8 * MiB } }, {});
    uint64_t single = *a.allocate_page();
    Result<uint64_t> run = a.allocate_contiguous(16, 64 * 1024);
    ASSERT_TRUE(run);
    EXPECT_EQ(*run % (64 * 1024), 0u);
    EXPECT_NE(*run, single);
    for (uint64_t p = *run; p < *run + 16 * PAGE_SIZE; p += PAGE_SIZE)
        EXPECT_FALSE(a.is_free(p));
    EXPECT_EQ(a.allocate_contiguous(0).error(), Errno::INVAL);
    EXPECT_EQ(a.allocate_contiguous(1, 3 * PAGE_SIZE).error(), Errno::INVAL);
    EXPECT_EQ(a.allocate_contiguous(1, 512).error(), Errno::INVAL);
    EXPECT_EQ(a.allocate_contiguous(4096).error(), Errno::NOMEM);
    size_t before = a.free_pages();
    EXPECT_EQ(a.free_contiguous(*run + PAGE_SIZE * 15, 2).error(), Errno::ALREADY);
    EXPECT_EQ(a.free_pages(), before) << "a refused run free changes nothing";
    ASSERT_TRUE(a.free_contiguous(*run, 16));
    EXPECT_EQ(a.free_pages(), before + 16);
}

TEST(PhysicalAllocator, ContiguousFailsOnFragmentedMemory)
{
    FakeRam ram(0, 4 * MiB);
    PhysicalAllocator a = create(ram, { { 0, 4 * MiB } }, {});
    std::vector<uint64_t> pages;
    while (true) {
        Result<uint64_t> page = a.allocate_page();
        if (!page)
            break;
        pages.push_back(*page);
    }
    for (size_t i = 0; i < pages.size(); i += 2)
        ASSERT_TRUE(a.free_page(pages[i]));
    EXPECT_EQ(a.allocate_contiguous(2).error(), Errno::NOMEM);
    // Free one more page next to a free one near the end: the only run of two.
    size_t last_odd = pages.size() - 1 - (pages.size() % 2 == 0 ? 0 : 1);
    ASSERT_TRUE(a.free_page(pages[last_odd]));
    Result<uint64_t> pair = a.allocate_contiguous(2);
    ASSERT_TRUE(pair);
    EXPECT_EQ(*pair, std::min(pages[last_odd], pages[last_odd - 1]));
    EXPECT_TRUE(a.allocate_contiguous(1));
}

TEST(PhysicalAllocator, FrameSourceHandsOutAndTakesBackFrames)
{
    FakeRam ram(0, 4 * MiB);
    PhysicalAllocator a = create(ram, { { 0, 4 * MiB } }, {});
    FrameSource frames = a.frame_source();
    size_t before = a.free_pages();
    uint64_t one = *frames.allocate_frames(1);
    uint64_t four = *frames.allocate_frames(4);
    EXPECT_EQ(a.free_pages(), before - 5);
    frames.release_frames(four, 4);
    frames.release_frames(one, 1);
    frames.release_frames(one, 1); // a double release is refused, not counted twice
    EXPECT_EQ(a.free_pages(), before);
}

TEST(PhysicalAllocator, RandomAllocateFreeMatchesAModel)
{
    FakeRam ram(0, 32 * MiB);
    PhysicalAllocator a = create(ram, { { 0, 20 * MiB }, { 24 * MiB, 8 * MiB } }, { { 6 * MiB, 3 * MiB } });
    std::mt19937_64 random(12345);
    std::vector<uint64_t> held;
    std::set<uint64_t> held_set;
    for (int step = 0; step < 200000; ++step) {
        bool allocate = held.empty() || random() % 100 < 55;
        if (allocate) {
            Result<uint64_t> page = a.allocate_page();
            if (held.size() == a.total_pages()) {
                ASSERT_TRUE(page.is_error());
                continue;
            }
            ASSERT_TRUE(page);
            ASSERT_TRUE(held_set.insert(*page).second);
            ASSERT_FALSE(*page >= 6 * MiB && *page < 9 * MiB);
            ASSERT_FALSE(*page >= 20 * MiB && *page < 24 * MiB);
            held.push_back(*page);
        } else {
            size_t i = random() % held.size();
            ASSERT_TRUE(a.free_page(held[i]));
            held_set.erase(held[i]);
            held[i] = held.back();
            held.pop_back();
        }
        ASSERT_EQ(a.free_pages(), a.total_pages() - held.size());
    }
}
