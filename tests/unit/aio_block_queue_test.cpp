// The AIO block queue against the fake virtio-blk device: many requests on the device at
// once, windows and iovecs, the kernel-side wait when the device is full, errors,
// cancellation, and that every bounce page comes back.

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "dev/virtio/blk.h"
#include "dev/virtio/mmio_transport.h"
#include "fs/aio/block_queue.h"
#include "virtio_blk_backend.h"
#include "virtio_fake_device.h"

using namespace kiln;
using namespace kiln::aio;
using namespace kiln::virtio;
using namespace kiln::virtio::testing;

namespace {

constexpr uint64_t SECTORS = 4096; // 2 MiB
constexpr uint64_t WINDOW = BlockQueue::MAX_WINDOW_PAGES * 4096;

// User memory stand-in: host pointers, except one range that is "not mapped".
uint64_t g_hole = 0;
size_t g_hole_length = 0;

bool in_hole(uint64_t address, size_t length) { return address < g_hole + g_hole_length && g_hole < address + length; }

Result<void> store(uint64_t address, const void* source, size_t length)
{
    if (in_hole(address, length))
        return Errno::FAULT;
    std::memcpy(reinterpret_cast<void*>(address), source, length);
    return {};
}

Result<void> load(void* destination, uint64_t address, size_t length)
{
    if (in_hole(address, length))
        return Errno::FAULT;
    std::memcpy(destination, reinterpret_cast<const void*>(address), length);
    return {};
}

// One request and what became of it.
struct TestIo {
    BlockIo io;
    std::vector<IoVector> vectors;
    bool finished = false;
    int64_t result = 0;
    std::vector<TestIo*>* finish_order = nullptr;
};

class AioBlockQueueTest : public ::testing::Test {
protected:
    explicit AioBlockQueueTest(uint16_t queue_max = 256, uint64_t extra_features = 0)
        : device(ram, DeviceType::Block, BLK_V1 | BLK_FLUSH | BLK_SEG_MAX | BLK_SIZE_MAX | extra_features, sizeof(blk::Config), 1,
            queue_max)
        , mmio(device)
    {
        blk::Config config {};
        config.capacity = SECTORS;
        config.seg_max = 126;
        config.size_max = 65536;
        std::memcpy(device.config.data(), &config, sizeof(config));
        const char* why = "";
        transport = MmioTransport::try_create(mmio, {}, why).release_value();
        disk = VirtioBlk::try_create(transport, ram.memory(), why).release_value();
        pages_before = ram.pages_in_use();
        queue = std::make_unique<BlockQueue>(*disk, ram.memory(), BufferAccess { store, load });
    }
    void TearDown() override
    {
        g_hole = 0;
        g_hole_length = 0;
        EXPECT_TRUE(queue->idle());
        EXPECT_EQ(ram.pages_in_use(), pages_before) << "every bounce page returned";
        queue.reset();
        VirtioBlk::destroy(disk);
        EXPECT_FALSE(device.failed);
    }

    // A request over `buffers` (each a host buffer the test owns).
    std::unique_ptr<TestIo> make_io(BlockIoKind kind, uint64_t offset, std::vector<std::vector<uint8_t>*> buffers)
    {
        auto t = std::make_unique<TestIo>();
        uint64_t length = 0;
        for (auto* b : buffers) {
            t->vectors.push_back(IoVector { reinterpret_cast<uint64_t>(b->data()), b->size() });
            length += b->size();
        }
        t->io.kind = kind;
        t->io.offset = offset;
        t->io.length = length;
        t->io.vectors = t->vectors.data();
        t->io.vector_count = static_cast<uint32_t>(t->vectors.size());
        t->io.owner = t.get();
        t->finish_order = &finish_order;
        t->io.finished = [](BlockIo* io, int64_t result) {
            auto* t = static_cast<TestIo*>(io->owner);
            EXPECT_FALSE(t->finished) << "finished twice";
            t->finished = true;
            t->result = result;
            t->finish_order->push_back(t);
        };
        return t;
    }
    const uint8_t* on_disk(uint64_t offset) { return backend.disk.data() + offset; }

    FakeRam ram;
    FakeDevice device;
    FakeMmio mmio;
    MmioTransport transport;
    BlkBackend backend { device, SECTORS };
    VirtioBlk* disk = nullptr;
    size_t pages_before = 0;
    std::unique_ptr<BlockQueue> queue;
    std::vector<TestIo*> finish_order;
};

std::vector<uint8_t> pattern(size_t length, uint8_t seed)
{
    std::vector<uint8_t> v(length);
    for (size_t i = 0; i < length; ++i)
        v[i] = static_cast<uint8_t>(seed * 31 + i * 7 + (i >> 9));
    return v;
}

} // namespace

