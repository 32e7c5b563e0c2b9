// DiskQueue: Linux AIO reads, writes and flushes of a temporary file, through the loop.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/loop/disk_queue.h"
#include "runtime/loop/loop.h"

namespace kiln::loop {
namespace {

using namespace std::chrono_literals;

// A file of `size` zero bytes, removed at the end of the test.
struct TempFile {
    explicit TempFile(off_t size)
    {
        char pattern[] = "/tmp/kiln-disk-queue-XXXXXX";
        fd = ::mkstemp(pattern);
        EXPECT_GE(fd, 0);
        path = pattern;
        EXPECT_EQ(::ftruncate(fd, size), 0);
    }
    ~TempFile()
    {
        ::close(fd);
        ::unlink(path.c_str());
    }
    int fd = -1;
    std::string path;
};

// The result a request's callback got, and the order callbacks ran in.
struct Outcome {
    bool called = false;
    int64_t result = 0;
    int order = 0;
};

class LoopDiskQueue : public ::testing::Test {
protected:
    void SetUp() override
    {
        int error = 0;
        loop = Loop::try_create(clock, error);
        ASSERT_TRUE(loop) << error;
        queue = DiskQueue::try_create(*loop, 8, error);
        ASSERT_TRUE(queue) << error;
        guard = std::make_unique<Timer>(*loop, [](Timer& self) {
            ADD_FAILURE() << "timed out waiting for the disk";
            self.loop().stop();
        });
        guard->start(10000ms);
        guard->unref();
    }

    // Makes a request whose callback records into `outcome`.
    std::unique_ptr<DiskRequest> request(
        DiskOperation operation, int fd, std::byte* buffer, size_t length, uint64_t offset, Outcome& outcome)
    {
        return std::make_unique<DiskRequest>(
            *loop, operation, fd, buffer, length, offset, [this, &outcome](DiskRequest&, int64_t result) {
                outcome = { true, result, ++callbacks };
            });
    }

