#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "mm/address_space.h"

using namespace kiln;
using namespace kiln::mm;

namespace {

constexpr uint64_t P = PAGE_SIZE;
constexpr uint32_t R = LINUX_PROT_READ;
constexpr uint32_t W = LINUX_PROT_WRITE;
constexpr uint32_t X = LINUX_PROT_EXEC;
constexpr uint32_t ANON = LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS;
constexpr uint32_t FIXED_ANON = ANON | LINUX_MAP_FIXED;
constexpr uint64_t BASE = 0x7ff000000000; // the default mmap_base

const int g_file_a = 0;
const int g_file_b = 0;

struct Recorder {
    std::vector<Vma> pieces;
    VmaVisitor visitor()
    {
        return { this,
            [](void* context, const Vma& piece) { static_cast<Recorder*>(context)->pieces.push_back(piece); } };
    }
};

class AddressSpaceTest : public ::testing::Test {
protected:
    explicit AddressSpaceTest(size_t capacity = 16384, AddressSpaceLayout layout = {})
        : m_storage(capacity)
        , m_space(m_storage, layout)
    {
    }

    Result<uint64_t> map(uint64_t address, uint64_t length, uint32_t prot, uint32_t flags = FIXED_ANON,
        const void* file = nullptr, uint64_t offset = 0)
    {
        MapRequest request;
        request.address = address;
        request.length = length;
        request.prot = prot;
        request.flags = flags;
        request.file = file;
        request.offset = offset;
        return m_space.mmap(request, m_removed.visitor());
    }

    // "start-end prot" per region, for compact expectations.
    std::string layout_text()
    {
        std::string text;
        char line[96];
        for (const Vma& v : m_space.regions()) {
            snprintf(line, sizeof(line), "%lx-%lx %c%c%c%s%s\n", static_cast<unsigned long>(v.start),
                static_cast<unsigned long>(v.end), (v.prot & R) ? 'r' : '-', (v.prot & W) ? 'w' : '-',
                (v.prot & X) ? 'x' : '-', v.file ? " file@" : "", v.file ? std::to_string(v.file_offset).c_str() : "");
            text += line;
        }
        return text;
    }

    std::vector<Vma> m_storage;
    AddressSpace m_space;
    Recorder m_removed;
};

class SmallAddressSpaceTest : public AddressSpaceTest {
protected:
    SmallAddressSpaceTest()
        : AddressSpaceTest(4)
    {
    }
};

} // namespace

TEST_F(AddressSpaceTest, TopDownPlacementBelowMmapBaseMergesNeighbours)
{
    uint64_t a = *map(0, 2 * P, R | W, ANON);
    uint64_t b = *map(0, P, R | W, ANON);
    uint64_t c = *map(0, 3 * P, R, ANON);
    EXPECT_EQ(a, BASE - 2 * P);
    EXPECT_EQ(b, a - P);
    EXPECT_EQ(c, b - 3 * P);
    EXPECT_EQ(m_space.count(), 2u) << "a and b are compatible and adjacent";
    EXPECT_EQ(m_space.find(b)->end, BASE);
    EXPECT_EQ(m_space.find(c)->prot, R);
    EXPECT_EQ(m_space.find(BASE), nullptr);
    EXPECT_EQ(m_space.find(c - 1), nullptr);
    EXPECT_EQ(m_space.find_next(c - 1)->start, c);
}

TEST_F(AddressSpaceTest, HintIsHonouredWhenFreeAndRoundedDown)
{
    EXPECT_EQ(*map(0x200000123, P, R, ANON), 0x200000000u);
    // Taken now: the hint is ignored and the top-down search is used.
    EXPECT_EQ(*map(0x200000000, P, R, ANON), BASE - P);
    // Below mmap_min_addr the hint is raised to it (round_hint_to_min).
    EXPECT_EQ(*map(0x1000, P, R, ANON), 0x10000u);
    // A hint whose range would pass the end of user space is ignored.
    EXPECT_EQ(*map(0x7ffffffff000, 2 * P, R, ANON), BASE - 3 * P);
    // A hint just below a taken range that does not fit is ignored too.
    EXPECT_EQ(*map(0x200000000 - P, 2 * P, R | W, ANON), BASE - 5 * P);
}