TEST_F(AioBlockQueueTest, ThirtyTwoReadsAreOnTheDeviceAtOnce)
{
    std::vector<std::vector<uint8_t>> buffers(32, std::vector<uint8_t>(4096));
    std::vector<std::unique_ptr<TestIo>> ios;
    for (int i = 0; i < 32; ++i) {
        uint64_t offset = static_cast<uint64_t>((i * 37) % 500) * 4096 % (SECTORS * 512 - 4096);
        ios.push_back(make_io(BlockIoKind::Read, offset, { &buffers[i] }));
        queue->start(ios.back()->io, Kick::Later);
    }
    EXPECT_EQ(device.available_count(blk::REQUESTQ), 0u) << "invisible until the kick";
    queue->kick();
    EXPECT_EQ(device.queues[0].notifications, 1) << "one notification for the batch";
    auto taken = backend.take();
    ASSERT_EQ(taken.size(), 32u) << "nothing waited for an earlier request";
    EXPECT_EQ(disk->stats().max_in_flight, 32u);
    EXPECT_EQ(queue->windows_in_use(), 32u);
    for (int i = 31; i >= 0; --i)
        backend.complete(taken[i]);
    EXPECT_EQ(queue->poll(), 32u);
    EXPECT_EQ(finish_order.front(), ios[31].get()) << "events in completion order";
    for (int i = 0; i < 32; ++i) {
        EXPECT_EQ(ios[i]->result, 4096) << i;
        EXPECT_EQ(0, std::memcmp(buffers[i].data(), on_disk(ios[i]->io.offset), 4096)) << i;
    }
}

TEST_F(AioBlockQueueTest, FinishedRunsOnlyFromPoll)
{
    std::vector<uint8_t> buffer(512);
    auto io = make_io(BlockIoKind::Read, 0, { &buffer });
    queue->start(io->io);
    backend.run();
    disk->poll_completions(); // someone else (a blocking read) collecting the device
    EXPECT_FALSE(io->finished);
    EXPECT_FALSE(queue->idle());
    EXPECT_EQ(queue->poll(), 1u);
    EXPECT_EQ(io->result, 512);
}

TEST_F(AioBlockQueueTest, LargeVectoredWriteIsCutIntoWindows)
{
    // 200 KiB from three iovecs of uneven lengths: windows of 64 KiB cut across them.
    auto a = pattern(1000, 1), b = pattern(150000, 2), c = pattern(204800 - 151000, 3);
    auto io = make_io(BlockIoKind::Write, 8 * 512, { &a, &b, &c });
    queue->start(io->io);
    EXPECT_EQ(device.queues[0].notifications, 1) << "the windows of one request reach the device together";
    auto taken = backend.take();
    ASSERT_EQ(taken.size(), 4u) << "64 + 64 + 64 + 8 KiB";
    for (size_t i = 0; i < taken.size(); ++i) {
        EXPECT_EQ(taken[i].header.type, blk::T_OUT);
        EXPECT_EQ(taken[i].header.sector, 8 + i * WINDOW / 512);
    }
    for (auto& t : taken)
        backend.complete(t);
    queue->poll();
    ASSERT_TRUE(io->finished);
    EXPECT_EQ(io->result, 204800);
    EXPECT_EQ(0, std::memcmp(on_disk(4096), a.data(), a.size()));
    EXPECT_EQ(0, std::memcmp(on_disk(4096 + 1000), b.data(), b.size()));
    EXPECT_EQ(0, std::memcmp(on_disk(4096 + 151000), c.data(), c.size()));
}

TEST_F(AioBlockQueueTest, VectoredReadScattersIntoEveryIovec)
{
    std::vector<uint8_t> a(512 + 3), empty, b(WINDOW + 4096 - 515);
    auto io = make_io(BlockIoKind::Read, 1024 * 512, { &a, &empty, &b });
    queue->start(io->io);
    backend.run();
    queue->poll();
    EXPECT_EQ(io->result, static_cast<int64_t>(WINDOW + 4096));
    EXPECT_EQ(0, std::memcmp(a.data(), on_disk(1024 * 512), a.size()));
    EXPECT_EQ(0, std::memcmp(b.data(), on_disk(1024 * 512 + a.size()), b.size()));
}

