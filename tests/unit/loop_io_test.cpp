// IoWatcher on pipes and Async wake-ups through the loop's eventfd.
#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

#include <thread>

#include "runtime/loop/loop.h"

namespace kiln::loop {
namespace {

using namespace std::chrono_literals;

// A non-blocking pipe, closed at the end of the test.
struct Pipe {
    Pipe() { EXPECT_EQ(::pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0); }
    ~Pipe()
    {
        close_reader();
        close_writer();
    }
    int reader() const { return fds[0]; }
    int writer() const { return fds[1]; }
    void close_reader()
    {
        if (fds[0] >= 0)
            ::close(fds[0]);
        fds[0] = -1;
    }
    void close_writer()
    {
        if (fds[1] >= 0)
            ::close(fds[1]);
        fds[1] = -1;
    }
    int fds[2] = { -1, -1 };
};

class LoopIo : public ::testing::Test {
protected:
    void SetUp() override
    {
        int error = 0;
        loop = Loop::try_create(clock, error);
        ASSERT_TRUE(loop) << error;
        // Real time (a fake clock would jump straight to the guard's deadline). Fails
        // the test instead of hanging it if an expected wake-up never comes.
        guard = std::make_unique<Timer>(*loop, [](Timer& self) {
            ADD_FAILURE() << "timed out waiting for I/O";
            self.loop().stop();
        });
        guard->start(5000ms);
        guard->unref();
    }