TEST_F(AddressSpaceTest, MapFixedReplacesPartsOfThreeRegions)
{
    ASSERT_TRUE(map(0x100000, 0x10000, R, LINUX_MAP_PRIVATE | LINUX_MAP_FIXED, &g_file_a, 0x3000));
    ASSERT_TRUE(map(0x110000, 0x10000, R | W));
    ASSERT_TRUE(map(0x120000, 0x10000, R | X, LINUX_MAP_PRIVATE | LINUX_MAP_FIXED, &g_file_b, 0));
    EXPECT_EQ(*map(0x108000, 0x20000, R | W | X), 0x108000u);
    ASSERT_EQ(m_removed.pieces.size(), 3u);
    EXPECT_EQ(m_removed.pieces[0].start, 0x108000u);
    EXPECT_EQ(m_removed.pieces[0].end, 0x110000u);
    EXPECT_EQ(m_removed.pieces[0].file_offset, 0xb000u);
    EXPECT_EQ(m_removed.pieces[1].start, 0x110000u);
    EXPECT_EQ(m_removed.pieces[1].end, 0x120000u);
    EXPECT_EQ(m_removed.pieces[2].start, 0x120000u);
    EXPECT_EQ(m_removed.pieces[2].end, 0x128000u);
    EXPECT_EQ(m_removed.pieces[2].file, &g_file_b);
    EXPECT_EQ(layout_text(),
        "100000-108000 r-- file@12288\n"
        "108000-128000 rwx\n"
        "128000-130000 r-x file@32768\n");
}

TEST_F(AddressSpaceTest, MapFixedInsideOneRegionSplitsIt)
{
    ASSERT_TRUE(map(0x100000, 0x10000, R, LINUX_MAP_PRIVATE | LINUX_MAP_FIXED, &g_file_a, 0));
    ASSERT_TRUE(map(0x104000, P, R | W));
    EXPECT_EQ(layout_text(),
        "100000-104000 r-- file@0\n"
        "104000-105000 rw-\n"
        "105000-110000 r-- file@20480\n");
    // Mapping the same file page back at its place merges all three again.
    ASSERT_TRUE(map(0x104000, P, R, LINUX_MAP_PRIVATE | LINUX_MAP_FIXED, &g_file_a, 0x4000));
    EXPECT_EQ(layout_text(), "100000-110000 r-- file@0\n");
}

TEST_F(AddressSpaceTest, FixedNoReplaceAndFixedErrors)
{
    ASSERT_TRUE(map(0x100000, 4 * P, R));
    EXPECT_EQ(map(0x103000, 2 * P, R, ANON | LINUX_MAP_FIXED_NOREPLACE).error(), Errno::EXIST);
    EXPECT_EQ(*map(0x104000, 2 * P, R, ANON | LINUX_MAP_FIXED_NOREPLACE), 0x104000u);
    EXPECT_EQ(map(0x100800, P, R).error(), Errno::INVAL);
    EXPECT_EQ(map(0x8000, P, R).error(), Errno::PERM) << "below mmap_min_addr";
    EXPECT_EQ(map(0x7ffffffff000, P, R).error(), Errno::NOMEM) << "past TASK_SIZE";
    EXPECT_EQ(*map(0x7fffffffe000, P, R), 0x7fffffffe000u) << "the last user page";
    EXPECT_EQ(map(0xfffffffffffff000, 2 * P, R).error(), Errno::NOMEM);
    EXPECT_EQ(map(0x1000000, ~0ULL - P, R).error(), Errno::NOMEM);
}

TEST_F(AddressSpaceTest, MmapArgumentErrorsMatchLinux)
{
    EXPECT_EQ(map(0, 0, R, ANON).error(), Errno::INVAL);
    EXPECT_EQ(map(0, ~0ULL - 100, R, ANON).error(), Errno::NOMEM) << "PAGE_ALIGN wraps";
    EXPECT_EQ(map(0, 1ULL << 47, R, ANON).error(), Errno::NOMEM);
    EXPECT_EQ(map(0, P, R, LINUX_MAP_ANONYMOUS).error(), Errno::INVAL) << "no map type";
    EXPECT_EQ(map(0, P, R, ANON | LINUX_MAP_HUGETLB).error(), Errno::INVAL);
    EXPECT_EQ(map(0, P, R, LINUX_MAP_SHARED_VALIDATE | LINUX_MAP_ANONYMOUS | 0x800000).error(), Errno::OPNOTSUPP);
    EXPECT_TRUE(map(0, P, R, LINUX_MAP_SHARED | LINUX_MAP_ANONYMOUS | 0x800000)) << "unknown flags are ignored";
    EXPECT_EQ(map(0, P, R, LINUX_MAP_PRIVATE, &g_file_a, 0x800).error(), Errno::INVAL);
    EXPECT_EQ(map(0, P, R, LINUX_MAP_PRIVATE, &g_file_a, ~0ULL & ~PAGE_OFFSET_MASK).error(), Errno::OVERFLOW);
    EXPECT_EQ(map(0, P, R, LINUX_MAP_PRIVATE, nullptr, 0).error(), Errno::BADF);
    EXPECT_EQ(map(0, P, R | W, LINUX_MAP_SHARED, &g_file_a, 0).error(), Errno::ACCES);
    EXPECT_TRUE(map(0, P, R | W, LINUX_MAP_PRIVATE, &g_file_a, 0)) << "private writable is copy-on-write";
    EXPECT_TRUE(map(0, 100, R, ANON)) << "lengths round up";
}

