#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <vector>

#include "dev/virtio/blk.h"
#include "dev/virtio/mmio_transport.h"
#include "dev/virtio/pci_transport.h"
#include "virtio_blk_backend.h"
#include "virtio_fake_device.h"

using namespace kiln;
using namespace kiln::virtio;
using namespace kiln::virtio::testing;

namespace {

constexpr uint64_t SECTORS = 64;

struct Completion {
    uint16_t tag;
    Errno error; // 0 = success
};

class VirtioBlkTest : public ::testing::Test {
protected:
    explicit VirtioBlkTest(uint64_t features = BLK_V1 | BLK_FLUSH | BLK_SIZE | BLK_SEG_MAX | BLK_SIZE_MAX, uint16_t queue_max = 128)
        : device(ram, DeviceType::Block, features, sizeof(blk::Config), 1, queue_max)
        , mmio(device)
    {
        blk::Config config {};
        config.capacity = SECTORS;
        config.blk_size = 4096;
        config.seg_max = 126;
        config.size_max = 65536;
        std::memcpy(device.config.data(), &config, sizeof(config));
        const char* why = "";
        transport = MmioTransport::try_create(mmio, {}, why).release_value();
    }
    void start()
    {
        const char* why = "";
        auto r = VirtioBlk::try_create(transport, ram.memory(), why);
        ASSERT_FALSE(r.is_error()) << why;
        disk = r.value();
        auto b = dma_allocate(ram.memory(), 64 * 1024);
        ASSERT_FALSE(b.is_error());
        buffer = b.value();
    }
    void TearDown() override
    {
        dma_release(ram.memory(), buffer);
        VirtioBlk::destroy(disk);
        EXPECT_EQ(ram.pages_in_use(), 0u);
        EXPECT_FALSE(device.failed);
    }
    static void record(void* context, uint16_t tag, Result<void> result)
    {
        static_cast<std::vector<Completion>*>(context)->push_back(
            { tag, result.is_error() ? result.error() : static_cast<Errno>(0) });
    }
    BlockRequest request(BlockOperation op, uint64_t sector, std::vector<Segment>& segments)
    {
        BlockRequest r;
        r.operation = op;
        r.sector = sector;
        r.buffers = segments;
        r.completion = &VirtioBlkTest::record;
        r.context = &completions;
        return r;
    }
    Segment seg(size_t offset, uint32_t length) { return Segment { buffer.physical + offset, length }; }

    FakeRam ram;
    FakeDevice device;
    FakeMmio mmio;
    MmioTransport transport;
    BlkBackend backend { device, SECTORS };
    VirtioBlk* disk = nullptr;
    DmaRegion buffer;
    std::vector<Completion> completions;
};

} // namespace

TEST_F(VirtioBlkTest, ReadsGeometryAndFeatures)
{
    start();
    EXPECT_EQ(disk->capacity_sectors(), SECTORS);
    EXPECT_EQ(disk->size_bytes(), SECTORS * 512);
    EXPECT_EQ(disk->block_size(), 4096u);
    EXPECT_FALSE(disk->read_only());
    EXPECT_TRUE(disk->has_flush());
    EXPECT_EQ(disk->max_segments(), 64u) << "min(MAX_SEGMENTS, seg_max)";
    EXPECT_EQ(device.driver_features, BLK_V1 | BLK_FLUSH | BLK_SIZE | BLK_SEG_MAX | BLK_SIZE_MAX);
    EXPECT_NE(device.status & status::DRIVER_OK, 0);
}