    MonotonicClock clock;
    std::unique_ptr<Loop> loop;
    std::unique_ptr<Timer> guard;
};

TEST_F(LoopIo, ReadableIsLevelTriggered)
{
    Pipe pipe;
    ASSERT_EQ(::write(pipe.writer(), "abc", 3), 3);
    std::string received;
    IoWatcher watcher(*loop, pipe.reader(), [&](IoWatcher& self, IoEvents ready) {
        ASSERT_TRUE(ready.readable);
        // One byte per callback: the rest must be reported again.
        char byte;
        ASSERT_EQ(::read(self.fd(), &byte, 1), 1);
        received += byte;
        if (received.size() == 3)
            self.stop();
    });
    ASSERT_EQ(watcher.start({ .readable = true }), 0);
    loop->run();
    EXPECT_EQ(received, "abc");
    EXPECT_EQ(loop->iteration_count(), 3u);
}

TEST_F(LoopIo, WritableAndThenReadableOnTheSameWatcher)
{
    Pipe pipe;
    std::vector<std::string> log;
    IoWatcher writer(*loop, pipe.writer(), [&](IoWatcher& self, IoEvents ready) {
        EXPECT_TRUE(ready.writable);
        EXPECT_FALSE(ready.readable) << "not asked for";
        ASSERT_EQ(::write(self.fd(), "x", 1), 1);
        log.push_back("wrote");
        self.close();
    });
    IoWatcher reader(*loop, pipe.reader(), [&](IoWatcher& self, IoEvents ready) {
        EXPECT_TRUE(ready.readable);
        char byte;
        ASSERT_EQ(::read(self.fd(), &byte, 1), 1);
        log.push_back("read");
        self.stop();
    });
    ASSERT_EQ(writer.start({ .writable = true }), 0);
    ASSERT_EQ(reader.start({ .readable = true }), 0);
    loop->run();
    EXPECT_EQ(log, (std::vector<std::string> { "wrote", "read" }));
}

TEST_F(LoopIo, HangupIsReportedWithoutBeingAskedFor)
{
    Pipe pipe;
    bool hung_up = false;
    IoWatcher watcher(*loop, pipe.reader(), [&](IoWatcher& self, IoEvents ready) {
        hung_up = ready.hangup;
        self.stop();
    });
    ASSERT_EQ(watcher.start({ .readable = true }), 0);
    pipe.close_writer();
    loop->run();
    EXPECT_TRUE(hung_up);
}

TEST_F(LoopIo, ChangingInterestOfAnActiveWatcher)
{
    Pipe pipe;
    int calls = 0;
    IoWatcher watcher(*loop, pipe.writer(), [&](IoWatcher& self, IoEvents) {
        ++calls;
        self.stop();
    });
    ASSERT_EQ(watcher.start({ .readable = true }), 0);
    // Nothing to wait for on a pipe's write end when asking for readable: no callback.
    loop->run(RunMode::NoWait);
    EXPECT_EQ(calls, 0);
    ASSERT_EQ(watcher.start({ .writable = true }), 0);
    EXPECT_TRUE(watcher.interest().writable);
    EXPECT_FALSE(watcher.interest().readable);
    loop->run();
    EXPECT_EQ(calls, 1);
}

TEST_F(LoopIo, StoppedInTheSameBatchMeansNoCallback)
{
    Pipe first;
    Pipe second;
    ASSERT_EQ(::write(first.writer(), "1", 1), 1);
    ASSERT_EQ(::write(second.writer(), "2", 1), 1);
    int calls = 0;
    std::unique_ptr<IoWatcher> a;
    std::unique_ptr<IoWatcher> b;
    auto stop_both = [&](IoWatcher&, IoEvents) {
        ++calls;
        a->stop();
        b->stop();
    };
    a = std::make_unique<IoWatcher>(*loop, first.reader(), stop_both);
    b = std::make_unique<IoWatcher>(*loop, second.reader(), stop_both);
    ASSERT_EQ(a->start({ .readable = true }), 0);
    ASSERT_EQ(b->start({ .readable = true }), 0);
    loop->run();
    EXPECT_EQ(calls, 1);
}

TEST_F(LoopIo, RegularFilesCannotBeWatched)
{
    char path[] = "/tmp/kiln-loop-test-XXXXXX";
    int fd = ::mkstemp(path);
    ASSERT_GE(fd, 0);
    ::unlink(path);
    IoWatcher watcher(*loop, fd, [](IoWatcher&, IoEvents) {});
    EXPECT_EQ(watcher.start({ .readable = true }), EPERM);
    EXPECT_FALSE(watcher.is_active());
    ::close(fd);
}

TEST_F(LoopIo, SecondWatcherOnTheSameFdIsRefused)
{
    Pipe pipe;
    IoWatcher first(*loop, pipe.reader(), [](IoWatcher&, IoEvents) {});
    IoWatcher second(*loop, pipe.reader(), [](IoWatcher&, IoEvents) {});
    ASSERT_EQ(first.start({ .readable = true }), 0);
    EXPECT_EQ(second.start({ .readable = true }), EEXIST);
}

TEST_F(LoopIo, AsyncSendWakesABlockedPoll)
{
    // Only the async handle keeps the loop alive, so poll blocks (up to the guard's
    // 5 s) until the eventfd rings. The sender is another thread because this one is
    // the one blocked; the handle is started before it and closed after it sent.
    int calls = 0;
    Async async(*loop, [&](Async& self) {
        ++calls;
        self.close();
    });
    ASSERT_EQ(async.start(), 0);
    auto started = std::chrono::steady_clock::now();
    std::thread sender([&] {
        std::this_thread::sleep_for(50ms);
        async.send();
    });
    loop->run();
    sender.join();
    auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(calls, 1);
    EXPECT_GE(took, 45ms);
    EXPECT_LT(took, 2000ms);
}

TEST_F(LoopIo, AsyncSendsCoalesce)
{
    int calls = 0;
    Async async(*loop, [&](Async&) { ++calls; });
    ASSERT_EQ(async.start(), 0);
    async.send();
    async.send();
    async.send();
    loop->run(RunMode::NoWait);
    EXPECT_EQ(calls, 1);
    loop->run(RunMode::NoWait);
    EXPECT_EQ(calls, 1) << "no send, no callback";
    async.send();
    loop->run(RunMode::NoWait);
    EXPECT_EQ(calls, 2);
}

TEST_F(LoopIo, UnreferencedAsyncDoesNotKeepTheLoopAlive)
{
    Async async(*loop, [](Async&) {});
    ASSERT_EQ(async.start(), 0);
    EXPECT_TRUE(loop->is_alive());
    async.unref();
    EXPECT_FALSE(loop->run());
}

} // namespace
} // namespace kiln::loop