TEST_F(AddressSpaceTest, MunmapInTheMiddleSplits)
{
    ASSERT_TRUE(map(0x100000, 10 * P, R, LINUX_MAP_PRIVATE | LINUX_MAP_FIXED, &g_file_a, 0x10000));
    ASSERT_TRUE(m_space.munmap(0x103000, 3 * P - 5, m_removed.visitor()));
    ASSERT_EQ(m_removed.pieces.size(), 1u);
    EXPECT_EQ(m_removed.pieces[0].start, 0x103000u);
    EXPECT_EQ(m_removed.pieces[0].end, 0x106000u);
    EXPECT_EQ(m_removed.pieces[0].file_offset, 0x13000u);
    EXPECT_EQ(layout_text(),
        "100000-103000 r-- file@65536\n"
        "106000-10a000 r-- file@90112\n");
    EXPECT_EQ(m_space.find(0x104000), nullptr);
}

TEST_F(AddressSpaceTest, MunmapArgumentsAndEmptyRanges)
{
    EXPECT_EQ(m_space.munmap(0x100800, P).error(), Errno::INVAL);
    EXPECT_EQ(m_space.munmap(0x100000, 0).error(), Errno::INVAL);
    EXPECT_EQ(m_space.munmap(0x7ffffffff000, 2 * P).error(), Errno::INVAL);
    EXPECT_EQ(m_space.munmap(0x100000, ~0ULL).error(), Errno::INVAL);
    EXPECT_TRUE(m_space.munmap(0x100000, P)) << "nothing mapped is fine";
    EXPECT_TRUE(m_space.munmap(0x7fffffffe000, P));
    ASSERT_TRUE(map(0x100000, 2 * P, R));
    ASSERT_TRUE(map(0x104000, 2 * P, R | W));
    ASSERT_TRUE(m_space.munmap(0x0ff000, 0x10000, m_removed.visitor()));
    EXPECT_EQ(m_removed.pieces.size(), 2u);
    EXPECT_EQ(m_space.count(), 0u);
}

TEST_F(AddressSpaceTest, MprotectAcrossTwoRegionsSplitsAndMerges)
{
    ASSERT_TRUE(map(0x100000, 4 * P, R));
    ASSERT_TRUE(map(0x104000, 4 * P, R | W));
    Recorder changed;
    ASSERT_TRUE(m_space.mprotect(0x102000, 4 * P, R | X, changed.visitor()));
    EXPECT_EQ(layout_text(),
        "100000-102000 r--\n"
        "102000-106000 r-x\n"
        "106000-108000 rw-\n");
    ASSERT_EQ(changed.pieces.size(), 2u);
    EXPECT_EQ(changed.pieces[0].start, 0x102000u);
    EXPECT_EQ(changed.pieces[0].end, 0x104000u);
    EXPECT_EQ(changed.pieces[0].prot, R | X);
    EXPECT_EQ(changed.pieces[1].start, 0x104000u);
    EXPECT_EQ(changed.pieces[1].end, 0x106000u);
    // Back to one protection: everything merges into one region.
    ASSERT_TRUE(m_space.mprotect(0x100000, 8 * P, R | W));
    EXPECT_EQ(layout_text(), "100000-108000 rw-\n");
}

TEST_F(AddressSpaceTest, MprotectSameProtectionNeitherSplitsNorVisits)
{
    ASSERT_TRUE(map(0x100000, 8 * P, R | W));
    Recorder changed;
    ASSERT_TRUE(m_space.mprotect(0x102000, 2 * P, R | W, changed.visitor()));
    EXPECT_TRUE(changed.pieces.empty());
    EXPECT_EQ(m_space.count(), 1u);
}

TEST_F(AddressSpaceTest, MprotectErrors)
{
    ASSERT_TRUE(map(0x100000, 2 * P, R));
    ASSERT_TRUE(map(0x103000, 2 * P, R));
    Recorder changed;
    EXPECT_EQ(m_space.mprotect(0x100000, 5 * P, R | W, changed.visitor()).error(), Errno::NOMEM) << "hole";
    EXPECT_TRUE(changed.pieces.empty()) << "nothing changed";
    EXPECT_EQ(m_space.find(0x100000)->prot, R);
    EXPECT_EQ(m_space.mprotect(0x0ff000, 2 * P, R).error(), Errno::NOMEM) << "starts unmapped";
    EXPECT_EQ(m_space.mprotect(0x100800, P, R).error(), Errno::INVAL);
    EXPECT_EQ(m_space.mprotect(0x100000, P, 0x10).error(), Errno::INVAL);
    EXPECT_EQ(m_space.mprotect(0x100000, P, R | LINUX_PROT_GROWSDOWN).error(), Errno::INVAL) << "not a stack";
    EXPECT_EQ(m_space.mprotect(0x100000, ~0ULL - P, R).error(), Errno::NOMEM);
    EXPECT_TRUE(m_space.mprotect(0x100000, 0, R | W)) << "length 0 succeeds";
    EXPECT_TRUE(m_space.mprotect(0x500000, 0, R)) << "even unmapped";
    EXPECT_TRUE(m_space.mprotect(0x100000, 1, R | LINUX_PROT_SEM));

    MapRequest shared;
    shared.address = 0x200000;
    shared.length = P;
    shared.prot = R;
    shared.flags = LINUX_MAP_SHARED | LINUX_MAP_FIXED;
    shared.file = &g_file_a;
    ASSERT_TRUE(m_space.mmap(shared));
    EXPECT_EQ(m_space.mprotect(0x200000, P, R | W).error(), Errno::ACCES) << "file not open for writing";
}