class AioBlockQueueSmallRing : public AioBlockQueueTest {
protected:
    AioBlockQueueSmallRing() : AioBlockQueueTest(8) {} // room for two 3-descriptor requests
};

TEST_F(AioBlockQueueSmallRing, RequestsWaitInTheKernelUntilTheDeviceHasRoom)
{
    std::vector<std::vector<uint8_t>> buffers;
    for (int i = 0; i < 5; ++i)
        buffers.push_back(pattern(4096, static_cast<uint8_t>(i)));
    std::vector<std::unique_ptr<TestIo>> ios;
    for (int i = 0; i < 5; ++i) {
        ios.push_back(make_io(BlockIoKind::Write, static_cast<uint64_t>(i) * 8192, { &buffers[i] }));
        queue->start(ios.back()->io);
    }
    std::vector<uint64_t> sectors;
    for (int round = 0; round < 5 && finish_order.size() < 5; ++round) {
        auto taken = backend.take();
        EXPECT_LE(taken.size(), 2u);
        for (auto& t : taken) {
            sectors.push_back(t.header.sector);
            backend.complete(t);
        }
        queue->poll();
    }
    ASSERT_EQ(finish_order.size(), 5u);
    EXPECT_EQ(sectors, (std::vector<uint64_t> { 0, 16, 32, 48, 64 })) << "started in submission order";
    EXPECT_EQ(disk->stats().max_in_flight, 2u);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(ios[i]->result, 4096);
        EXPECT_EQ(0, std::memcmp(on_disk(static_cast<uint64_t>(i) * 8192), buffers[i].data(), 4096)) << i;
    }
}

TEST_F(AioBlockQueueSmallRing, OnlyRequestsNotOnTheDeviceCanBeCancelled)
{
    std::vector<std::vector<uint8_t>> buffers(3, std::vector<uint8_t>(4096));
    std::vector<std::unique_ptr<TestIo>> ios;
    for (int i = 0; i < 3; ++i) {
        ios.push_back(make_io(BlockIoKind::Read, 0, { &buffers[i] }));
        queue->start(ios.back()->io);
    }
    EXPECT_FALSE(queue->cancel(ios[0]->io)) << "on the device";
    EXPECT_TRUE(queue->cancel(ios[2]->io)) << "waiting in the kernel";
    EXPECT_FALSE(queue->cancel(ios[2]->io)) << "already withdrawn";
    backend.run();
    queue->poll();
    backend.run();
    queue->poll();
    EXPECT_TRUE(ios[0]->finished);
    EXPECT_TRUE(ios[1]->finished);
    EXPECT_FALSE(ios[2]->finished) << "a cancelled request never finishes";
}

TEST_F(AioBlockQueueTest, DeviceErrorInOneWindowFailsTheRequestAfterAllWindows)
{
    std::vector<uint8_t> buffer(2 * WINDOW);
    auto io = make_io(BlockIoKind::Read, 0, { &buffer });
    queue->start(io->io);
    auto taken = backend.take();
    ASSERT_EQ(taken.size(), 2u);
    backend.complete(taken[0], blk::S_IOERR);
    queue->poll();
    EXPECT_FALSE(io->finished) << "the second window is still on the device";
    backend.complete(taken[1]);
    queue->poll();
    EXPECT_EQ(io->result, -static_cast<int64_t>(Errno::IO));
}

TEST_F(AioBlockQueueTest, UnmappedBuffersGiveEfault)
{
    std::vector<uint8_t> read_buffer(4096), write_buffer(4096, 0xee);
    std::vector<uint8_t> disk_before(on_disk(4096), on_disk(4096) + 4096);
    auto read = make_io(BlockIoKind::Read, 0, { &read_buffer });
    auto write = make_io(BlockIoKind::Write, 4096, { &write_buffer });
    g_hole_length = 1;
    g_hole = reinterpret_cast<uint64_t>(write_buffer.data()) + 4000;
    queue->start(write->io);
    queue->start(read->io);
    auto taken = backend.take();
    EXPECT_EQ(taken.size(), 1u) << "the write failed before reaching the device";
    g_hole = reinterpret_cast<uint64_t>(read_buffer.data()) + 100; // unmapped while in flight
    for (auto& t : taken)
        backend.complete(t);
    queue->poll();
    EXPECT_EQ(read->result, -static_cast<int64_t>(Errno::FAULT));
    EXPECT_EQ(write->result, -static_cast<int64_t>(Errno::FAULT));
    EXPECT_EQ(std::vector<uint8_t>(on_disk(4096), on_disk(4096) + 4096), disk_before);
}