TEST_F(VirtioBlkTest, ReadFillsTheCallersBuffer)
{
    start();
    std::vector<Segment> segs { seg(0, 1024) };
    auto tag = disk->submit(request(BlockOperation::Read, 3, segs));
    ASSERT_FALSE(tag.is_error());
    EXPECT_EQ(device.queues[0].notifications, 1);
    auto taken = backend.take();
    ASSERT_EQ(taken.size(), 1u);
    EXPECT_EQ(taken[0].header.type, blk::T_IN);
    EXPECT_EQ(taken[0].header.sector, 3u);
    EXPECT_EQ(taken[0].chain.readable.size(), 1u) << "only the header is device-readable";
    EXPECT_EQ(disk->poll_completions(), 0u);
    backend.complete(taken[0]);
    EXPECT_EQ(disk->poll_completions(), 1u);
    ASSERT_EQ(completions.size(), 1u);
    EXPECT_EQ(completions[0].tag, tag.value());
    EXPECT_EQ(completions[0].error, static_cast<Errno>(0));
    EXPECT_EQ(0, std::memcmp(buffer.pointer, backend.disk.data() + 3 * 512, 1024));
    EXPECT_EQ(disk->in_flight(), 0u);
}

TEST_F(VirtioBlkTest, WriteScatterGatherReachesTheDisk)
{
    start();
    for (size_t i = 0; i < 2048; ++i)
        buffer.pointer[i] = static_cast<uint8_t>(0xc0 ^ i);
    std::vector<Segment> segs { seg(0, 512), seg(1024, 1024), seg(512, 512) };
    ASSERT_FALSE(disk->submit(request(BlockOperation::Write, 10, segs)).is_error());
    auto taken = backend.take();
    EXPECT_EQ(taken[0].header.type, blk::T_OUT);
    EXPECT_EQ(taken[0].chain.readable.size(), 4u);
    EXPECT_EQ(taken[0].chain.writable.size(), 1u);
    backend.complete(taken[0]);
    disk->poll_completions();
    EXPECT_EQ(0, std::memcmp(backend.disk.data() + 10 * 512, buffer.pointer, 512));
    EXPECT_EQ(0, std::memcmp(backend.disk.data() + 11 * 512, buffer.pointer + 1024, 1024));
    EXPECT_EQ(0, std::memcmp(backend.disk.data() + 13 * 512, buffer.pointer + 512, 512));
}

TEST_F(VirtioBlkTest, ManyRequestsInFlightCompleteInAnyOrder)
{
    start();
    std::vector<std::vector<Segment>> segs;
    for (int i = 0; i < 8; ++i)
        segs.push_back({ seg(i * 512, 512) });
    std::map<uint16_t, int> sector_of;
    for (int i = 0; i < 8; ++i) {
        auto tag = disk->submit(request(BlockOperation::Read, i * 2, segs[i]));
        ASSERT_FALSE(tag.is_error());
        sector_of[tag.value()] = i * 2;
    }
    EXPECT_EQ(sector_of.size(), 8u) << "distinct tags";
    EXPECT_EQ(disk->in_flight(), 8u);
    auto taken = backend.take();
    ASSERT_EQ(taken.size(), 8u);
    for (int i = 7; i >= 0; --i)
        backend.complete(taken[i]);
    EXPECT_EQ(disk->poll_completions(), 8u);
    ASSERT_EQ(completions.size(), 8u);
    EXPECT_EQ(sector_of[completions[0].tag], 14) << "the device finished the last one first";
    for (int i = 0; i < 8; ++i)
        EXPECT_EQ(0, std::memcmp(buffer.pointer + i * 512, backend.disk.data() + i * 2 * 512, 512)) << i;
    EXPECT_EQ(disk->stats().max_in_flight, 8u) << "the high-water mark outlives the requests";
}

TEST_F(VirtioBlkTest, LaterSubmissionsReachTheDeviceTogetherAtKick)
{
    start();
    std::vector<Segment> segs { seg(0, 512) };
    for (int i = 0; i < 3; ++i)
        ASSERT_FALSE(disk->submit(request(BlockOperation::Read, i, segs), Kick::Later).is_error());
    EXPECT_EQ(device.available_count(blk::REQUESTQ), 0u) << "not visible before the kick";
    EXPECT_EQ(device.queues[0].notifications, 0);
    disk->kick();
    EXPECT_EQ(device.available_count(blk::REQUESTQ), 3u);
    EXPECT_EQ(device.queues[0].notifications, 1) << "one notification for the batch";
    backend.run();
    EXPECT_EQ(disk->poll_completions(), 3u);
}