TEST_F(AddressSpaceTest, MprotectGrowsDownExtendsToTheStackStart)
{
    ASSERT_TRUE(map(0x7ffff0000000, 16 * P, R | W, FIXED_ANON | LINUX_MAP_GROWSDOWN));
    ASSERT_TRUE(m_space.mprotect(0x7ffff0008000, P, R | W | X | LINUX_PROT_GROWSDOWN));
    EXPECT_EQ(layout_text(),
        "7ffff0000000-7ffff0009000 rwx\n"
        "7ffff0009000-7ffff0010000 rw-\n");
}

TEST_F(AddressSpaceTest, BrkGrowsShrinksAndNeverCollides)
{
    uint64_t base = 0x555555560123;
    m_space.set_brk_base(base);
    EXPECT_EQ(m_space.brk(0), base) << "brk(0) queries";
    EXPECT_EQ(m_space.brk(base + 0x2000), base + 0x2000);
    EXPECT_EQ(m_space.find(base), nullptr) << "the page holding the base belongs to the bss";
    const Vma* heap = m_space.find(0x555555561000);
    ASSERT_NE(heap, nullptr);
    EXPECT_EQ(heap->start, 0x555555561000u) << "the heap starts at the page after the base";
    EXPECT_EQ(heap->end, 0x555555563000u);
    EXPECT_STREQ(heap->name, "[heap]");
    EXPECT_EQ(m_space.brk(base + 0x5000), base + 0x5000);
    EXPECT_EQ(m_space.count(), 1u) << "growth merges";
    EXPECT_EQ(m_space.find(0x555555561000)->end, 0x555555566000u);

    // Something mapped above the heap: growth must stop one guard page below it.
    ASSERT_TRUE(map(0x55555556a000, P, R));
    EXPECT_EQ(m_space.brk(0x55555556a000), base + 0x5000) << "would overlap";
    EXPECT_EQ(m_space.brk(0x555555569001), base + 0x5000) << "no guard page";
    EXPECT_EQ(m_space.brk(0x555555569000), 0x555555569000u) << "guard page left";

    Recorder removed;
    EXPECT_EQ(m_space.brk(base + 0x1000, removed.visitor()), base + 0x1000);
    ASSERT_EQ(removed.pieces.size(), 1u);
    EXPECT_EQ(removed.pieces[0].start, 0x555555562000u);
    EXPECT_EQ(removed.pieces[0].end, 0x555555569000u);
    EXPECT_EQ(m_space.brk(base - 1), base + 0x1000) << "below the base is refused";
    EXPECT_EQ(m_space.brk(~0ULL), base + 0x1000);
    EXPECT_EQ(m_space.brk(base), base);
    EXPECT_EQ(m_space.count(), 1u) << "the heap is gone, the other mapping stays";
    EXPECT_EQ(m_space.current_brk(), base);
}

TEST_F(AddressSpaceTest, BrkKeepsTheStackGuardGap)
{
    m_space.set_brk_base(0x10000000);
    ASSERT_TRUE(map(0x10200000, 16 * P, R | W, FIXED_ANON | LINUX_MAP_GROWSDOWN));
    // The stack claims 1 MiB below it, and brk keeps one more page.
    EXPECT_EQ(m_space.brk(0x10100000), 0x10000000u);
    EXPECT_EQ(m_space.brk(0x100ff000), 0x100ff000u);
}

TEST_F(AddressSpaceTest, MremapGrowsInPlaceWhenFree)
{
    ASSERT_TRUE(map(0x100000, 2 * P, R | W));
    Result<RemapResult> r = m_space.mremap(0x100000, 2 * P, 5 * P, 0, 0);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->address, 0x100000u);
    EXPECT_FALSE(r->moved);
    EXPECT_EQ(layout_text(), "100000-105000 rw-\n");
}