TEST_F(AioBlockQueueTest, FlushReachesTheDevice)
{
    auto io = make_io(BlockIoKind::Flush, 0, {});
    queue->start(io->io);
    auto taken = backend.take();
    ASSERT_EQ(taken.size(), 1u);
    EXPECT_EQ(taken[0].header.type, blk::T_FLUSH);
    backend.complete(taken[0]);
    queue->poll();
    EXPECT_EQ(io->result, 0);
    EXPECT_EQ(backend.flushes, 1);
}

TEST_F(AioBlockQueueTest, WithoutBouncePagesARequestWaitsForOthersOrFails)
{
    std::vector<uint8_t> first(4096), second(4096), third(4096);
    auto a = make_io(BlockIoKind::Read, 0, { &first });
    auto b = make_io(BlockIoKind::Read, 4096, { &second });
    queue->start(a->io);
    ram.fail_after(0);
    queue->start(b->io);
    auto taken = backend.take();
    ASSERT_EQ(taken.size(), 1u) << "b waits: a's page comes back when it completes";
    ram.fail_after(-1);
    backend.complete(taken[0]);
    queue->poll(); // a finishes, b starts
    backend.run();
    queue->poll();
    EXPECT_EQ(a->result, 4096);
    EXPECT_EQ(b->result, 4096);
    ram.fail_after(0);
    auto c = make_io(BlockIoKind::Read, 0, { &third });
    queue->start(c->io);
    queue->poll();
    EXPECT_EQ(c->result, -static_cast<int64_t>(Errno::NOMEM)) << "nothing on the device would free memory";
    ram.fail_after(-1);
}

TEST(AioWindowSegments, AdjacentPagesMergeUpToSizeMax)
{
    virtio::Segment out[8];
    uint64_t pages[] = { 0x10000, 0x11000, 0x12000, 0x20000, 0x21000 };
    ASSERT_EQ(window_segments(pages, 5, 5 * 4096 - 512, 0, out), 2u);
    EXPECT_EQ(out[0].physical, 0x10000u);
    EXPECT_EQ(out[0].length, 3 * 4096u);
    EXPECT_EQ(out[1].physical, 0x20000u);
    EXPECT_EQ(out[1].length, 4096u + 3584u) << "the last page only as far as the window goes";
    ASSERT_EQ(window_segments(pages, 5, 5 * 4096, 8192, out), 3u);
    EXPECT_EQ(out[0].length, 8192u);
    EXPECT_EQ(out[1].physical, 0x12000u);
    EXPECT_EQ(out[1].length, 4096u);
    EXPECT_EQ(out[2].length, 8192u);
}

TEST_F(AioBlockQueueSmallRing, AFailedWindowStopsTheRestOfAWaitingRequest)
{
    std::vector<uint8_t> buffer(3 * WINDOW);
    auto io = make_io(BlockIoKind::Read, 0, { &buffer });
    queue->start(io->io);
    auto taken = backend.take();
    ASSERT_EQ(taken.size(), 2u) << "the third window waits for room";
    backend.complete(taken[0], blk::S_IOERR);
    queue->poll();
    EXPECT_TRUE(backend.take().empty()) << "nothing more of a failed request starts";
    EXPECT_FALSE(io->finished);
    backend.complete(taken[1]);
    queue->poll();
    EXPECT_EQ(io->result, -static_cast<int64_t>(Errno::IO));
}

class AioBlockQueueReadOnly : public AioBlockQueueTest {
protected:
    AioBlockQueueReadOnly() : AioBlockQueueTest(256, BLK_RO) {}
};

TEST_F(AioBlockQueueReadOnly, WritesFailWithErofsAndReadsWork)
{
    std::vector<uint8_t> data = pattern(4096, 9), back(4096);
    auto write = make_io(BlockIoKind::Write, 0, { &data });
    auto read = make_io(BlockIoKind::Read, 0, { &back });
    queue->start(write->io);
    queue->start(read->io);
    backend.run();
    queue->poll();
    EXPECT_EQ(write->result, -static_cast<int64_t>(Errno::ROFS));
    EXPECT_EQ(read->result, 4096);
    EXPECT_EQ(0, std::memcmp(back.data(), on_disk(0), 4096)) << "the disk kept its contents";
}