TEST_F(VirtioBlkTest, DeviceErrorsBecomeErrnoValues)
{
    start();
    std::vector<Segment> segs { seg(0, 512) };
    for (int i = 0; i < 3; ++i)
        ASSERT_FALSE(disk->submit(request(BlockOperation::Read, 0, segs)).is_error());
    auto taken = backend.take();
    backend.complete(taken[0], blk::S_IOERR);
    backend.complete(taken[1], blk::S_UNSUPP);
    backend.complete(taken[2], 0x100); // status never written
    disk->poll_completions();
    ASSERT_EQ(completions.size(), 3u);
    EXPECT_EQ(completions[0].error, Errno::IO);
    EXPECT_EQ(completions[1].error, Errno::OPNOTSUPP);
    EXPECT_EQ(completions[2].error, Errno::IO);
    EXPECT_EQ(disk->stats().errors, 3u);
}

TEST_F(VirtioBlkTest, FlushGoesToTheDeviceWhenNegotiated)
{
    start();
    std::vector<Segment> none;
    ASSERT_FALSE(disk->submit(request(BlockOperation::Flush, 99, none)).is_error());
    auto taken = backend.take();
    ASSERT_EQ(taken.size(), 1u);
    EXPECT_EQ(taken[0].header.type, blk::T_FLUSH);
    EXPECT_EQ(taken[0].header.sector, 0u) << "5.2.6: unused for flush, set to 0";
    EXPECT_EQ(taken[0].chain.readable.size(), 1u);
    EXPECT_EQ(taken[0].chain.writable.size(), 1u);
    backend.complete(taken[0]);
    disk->poll_completions();
    EXPECT_EQ(backend.flushes, 1);
    EXPECT_EQ(completions.size(), 1u);
}

TEST_F(VirtioBlkTest, BadRequestsFailAtSubmitAndNeverComplete)
{
    start();
    std::vector<Segment> none;
    std::vector<Segment> odd { seg(0, 100) };
    std::vector<Segment> one { seg(0, 512) };
    std::vector<Segment> too_long { seg(0, 65536 + 512) };
    std::vector<Segment> zero { seg(0, 0) };
    std::vector<Segment> many(65, seg(0, 512));
    EXPECT_EQ(disk->submit(request(BlockOperation::Read, 0, none)).error(), Errno::INVAL);
    EXPECT_EQ(disk->submit(request(BlockOperation::Read, 0, odd)).error(), Errno::INVAL);
    EXPECT_EQ(disk->submit(request(BlockOperation::Read, SECTORS, one)).error(), Errno::INVAL);
    EXPECT_EQ(disk->submit(request(BlockOperation::Read, UINT64_MAX, one)).error(), Errno::INVAL);
    EXPECT_EQ(disk->submit(request(BlockOperation::Read, 0, too_long)).error(), Errno::INVAL) << "size_max";
    EXPECT_EQ(disk->submit(request(BlockOperation::Read, 0, zero)).error(), Errno::INVAL);
    EXPECT_EQ(disk->submit(request(BlockOperation::Read, 0, many)).error(), Errno::INVAL);
    EXPECT_EQ(disk->submit(request(BlockOperation::Flush, 0, one)).error(), Errno::INVAL);
    auto no_completion = request(BlockOperation::Read, 0, one);
    no_completion.completion = nullptr;
    EXPECT_EQ(disk->submit(no_completion).error(), Errno::INVAL);
    EXPECT_FALSE(disk->submit(request(BlockOperation::Read, SECTORS - 1, one)).is_error()) << "last sector";
    backend.run();
    disk->poll_completions();
    EXPECT_EQ(completions.size(), 1u);
}

class VirtioBlkLargeQueueTest : public VirtioBlkTest {
protected:
    VirtioBlkLargeQueueTest()
        : VirtioBlkTest(BLK_V1 | BLK_FLUSH, 256)
    {
    }
};