TEST_F(AddressSpaceTest, MremapMovesWhenBlockedAndAllowed)
{
    ASSERT_TRUE(map(0x100000, 2 * P, R | W, LINUX_MAP_PRIVATE | LINUX_MAP_FIXED, &g_file_a, 0x8000));
    ASSERT_TRUE(map(0x102000, P, R));
    EXPECT_EQ(m_space.mremap(0x100000, 2 * P, 4 * P, 0, 0).error(), Errno::NOMEM);
    Result<RemapResult> r = m_space.mremap(0x100000, 2 * P, 4 * P, LINUX_MREMAP_MAYMOVE, 0);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->moved);
    EXPECT_EQ(r->address, BASE - 4 * P);
    EXPECT_EQ(r->old_address, 0x100000u);
    EXPECT_EQ(r->moved_length, 2 * P);
    EXPECT_EQ(m_space.find(0x100000), nullptr);
    const Vma* moved = m_space.find(r->address);
    ASSERT_NE(moved, nullptr);
    EXPECT_EQ(moved->end, BASE);
    EXPECT_EQ(moved->file, &g_file_a);
    EXPECT_EQ(moved->file_offset, 0x8000u);
}

TEST_F(AddressSpaceTest, MremapOfPartOfARegionMovesJustThatPart)
{
    ASSERT_TRUE(map(0x100000, 8 * P, R | W));
    Result<RemapResult> r = m_space.mremap(0x102000, 2 * P, 3 * P, LINUX_MREMAP_MAYMOVE, 0);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->moved) << "the old range does not end the region";
    EXPECT_EQ(layout_text(),
        "100000-102000 rw-\n"
        "104000-108000 rw-\n"
        "7fefffffd000-7ff000000000 rw-\n");
}

TEST_F(AddressSpaceTest, MremapShrinkAndFixed)
{
    ASSERT_TRUE(map(0x100000, 8 * P, R | W));
    Recorder removed;
    Result<RemapResult> r = m_space.mremap(0x100000, 8 * P, 3 * P, 0, 0, removed.visitor());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->address, 0x100000u);
    ASSERT_EQ(removed.pieces.size(), 1u);
    EXPECT_EQ(removed.pieces[0].start, 0x103000u);

    ASSERT_TRUE(map(0x200000, 4 * P, R));
    removed.pieces.clear();
    r = m_space.mremap(0x100000, 3 * P, 2 * P, LINUX_MREMAP_MAYMOVE | LINUX_MREMAP_FIXED, 0x201000, removed.visitor());
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->moved);
    EXPECT_EQ(r->address, 0x201000u);
    EXPECT_EQ(r->moved_length, 2 * P);
    ASSERT_EQ(removed.pieces.size(), 2u) << "destination, then the old tail";
    EXPECT_EQ(removed.pieces[0].start, 0x201000u);
    EXPECT_EQ(removed.pieces[0].end, 0x203000u);
    EXPECT_EQ(removed.pieces[1].start, 0x102000u);
    EXPECT_EQ(layout_text(),
        "200000-201000 r--\n"
        "201000-203000 rw-\n"
        "203000-204000 r--\n");
}

TEST_F(AddressSpaceTest, MremapErrors)
{
    ASSERT_TRUE(map(0x100000, 2 * P, R | W));
    EXPECT_EQ(m_space.mremap(0x100000, 2 * P, 4 * P, 8, 0).error(), Errno::INVAL);
    EXPECT_EQ(m_space.mremap(0x100000, 2 * P, 4 * P, LINUX_MREMAP_FIXED, 0x300000).error(), Errno::INVAL);
    EXPECT_EQ(
        m_space.mremap(0x100000, 2 * P, 2 * P, LINUX_MREMAP_MAYMOVE | LINUX_MREMAP_DONTUNMAP, 0).error(), Errno::INVAL);
    EXPECT_EQ(m_space.mremap(0x100800, P, 2 * P, 0, 0).error(), Errno::INVAL);
    EXPECT_EQ(m_space.mremap(0x100000, P, 0, 0, 0).error(), Errno::INVAL);
    EXPECT_EQ(m_space.mremap(0x100000, 0, P, LINUX_MREMAP_MAYMOVE, 0).error(), Errno::INVAL);
    EXPECT_EQ(m_space.mremap(0x300000, P, 2 * P, LINUX_MREMAP_MAYMOVE, 0).error(), Errno::FAULT);
    EXPECT_EQ(m_space.mremap(0x100000, 3 * P, 4 * P, LINUX_MREMAP_MAYMOVE, 0).error(), Errno::FAULT);
    EXPECT_EQ(m_space.mremap(0x100000, 2 * P, 2 * P, LINUX_MREMAP_MAYMOVE | LINUX_MREMAP_FIXED, 0x101000).error(),
        Errno::INVAL)
        << "overlapping destination";
    EXPECT_EQ(
        m_space.mremap(0x300000, P, P, LINUX_MREMAP_MAYMOVE | LINUX_MREMAP_FIXED, 0x400000).error(), Errno::FAULT);
    EXPECT_EQ(m_space.count(), 1u);
}

