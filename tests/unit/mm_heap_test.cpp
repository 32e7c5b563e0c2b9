#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "mm/heap.h"
#include "mm/physical_allocator.h"

using namespace kiln;
using namespace kiln::mm;

namespace {

constexpr uint64_t MiB = 1024 * 1024;

class HeapTest : public ::testing::Test {
protected:
    explicit HeapTest(uint64_t ram_bytes = 16 * MiB, bool poison = false)
        : m_bytes(static_cast<uint8_t*>(std::aligned_alloc(PAGE_SIZE, ram_bytes)), &std::free)
        , m_memory(reinterpret_cast<uintptr_t>(m_bytes.get()))
        , m_allocator(make_allocator(ram_bytes))
        , m_baseline(m_allocator.free_pages())
        , m_heap(m_memory, m_allocator.frame_source(), options(poison))
    {
    }

    PhysicalAllocator make_allocator(uint64_t ram_bytes)
    {
        std::vector<MemoryRange> ram { { 0, ram_bytes } };
        std::vector<MemoryRange> reserved;
        return PhysicalAllocator::try_create(ram, reserved, m_memory).release_value();
    }

    HeapOptions options(bool poison)
    {
        HeapOptions o;
        o.poison_on_free = poison;
        o.context = &m_reports;
        o.corruption = [](void* context, const char* what, const void*) {
            static_cast<std::vector<std::string>*>(context)->push_back(what);
        };
        return o;
    }

    std::unique_ptr<uint8_t, decltype(&std::free)> m_bytes;
    PhysicalMemory m_memory;
    PhysicalAllocator m_allocator;
    size_t m_baseline;
    std::vector<std::string> m_reports;
    Heap m_heap;
};

class PoisoningHeapTest : public HeapTest {
protected:
    PoisoningHeapTest()
        : HeapTest(16 * MiB, true)
    {
    }
};

class TinyHeapTest : public HeapTest {
protected:
    TinyHeapTest()
        : HeapTest(1 * MiB + 8 * PAGE_SIZE)
    {
    }
};

} // namespace

TEST(HeapClasses, SizesRoundUpToTheirClass)
{
    EXPECT_EQ(Heap::class_size(0), 16u);
    EXPECT_EQ(Heap::class_size(1), 16u);
    EXPECT_EQ(Heap::class_size(16), 16u);
    EXPECT_EQ(Heap::class_size(17), 32u);
    EXPECT_EQ(Heap::class_size(1000), 1008u);
    EXPECT_EQ(Heap::class_size(1025), 1344u);
    EXPECT_EQ(Heap::class_size(Heap::MAX_SMALL), Heap::MAX_SMALL);
    EXPECT_EQ(Heap::class_size(Heap::MAX_SMALL + 1), 0u) << "large";
}

TEST_F(HeapTest, SmallBlocksAreAlignedDistinctAndSized)
{
    std::vector<uint8_t*> blocks;
    for (size_t size : { 0, 1, 8, 16, 24, 100, 200, 500, 1000, 2000, 2016 }) {
        auto* block = static_cast<uint8_t*>(m_heap.allocate(size));
        ASSERT_NE(block, nullptr);
        EXPECT_EQ(reinterpret_cast<uintptr_t>(block) % 16, 0u);
        EXPECT_NE(reinterpret_cast<uintptr_t>(block) % PAGE_SIZE, 0u);
        EXPECT_EQ(m_heap.usable_size(block), Heap::class_size(size));
        std::memset(block, static_cast<int>(blocks.size()), m_heap.usable_size(block));
        blocks.push_back(block);
    }
    for (size_t i = 0; i < blocks.size(); ++i) {
        for (size_t j = 0; j < m_heap.usable_size(blocks[i]); ++j)
            ASSERT_EQ(blocks[i][j], i) << "blocks overlap";
    }
    EXPECT_EQ(m_heap.stats().small_blocks, blocks.size());
    for (uint8_t* b : blocks)
        m_heap.free(b);
    EXPECT_EQ(m_heap.stats().small_blocks, 0u);
    EXPECT_EQ(m_heap.stats().small_bytes, 0u);
    EXPECT_TRUE(m_reports.empty());
}

TEST_F(HeapTest, SlabsFillThenEmptyOnesGoBackExceptOnePerClass)
{
    std::vector<void*> blocks;
    for (int i = 0; i < 1000; ++i)
        blocks.push_back(m_heap.allocate(64));
    // 63 blocks of 64 bytes fit a slab after its 64-byte header.
    EXPECT_EQ(m_heap.stats().slab_pages, (1000 + 62) / 63);
    EXPECT_EQ(m_allocator.free_pages(), m_baseline - m_heap.stats().slab_pages);
    for (void* b : blocks)
        m_heap.free(b);
    EXPECT_EQ(m_heap.stats().slab_pages, 1u);
    EXPECT_EQ(m_allocator.free_pages(), m_baseline - 1);
    // The kept slab is reused.
    void* again = m_heap.allocate(60);
    EXPECT_EQ(m_allocator.free_pages(), m_baseline - 1);
    m_heap.free(again);
}