TEST_F(VirtioBlkLargeQueueTest, MoreThanMaxRequestsSayAgain)
{
    start();
    std::vector<Segment> one { seg(0, 512) };
    for (int i = 0; i < VirtioBlk::MAX_REQUESTS; ++i)
        ASSERT_FALSE(disk->submit(request(BlockOperation::Read, 0, one)).is_error()) << i;
    EXPECT_EQ(disk->submit(request(BlockOperation::Read, 0, one)).error(), Errno::AGAIN);
    backend.run();
    EXPECT_EQ(disk->poll_completions(1), 1u);
    EXPECT_FALSE(disk->submit(request(BlockOperation::Read, 0, one)).is_error());
    backend.run();
    disk->poll_completions();
    EXPECT_EQ(completions.size(), VirtioBlk::MAX_REQUESTS + 1u);
}

TEST_F(VirtioBlkTest, RingFullOfSmallRequestsSaysAgain)
{
    start();
    // 128 descriptors, 3 per request (header, data, status): 42 fit.
    std::vector<Segment> one { seg(0, 512) };
    for (int i = 0; i < 42; ++i)
        ASSERT_FALSE(disk->submit(request(BlockOperation::Read, 0, one)).is_error()) << i;
    EXPECT_EQ(disk->submit(request(BlockOperation::Read, 0, one)).error(), Errno::AGAIN);
    EXPECT_EQ(disk->in_flight(), 42u) << "the refused request holds no slot";
    backend.run();
    EXPECT_EQ(disk->poll_completions(), 42u);
}

TEST_F(VirtioBlkTest, RingFullOfLargeRequestsSaysAgain)
{
    start();
    // 128 descriptors; a 62-segment request takes 64 of them.
    std::vector<Segment> big(62, seg(0, 512));
    ASSERT_FALSE(disk->submit(request(BlockOperation::Read, 0, big)).is_error());
    ASSERT_FALSE(disk->submit(request(BlockOperation::Read, 0, big)).is_error());
    EXPECT_EQ(disk->submit(request(BlockOperation::Read, 0, big)).error(), Errno::AGAIN);
    backend.run();
    disk->poll_completions();
    EXPECT_EQ(completions.size(), 2u);
}

TEST_F(VirtioBlkTest, CompletionMaySubmitTheNextRequest)
{
    start();
    struct Chain {
        VirtioBlk* disk;
        Segment segment;
        int remaining;
        int done = 0;
    } chain { nullptr, seg(0, 512), 5 };
    chain.disk = disk;
    BlockRequest r;
    r.operation = BlockOperation::Read;
    r.buffers = std::span(&chain.segment, 1);
    r.context = &chain;
    r.completion = [](void* context, uint16_t, Result<void> result) {
        auto* c = static_cast<Chain*>(context);
        EXPECT_FALSE(result.is_error());
        ++c->done;
        if (--c->remaining > 0) {
            BlockRequest next;
            next.buffers = std::span(&c->segment, 1);
            next.context = c;
            next.completion = [](void* ctx, uint16_t, Result<void>) { ++static_cast<Chain*>(ctx)->done; };
            EXPECT_FALSE(c->disk->submit(next).is_error());
        }
    };
    ASSERT_FALSE(disk->submit(r).is_error());
    backend.run();
    disk->poll_completions();
    backend.run();
    disk->poll_completions();
    EXPECT_EQ(chain.done, 2);
}

TEST_F(VirtioBlkTest, InterruptAcknowledgesAndRecords)
{
    start();
    std::vector<Segment> one { seg(0, 512) };
    ASSERT_FALSE(disk->submit(request(BlockOperation::Read, 0, one)).is_error());
    backend.run();
    disk->on_interrupt();
    EXPECT_EQ(device.interrupt_status, 0u);
    EXPECT_EQ(disk->take_interrupt_status(), mmio::INTERRUPT_USED_BUFFER);
    EXPECT_EQ(disk->poll_completions(), 1u);
}