TEST_F(AddressSpaceTest, MadviseVisitsMappedPiecesForDontNeed)
{
    ASSERT_TRUE(map(0x100000, 2 * P, R | W));
    ASSERT_TRUE(map(0x103000, 2 * P, R));
    Recorder discarded;
    EXPECT_EQ(m_space.madvise(0x101000, 3 * P, LINUX_MADV_DONTNEED, discarded.visitor()).error(), Errno::NOMEM);
    ASSERT_EQ(discarded.pieces.size(), 2u) << "mapped parts are still handled";
    EXPECT_EQ(discarded.pieces[0].start, 0x101000u);
    EXPECT_EQ(discarded.pieces[0].end, 0x102000u);
    EXPECT_EQ(discarded.pieces[1].start, 0x103000u);
    EXPECT_EQ(discarded.pieces[1].end, 0x104000u);
    discarded.pieces.clear();
    EXPECT_TRUE(m_space.madvise(0x100000, 2 * P, LINUX_MADV_WILLNEED, discarded.visitor()));
    EXPECT_TRUE(discarded.pieces.empty());
    EXPECT_TRUE(m_space.madvise(0x100000, 2 * P, LINUX_MADV_FREE, discarded.visitor()));
    EXPECT_EQ(discarded.pieces.size(), 1u);
    EXPECT_EQ(m_space.madvise(0x100000, P, 99).error(), Errno::INVAL);
    EXPECT_EQ(m_space.madvise(0x100000, P, LINUX_MADV_REMOVE).error(), Errno::INVAL);
    EXPECT_EQ(m_space.madvise(0x100001, P, LINUX_MADV_DONTNEED).error(), Errno::INVAL);
    EXPECT_EQ(m_space.madvise(0x100000, ~0ULL, LINUX_MADV_DONTNEED).error(), Errno::INVAL);
    EXPECT_TRUE(m_space.madvise(0x900000, 0, LINUX_MADV_DONTNEED));
    EXPECT_EQ(m_space.count(), 2u) << "madvise never changes regions";
}

TEST_F(AddressSpaceTest, ExpandStackDownwardsWithinLimitAndGap)
{
    uint64_t top = 0x7ffffffde000;
    ASSERT_TRUE(map(top - 32 * P, 32 * P, R | W, FIXED_ANON | LINUX_MAP_GROWSDOWN));
    Result<const Vma*> grown = m_space.expand_stack(top - 40 * P + 5, 8 * 1024 * 1024);
    ASSERT_TRUE(grown);
    EXPECT_EQ((*grown)->start, top - 40 * P);
    EXPECT_EQ(m_space.expand_stack(top - 8 * 1024 * 1024 - P, 8 * 1024 * 1024).error(), Errno::NOMEM);
    EXPECT_EQ(*m_space.expand_stack(top - P, 1), m_space.find(top - P)) << "already inside";
    // Another region 100 pages below: growing to within the guard gap of it fails.
    ASSERT_TRUE(map(top - 200 * P, P, R));
    EXPECT_EQ(m_space.expand_stack(top - 199 * P + 100 * P, 8 * 1024 * 1024).error(), Errno::NOMEM);
    EXPECT_EQ(m_space.expand_stack(top - 300 * P, 8 * 1024 * 1024).error(), Errno::FAULT) << "not a stack above";
    EXPECT_EQ(m_space.expand_stack(0x7fffffffe000, 8 * 1024 * 1024).error(), Errno::FAULT) << "nothing above";
}

TEST_F(AddressSpaceTest, TopDownSearchKeepsTheStackGuardGap)
{
    AddressSpaceLayout layout;
    layout.mmap_base = 0x7fff00000000;
    std::vector<Vma> storage(16);
    AddressSpace space(storage, layout);
    MapRequest stack;
    stack.address = 0x7ffefff00000;
    stack.length = 0x100000;
    stack.prot = R | W;
    stack.flags = FIXED_ANON | LINUX_MAP_GROWSDOWN;
    ASSERT_TRUE(space.mmap(stack));
    MapRequest plain;
    plain.length = P;
    plain.prot = R;
    EXPECT_EQ(*space.mmap(plain), 0x7ffefff00000 - AddressSpace::STACK_GUARD_GAP - P);
    // A hint inside the gap is not honoured either.
    plain.address = 0x7ffefff00000 - P;
    EXPECT_EQ(*space.mmap(plain), 0x7ffefff00000 - AddressSpace::STACK_GUARD_GAP - 2 * P);
}

TEST_F(AddressSpaceTest, FallsBackToBottomUpWhenTopDownIsFull)
{
    AddressSpaceLayout layout;
    layout.mmap_base = 0x100000;
    std::vector<Vma> storage(16);
    AddressSpace space(storage, layout);
    MapRequest request;
    request.length = 0x200000;
    request.prot = R;
    EXPECT_EQ(*space.mmap(request), page_round_up(layout.user_end / 3));
    request.length = 0x80000;
    EXPECT_EQ(*space.mmap(request), 0x100000 - 0x80000) << "what fits below mmap_base still goes there";
}