TEST_F(HeapTest, LargeBlocksAreWholePagesAndGoBackOnFree)
{
    auto* block = static_cast<uint8_t*>(m_heap.allocate(5000));
    ASSERT_NE(block, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(block) % 64, 0u);
    EXPECT_EQ(m_heap.usable_size(block), 2 * PAGE_SIZE - Heap::HEADER_SIZE);
    EXPECT_EQ(m_allocator.free_pages(), m_baseline - 2);
    std::memset(block, 0xab, 5000);
    auto* exact = static_cast<uint8_t*>(m_heap.allocate(PAGE_SIZE - Heap::HEADER_SIZE));
    EXPECT_EQ(m_heap.stats().large_pages, 3u) << "a page minus the header fits one page";
    m_heap.free(block);
    m_heap.free(exact);
    EXPECT_EQ(m_allocator.free_pages(), m_baseline);
    EXPECT_EQ(m_heap.stats().large_blocks, 0u);
    EXPECT_EQ(m_heap.allocate(SIZE_MAX), nullptr);
    EXPECT_EQ(m_heap.allocate(SIZE_MAX - 100), nullptr);
    EXPECT_EQ(m_heap.allocate(64 * MiB), nullptr) << "more than RAM";
    EXPECT_TRUE(m_reports.empty());
}

TEST_F(HeapTest, BadFreesAreReportedAndIgnored)
{
    auto* a = static_cast<uint8_t*>(m_heap.allocate(32));
    auto* b = static_cast<uint8_t*>(m_heap.allocate(32));
    m_heap.free(nullptr);
    EXPECT_TRUE(m_reports.empty());
    m_heap.free(a);
    m_heap.free(a);
    ASSERT_EQ(m_reports.size(), 1u);
    EXPECT_EQ(m_reports[0], "heap: double free");
    m_heap.free(b + 8);
    EXPECT_EQ(m_reports.back(), "heap: free of a pointer inside a block");
    uint8_t* page = reinterpret_cast<uint8_t*>(reinterpret_cast<uintptr_t>(b) & ~PAGE_OFFSET_MASK);
    m_heap.free(page + 16);
    EXPECT_EQ(m_reports.back(), "heap: free of a pointer the heap did not return");
    alignas(4096) static uint8_t foreign[2 * 4096];
    m_heap.free(foreign + 4096 + 64);
    EXPECT_EQ(m_reports.size(), 4u);
    // The double free did not put `a` on the free list twice.
    void* x = m_heap.allocate(32);
    void* y = m_heap.allocate(32);
    EXPECT_NE(x, y);
    EXPECT_EQ(m_heap.usable_size(a + 1), 0u);
    auto* large = static_cast<uint8_t*>(m_heap.allocate(10000));
    m_heap.free(large + 64);
    EXPECT_EQ(m_reports.size(), 5u) << "interior pointer of a large block";
    m_heap.free(large);
    m_heap.free(b);
    m_heap.free(x);
    m_heap.free(y);
}

TEST_F(PoisoningHeapTest, FreedBlocksArePoisonedAndZeroedAllocationsAreZero)
{
    auto* block = static_cast<uint8_t*>(m_heap.allocate(48));
    std::memset(block, 0x11, 48);
    auto* keep = m_heap.allocate(48); // keeps the slab alive after the free
    m_heap.free(block);
    for (size_t i = 0; i < 48; ++i)
        ASSERT_EQ(block[i], 0xdf);
    auto* zeroed = static_cast<uint8_t*>(m_heap.allocate_zeroed(40));
    EXPECT_EQ(zeroed, block) << "the freed slot is reused";
    for (size_t i = 0; i < 40; ++i)
        ASSERT_EQ(zeroed[i], 0);
    m_heap.free(zeroed);
    m_heap.free(keep);
}

TEST_F(TinyHeapTest, OutOfMemoryIsNullptrAndRecovers)
{
    std::vector<void*> blocks;
    while (void* b = m_heap.allocate(2016))
        blocks.push_back(b);
    EXPECT_EQ(m_allocator.free_pages(), 0u);
    EXPECT_EQ(blocks.size(), 2 * m_heap.stats().slab_pages);
    EXPECT_EQ(m_heap.allocate(16), nullptr) << "no page for a new class";
    EXPECT_EQ(m_heap.allocate_zeroed(16), nullptr);
    EXPECT_EQ(m_heap.allocate(3000), nullptr);
    m_heap.free(blocks.back());
    blocks.pop_back();
    EXPECT_NE(m_heap.allocate(2000), nullptr) << "the freed slot";
    EXPECT_TRUE(m_reports.empty());
}

TEST_F(HeapTest, KernelHeapIsSetOnce)
{
    Heap* previous = kernel_heap();
    set_kernel_heap(&m_heap);
    EXPECT_EQ(kernel_heap(), &m_heap);
    set_kernel_heap(previous);
}

TEST_F(HeapTest, RandomAllocationsNeverOverlapAndKeepTheirContents)
{
    std::mt19937_64 random(99);
    struct Block {
        uint8_t* pointer;
        size_t size;
        uint8_t fill;
    };
    std::vector<Block> live;
    for (int step = 0; step < 40000; ++step) {
        if (live.empty() || random() % 100 < 55) {
            size_t size = random() % 8 == 0 ? 2017 + random() % 20000 : random() % 2017;
            auto* p = static_cast<uint8_t*>(m_heap.allocate(size));
            ASSERT_NE(p, nullptr);
            uint8_t fill = static_cast<uint8_t>(random());
            std::memset(p, fill, size);
            live.push_back({ p, size, fill });
        } else {
            size_t i = random() % live.size();
            Block block = live[i];
            for (size_t j = 0; j < block.size; ++j)
                ASSERT_EQ(block.pointer[j], block.fill) << "block overwritten at step " << step;
            m_heap.free(block.pointer);
            live[i] = live.back();
            live.pop_back();
        }
    }
    for (Block& block : live)
        m_heap.free(block.pointer);
    EXPECT_TRUE(m_reports.empty());
    EXPECT_EQ(m_heap.stats().large_pages, 0u);
    EXPECT_LE(m_heap.stats().slab_pages, Heap::CLASS_COUNT);
    EXPECT_EQ(m_allocator.free_pages(), m_baseline - m_heap.stats().slab_pages);
}