    MonotonicClock clock;
    std::unique_ptr<Loop> loop;
    std::unique_ptr<DiskQueue> queue;
    std::unique_ptr<Timer> guard;
    int callbacks = 0;
};

std::vector<std::byte> pattern(size_t length, unsigned seed)
{
    std::vector<std::byte> bytes(length);
    for (size_t i = 0; i < length; ++i)
        bytes[i] = static_cast<std::byte>((i * 31 + seed * 17 + (i >> 8)) & 0xff);
    return bytes;
}

TEST_F(LoopDiskQueue, WriteFlushReadRoundTrip)
{
    TempFile file(1 << 16);
    auto out = pattern(5000, 1);
    std::vector<std::byte> in(5000);
    Outcome wrote, flushed, read;
    auto write = request(DiskOperation::Write, file.fd, out.data(), out.size(), 1234, wrote);
    auto flush = request(DiskOperation::Flush, file.fd, nullptr, 0, 0, flushed);
    queue->submit(*write);
    queue->submit(*flush);
    // Never from inside submit().
    EXPECT_FALSE(wrote.called);
    EXPECT_FALSE(flushed.called);
    loop->run();
    EXPECT_EQ(wrote.result, 5000);
    EXPECT_EQ(flushed.result, 0);
    EXPECT_LT(wrote.order, flushed.order);

    auto reader = request(DiskOperation::Read, file.fd, in.data(), in.size(), 1234, read);
    queue->submit(*reader);
    loop->run();
    EXPECT_EQ(read.result, 5000);
    EXPECT_EQ(in, out);
    // What the file holds, seen by an ordinary read.
    std::vector<std::byte> direct(5000);
    ASSERT_EQ(::pread(file.fd, direct.data(), direct.size(), 1234), 5000);
    EXPECT_EQ(direct, out);
}

TEST_F(LoopDiskQueue, ManyMoreRequestsThanSlotsAllComplete)
{
    constexpr size_t k_count = 300, k_chunk = 700; // unaligned offsets and lengths
    TempFile file(k_count * k_chunk);
    std::vector<std::vector<std::byte>> chunks;
    std::vector<Outcome> outcomes(k_count);
    std::vector<std::unique_ptr<DiskRequest>> requests;
    size_t most_in_flight = 0;
    for (size_t i = 0; i < k_count; ++i) {
        chunks.push_back(pattern(k_chunk, static_cast<unsigned>(i)));
        requests.push_back(request(DiskOperation::Write, file.fd, chunks[i].data(), k_chunk, i * k_chunk, outcomes[i]));
        queue->submit(*requests.back());
        most_in_flight = std::max(most_in_flight, queue->in_flight());
    }
    EXPECT_LE(most_in_flight, queue->depth());
    loop->run();
    for (size_t i = 0; i < k_count; ++i)
        ASSERT_EQ(outcomes[i].result, static_cast<int64_t>(k_chunk)) << i;
    EXPECT_EQ(callbacks, static_cast<int>(k_count));
    EXPECT_EQ(queue->in_flight(), 0u);

    std::vector<std::byte> whole(k_count * k_chunk);
    ASSERT_EQ(::pread(file.fd, whole.data(), whole.size(), 0), static_cast<ssize_t>(whole.size()));
    for (size_t i = 0; i < k_count; ++i)
        ASSERT_TRUE(std::equal(chunks[i].begin(), chunks[i].end(), whole.begin() + i * k_chunk)) << i;
}

TEST_F(LoopDiskQueue, FlushWaitsForTheWritesSubmittedBeforeIt)
{
    TempFile file(1 << 20);
    constexpr size_t k_writes = 20; // more than the 8 slots, so some are still queued
    std::vector<std::vector<std::byte>> chunks;
    std::vector<Outcome> wrote(k_writes);
    std::vector<std::unique_ptr<DiskRequest>> writes;
    for (size_t i = 0; i < k_writes; ++i) {
        chunks.push_back(pattern(4096, static_cast<unsigned>(i)));
        writes.push_back(request(DiskOperation::Write, file.fd, chunks[i].data(), 4096, i * 4096, wrote[i]));
        queue->submit(*writes.back());
    }
    Outcome flushed, later_wrote;
    auto flush = request(DiskOperation::Flush, file.fd, nullptr, 0, 0, flushed);
    queue->submit(*flush);
    EXPECT_EQ(queue->held_flushes(), 1u);
    // A write after the flush is not waited for.
    auto later_chunk = pattern(4096, 99);
    auto later = request(DiskOperation::Write, file.fd, later_chunk.data(), 4096, 100 * 4096, later_wrote);
    queue->submit(*later);
    loop->run();
    EXPECT_EQ(flushed.result, 0);
    for (size_t i = 0; i < k_writes; ++i)
        EXPECT_LT(wrote[i].order, flushed.order) << i;
    EXPECT_EQ(later_wrote.result, 4096);
    EXPECT_EQ(queue->held_flushes(), 0u);
}

TEST_F(LoopDiskQueue, FlushWithNothingBeforeItGoesStraightOut)
{
    TempFile file(4096);
    Outcome flushed;
    auto flush = request(DiskOperation::Flush, file.fd, nullptr, 0, 0, flushed);
    queue->submit(*flush);
    EXPECT_EQ(queue->held_flushes(), 0u);
    loop->run();
    EXPECT_TRUE(flushed.called);
    EXPECT_EQ(flushed.result, 0);
}

TEST_F(LoopDiskQueue, ReadAtTheEndOfAFileIsShort)
{
    TempFile file(1000);
    std::vector<std::byte> in(500);
    Outcome read;
    auto reader = request(DiskOperation::Read, file.fd, in.data(), in.size(), 800, read);
    queue->submit(*reader);
    loop->run();
    EXPECT_EQ(read.result, 200);
}

TEST_F(LoopDiskQueue, ErrorsArriveThroughTheCallback)
{
    TempFile file(4096);
    int read_only = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(read_only, 0);
    std::vector<std::byte> bytes(512);
    Outcome bad_fd, wrong_mode;
    auto first = request(DiskOperation::Read, 1 << 20, bytes.data(), bytes.size(), 0, bad_fd);
    auto second = request(DiskOperation::Write, read_only, bytes.data(), bytes.size(), 0, wrong_mode);
    queue->submit(*first);
    queue->submit(*second);
    EXPECT_FALSE(bad_fd.called);
    EXPECT_FALSE(wrong_mode.called);
    loop->run();
    EXPECT_EQ(bad_fd.result, -EBADF);
    EXPECT_EQ(wrong_mode.result, -EBADF);
    ::close(read_only);
}

TEST_F(LoopDiskQueue, RequestsKeepTheLoopAliveTheQueueDoesNot)
{
    EXPECT_FALSE(loop->is_alive());
    TempFile file(4096);
    std::vector<std::byte> bytes(100);
    Outcome read;
    auto reader = request(DiskOperation::Read, file.fd, bytes.data(), bytes.size(), 0, read);
    queue->submit(*reader);
    EXPECT_TRUE(loop->is_alive());
    loop->run();
    EXPECT_TRUE(read.called);
    EXPECT_FALSE(loop->is_alive());
}

TEST_F(LoopDiskQueue, EmptyTransfersCompleteFromTheLoop)
{
    TempFile file(4096);
    Outcome read;
    auto reader = request(DiskOperation::Read, file.fd, nullptr, 0, 0, read);
    queue->submit(*reader);
    EXPECT_FALSE(read.called);
    loop->run();
    EXPECT_TRUE(read.called);
    EXPECT_EQ(read.result, 0);
}

} // namespace
} // namespace kiln::loop