TEST_F(AddressSpaceTest, Map32BitStaysBetweenOneAndTwoGigabytes)
{
    uint64_t a = *map(0, 0x10000, R | W, ANON | LINUX_MAP_32BIT);
    EXPECT_EQ(a, 0x40000000u);
    EXPECT_EQ(*map(0, 0x10000, R, ANON | LINUX_MAP_32BIT), 0x40010000u);
    EXPECT_EQ(map(0, 0x80000000, R, ANON | LINUX_MAP_32BIT).error(), Errno::NOMEM);
}

TEST_F(SmallAddressSpaceTest, RunningOutOfRegionsIsNoMemWithoutChanges)
{
    ASSERT_TRUE(map(0x100000, 3 * P, R | W));
    ASSERT_TRUE(map(0x110000, P, R));
    ASSERT_TRUE(map(0x120000, P, R | W));
    ASSERT_TRUE(map(0x130000, P, R));
    std::string full = layout_text();
    EXPECT_EQ(map(0x200000, P, R).error(), Errno::NOMEM);
    EXPECT_EQ(map(0, P, R, ANON).error(), Errno::NOMEM);
    // The check ignores merging: even a mapping that would merge is refused.
    EXPECT_EQ(map(0x103000, P, R | W).error(), Errno::NOMEM);
    EXPECT_EQ(m_space.mprotect(0x101000, P, R).error(), Errno::NOMEM) << "a split needs a slot";
    EXPECT_EQ(m_space.munmap(0x101000, P).error(), Errno::NOMEM) << "a hole in the middle needs a slot";
    m_space.set_brk_base(0x500000);
    EXPECT_EQ(m_space.brk(0x502000), 0x500000u);
    EXPECT_EQ(layout_text(), full) << "nothing changed";

    EXPECT_TRUE(map(0x110000, P, R | X)) << "a full replacement needs no new slot";
    EXPECT_TRUE(m_space.mprotect(0x100000, 3 * P, R)) << "a whole region needs no split";
    EXPECT_TRUE(m_space.munmap(0x100000, P)) << "trimming needs no slot";
    EXPECT_EQ(m_space.count(), 4u);
}

TEST_F(AddressSpaceTest, ProcMapsMatchesLinuxByteForByte)
{
    static const int binary = 0;
    MapRequest text;
    text.address = 0x555555554000;
    text.length = 2 * P;
    text.prot = R | X;
    text.flags = LINUX_MAP_PRIVATE | LINUX_MAP_FIXED;
    text.file = &binary;
    text.offset = 0x2000;
    ASSERT_TRUE(m_space.mmap(text));
    m_space.set_brk_base(0x555555560000);
    m_space.brk(0x555555581000);
    ASSERT_TRUE(map(0x7ffff7fc0000, 0x4000, R | W));
    MapRequest shared = text;
    shared.address = 0x7ffff7fd0000;
    shared.length = P;
    shared.prot = R;
    shared.flags = LINUX_MAP_SHARED | LINUX_MAP_FIXED;
    ASSERT_TRUE(m_space.mmap(shared));
    MapRequest stack;
    stack.address = 0x7ffffffde000;
    stack.length = 0x21000;
    stack.prot = R | W;
    stack.flags = FIXED_ANON | LINUX_MAP_GROWSDOWN;
    stack.name = "[stack]";
    ASSERT_TRUE(m_space.mmap(stack));

    FileDescriber files { nullptr, [](void*, const void*) {
                             FileDescription d;
                             d.major = 0xfe;
                             d.minor = 1;
                             d.inode = 247134;
                             d.path = "/usr/bin/cat";
                             return d;
                         } };
    char buffer[1024];
    size_t length = m_space.format_maps(buffer, sizeof(buffer), files);
    std::string expected = "555555554000-555555556000 r-xp 00002000 fe:01 247134                     /usr/bin/cat\n"
                           "555555560000-555555581000 rw-p 00000000 00:00 0                          [heap]\n"
                           "7ffff7fc0000-7ffff7fc4000 rw-p 00000000 00:00 0 \n"
                           "7ffff7fd0000-7ffff7fd1000 r--s 00002000 fe:01 247134                     /usr/bin/cat\n"
                           "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n";
    EXPECT_EQ(std::string(buffer), expected);
    EXPECT_EQ(length, expected.size());
    // The name column is 73, as in fs/proc/task_mmu.c.
    EXPECT_EQ(expected.find("/usr/bin/cat"), 73u);

    char small[40];
    EXPECT_EQ(m_space.format_maps(small, sizeof(small), files), expected.size()) << "snprintf-style length";
    EXPECT_EQ(std::string(small), expected.substr(0, 39));
    EXPECT_EQ(m_space.format_maps(nullptr, 0, files), expected.size());

    Vma low;
    low.start = 0x10000;
    low.end = 0x11000;
    char line[128];
    format_maps_line(low, line, sizeof(line));
    EXPECT_STREQ(line, "00010000-00011000 ---p 00000000 00:00 0 \n") << "eight hex digits at least";
}