class VirtioBlkReadOnlyTest : public VirtioBlkTest {
protected:
    VirtioBlkReadOnlyTest()
        : VirtioBlkTest(BLK_V1 | BLK_RO | BLK_EVENT_IDX)
    {
    }
};

TEST_F(VirtioBlkReadOnlyTest, RejectsWritesAndFlushesAtOnceWithoutTheFlushFeature)
{
    start();
    EXPECT_TRUE(disk->read_only());
    EXPECT_FALSE(disk->has_flush());
    EXPECT_EQ(disk->block_size(), 512u) << "no BLK_SIZE: 512";
    std::vector<Segment> one { seg(0, 512) };
    EXPECT_EQ(disk->submit(request(BlockOperation::Write, 0, one)).error(), Errno::ROFS);
    std::vector<Segment> none;
    auto tag = disk->submit(request(BlockOperation::Flush, 0, none));
    ASSERT_FALSE(tag.is_error());
    EXPECT_TRUE(completions.empty()) << "never from submit()";
    EXPECT_TRUE(backend.take().empty()) << "write-through device: nothing to send";
    EXPECT_EQ(disk->poll_completions(), 1u);
    ASSERT_EQ(completions.size(), 1u);
    EXPECT_EQ(completions[0].tag, tag.value());
    EXPECT_EQ(completions[0].error, static_cast<Errno>(0));
    // Reads still work, with event-index notifications.
    ASSERT_FALSE(disk->submit(request(BlockOperation::Read, 1, one)).is_error());
    backend.run();
    EXPECT_EQ(disk->poll_completions(), 1u);
    EXPECT_EQ(0, std::memcmp(buffer.pointer, backend.disk.data() + 512, 512));
}

TEST(VirtioBlkPci, ReadsOverTheModernPciTransport)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Block, BLK_V1 | BLK_FLUSH, sizeof(blk::Config), 1);
    uint64_t capacity = SECTORS;
    std::memcpy(device.config.data(), &capacity, 8);
    FakePci pci(device);
    const char* why = "";
    auto transport = PciTransport::try_create(pci, pci.function(), pci, why).release_value();
    auto disk = VirtioBlk::try_create(transport, ram.memory(), why);
    ASSERT_FALSE(disk.is_error()) << why;
    EXPECT_EQ(disk.value()->capacity_sectors(), SECTORS);
    auto page = dma_allocate(ram.memory(), 4096).release_value();
    Segment s { page.physical, 512 };
    bool done = false;
    BlockRequest r;
    r.buffers = std::span(&s, 1);
    r.context = &done;
    r.completion = [](void* c, uint16_t, Result<void> result) { *static_cast<bool*>(c) = !result.is_error(); };
    ASSERT_FALSE(disk.value()->submit(r).is_error());
    BlkBackend backend(device, SECTORS);
    backend.run();
    disk.value()->poll_completions();
    EXPECT_TRUE(done);
    EXPECT_EQ(0, std::memcmp(page.pointer, backend.disk.data(), 512));
    dma_release(ram.memory(), page);
    VirtioBlk::destroy(disk.value());
    EXPECT_EQ(ram.pages_in_use(), 0u);
}

TEST(VirtioBlkFailures, OutOfMemoryLeaksNothing)
{
    for (int allowed = 0; allowed < 2; ++allowed) {
        FakeRam ram;
        FakeDevice device(ram, DeviceType::Block, BLK_V1, sizeof(blk::Config), 1);
        FakeMmio mmio(device);
        const char* why = "";
        auto transport = MmioTransport::try_create(mmio, {}, why).release_value();
        ram.fail_after(allowed);
        EXPECT_EQ(VirtioBlk::try_create(transport, ram.memory(), why).error(), Errno::NOMEM);
        EXPECT_NE(device.status & status::FAILED, 0);
        EXPECT_EQ(ram.pages_in_use(), 0u);
    }
}