namespace {

// The reference model: page -> what a region says about it.
struct PageState {
    uint32_t prot;
    const void* file;
    uint64_t offset;
    bool operator==(const PageState&) const = default;
};

} // namespace

TEST(AddressSpaceModel, RandomOperationsMatchAPageMap)
{
    AddressSpaceLayout layout;
    layout.mmap_base = 0x10000000;
    const uint64_t window_low = layout.mmap_base - 600 * P;
    const uint64_t window_pages = 700; // straddles mmap_base
    for (uint64_t seed : { 1u, 2u, 3u, 42u }) {
        std::vector<Vma> storage(4096);
        AddressSpace space(storage, layout);
        std::map<uint64_t, PageState> model; // page number -> state
        std::mt19937_64 random(seed);
        auto random_page = [&] { return window_low / P + random() % window_pages; };
        for (int step = 0; step < 4000; ++step) {
            uint64_t page = random_page();
            uint64_t count = 1 + random() % 24;
            uint32_t prot = static_cast<uint32_t>(random() % 8);
            const void* file = random() % 3 == 0 ? &g_file_a : nullptr;
            uint64_t offset = (random() % 16) * P;
            switch (random() % 4) {
            case 0: { // MAP_FIXED
                MapRequest request;
                request.address = page * P;
                request.length = count * P;
                request.prot = prot;
                request.flags = LINUX_MAP_PRIVATE | LINUX_MAP_FIXED | (file ? 0 : LINUX_MAP_ANONYMOUS);
                request.file = file;
                request.offset = offset;
                ASSERT_TRUE(space.mmap(request));
                for (uint64_t p = 0; p < count; ++p)
                    model[page + p] = { prot, file, file ? offset + p * P : 0 };
                break;
            }
            case 1: { // top-down or hinted
                MapRequest request;
                request.address = random() % 2 ? page * P : 0;
                request.length = count * P;
                request.prot = prot;
                Result<uint64_t> address = space.mmap(request);
                ASSERT_TRUE(address);
                ASSERT_EQ(*address % P, 0u);
                for (uint64_t p = 0; p < count; ++p) {
                    ASSERT_EQ(model.count(*address / P + p), 0u) << "placed over a mapping";
                    model[*address / P + p] = { prot, nullptr, 0 };
                }
                if (request.address == 0) {
                    // Top-down: nothing free between the new mapping and mmap_base
                    // could have held it.
                    ASSERT_LE(*address + count * P, layout.mmap_base);
                }
                break;
            }
            case 2: {
                ASSERT_TRUE(space.munmap(page * P, count * P));
                for (uint64_t p = 0; p < count; ++p)
                    model.erase(page + p);
                break;
            }
            case 3: {
                bool all_mapped = true;
                for (uint64_t p = 0; p < count; ++p)
                    all_mapped &= model.count(page + p) == 1;
                Result<void> result = space.mprotect(page * P, count * P, prot);
                ASSERT_EQ(result.is_error(), !all_mapped);
                if (all_mapped) {
                    for (uint64_t p = 0; p < count; ++p)
                        model[page + p].prot = prot;
                } else {
                    ASSERT_EQ(result.error(), Errno::NOMEM);
                }
                break;
            }
            }
            // Invariants: sorted, aligned, non-empty, no mergeable neighbours.
            std::span<const Vma> regions = space.regions();
            size_t pages = 0;
            for (size_t i = 0; i < regions.size(); ++i) {
                const Vma& v = regions[i];
                ASSERT_LT(v.start, v.end);
                ASSERT_EQ(v.start % P, 0u);
                ASSERT_EQ(v.end % P, 0u);
                pages += v.size() / P;
                if (i > 0) {
                    const Vma& u = regions[i - 1];
                    ASSERT_LE(u.end, v.start);
                    bool mergeable = u.end == v.start && u.prot == v.prot && u.file == v.file
                        && (u.file == nullptr || u.file_offset + u.size() == v.file_offset);
                    ASSERT_FALSE(mergeable) << "seed " << seed << " step " << step << " at " << std::hex << v.start;
                }
                for (uint64_t a = v.start; a < v.end; a += P) {
                    auto it = model.find(a / P);
                    ASSERT_NE(it, model.end()) << "seed " << seed << " step " << step;
                    PageState state { v.prot, v.file, v.file ? v.file_offset + (a - v.start) : 0 };
                    ASSERT_EQ(it->second, state) << "seed " << seed << " step " << step << " page " << std::hex << a;
                }
            }
            ASSERT_EQ(pages, model.size());
        }
    }
}
