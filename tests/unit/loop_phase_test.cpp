// The order of the loop's phases, and what handles may do from their own phase.
#include <chrono>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

#include "loop_fake_clock.h"
#include "loop_test_request.h"
#include "runtime/loop/loop.h"

namespace kiln::loop {
namespace {

using namespace std::chrono_literals;
using testing::FakeClock;
using testing::TestRequest;
using Log = std::vector<std::string>;

class LoopPhases : public ::testing::Test {
protected:
    void SetUp() override
    {
        int error = 0;
        loop = Loop::try_create(clock, error);
        ASSERT_TRUE(loop) << error;
    }

    FakeClock clock;
    std::unique_ptr<Loop> loop;
    Log log;
};

TEST_F(LoopPhases, OneIterationRunsEveryPhaseInLibuvOrder)
{
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    ASSERT_EQ(::write(fds[1], "x", 1), 1);

    Timer timer(*loop, [&](Timer&) { log.push_back("timer"); });
    TestRequest request(*loop, [&] { log.push_back("pending"); });
    Idle idle(*loop, [&](PhaseHandle& self) {
        log.push_back("idle");
        self.stop();
    });
    Prepare prepare(*loop, [&](PhaseHandle& self) {
        log.push_back("prepare");
        self.stop();
    });
    IoWatcher watcher(*loop, fds[0], [&](IoWatcher& self, IoEvents) {
        log.push_back("poll");
        self.stop();
    });
    Check check(*loop, [&](PhaseHandle& self) {
        log.push_back("check");
        self.close([&](Handle&) { log.push_back("close"); });
    });

    timer.start(0ms);
    request.complete_in_pending_phase();
    idle.start();
    prepare.start();
    ASSERT_EQ(watcher.start({ .readable = true }), 0);
    check.start();

    loop->run(RunMode::NoWait);
    EXPECT_EQ(log, (Log { "timer", "pending", "idle", "prepare", "poll", "check", "close" }));
    EXPECT_FALSE(loop->is_alive());
    ::close(fds[0]);
    ::close(fds[1]);
}

TEST_F(LoopPhases, HandleStartedInItsOwnPhaseRunsInTheNextIteration)
{
    Check second(*loop, [&](PhaseHandle& self) {
        log.push_back("second");
        self.stop();
    });
    Check first(*loop, [&](PhaseHandle& self) {
        log.push_back("first");
        self.stop();
        second.start();
    });
    first.start();
    loop->run(RunMode::NoWait);
    EXPECT_EQ(log, (Log { "first" }));
    loop->run(RunMode::NoWait);
    EXPECT_EQ(log, (Log { "first", "second" }));
}

TEST_F(LoopPhases, StoppingALaterHandleOfTheSamePhaseSkipsIt)
{
    Idle second(*loop, [&](PhaseHandle&) { log.push_back("second"); });
    Idle first(*loop, [&](PhaseHandle& self) {
        log.push_back("first");
        self.stop();
        second.stop();
    });
    first.start();
    second.start();
    loop->run();
    EXPECT_EQ(log, (Log { "first" }));
}

TEST_F(LoopPhases, ActiveHandlesRunOncePerIteration)
{
    int idles = 0;
    int prepares = 0;
    int checks = 0;
    Idle idle(*loop, [&](PhaseHandle& self) {
        if (++idles == 5)
            self.stop();
    });
    Prepare prepare(*loop, [&](PhaseHandle&) { ++prepares; });
    Check check(*loop, [&](PhaseHandle&) { ++checks; });
    idle.start();
    prepare.start();
    prepare.unref();
    check.start();
    check.unref();
    loop->run();
    EXPECT_EQ(idles, 5);
    EXPECT_EQ(prepares, 5);
    EXPECT_EQ(checks, 5);
    EXPECT_EQ(loop->iteration_count(), 5u);
}

TEST_F(LoopPhases, IdleKeepsPollNonBlocking)
{
    Timer timer(*loop, [](Timer&) {});
    timer.start(1000ms);
    int idles = 0;
    Idle idle(*loop, [&](PhaseHandle& self) {
        if (++idles == 3)
            self.stop();
    });
    idle.start();
    loop->run();
    ASSERT_EQ(clock.requested_poll_timeouts.size(), 4u);
    EXPECT_EQ(clock.requested_poll_timeouts[0], 0ms);
    EXPECT_EQ(clock.requested_poll_timeouts[1], 0ms);
    // The idle handle stopped itself in this iteration's idle phase: poll may sleep.
    EXPECT_EQ(clock.requested_poll_timeouts[2], 1000ms);
    EXPECT_EQ(clock.requested_poll_timeouts[3], 0ms) << "the timer ran after poll; the loop then ended";
}

TEST_F(LoopPhases, PollSleepsUntilTheNearestTimer)
{
    Timer far(*loop, [](Timer&) {});
    Timer near(*loop, [](Timer&) {});
    far.start(50ms);
    near.start(20ms);
    loop->run(RunMode::Once);
    ASSERT_EQ(clock.requested_poll_timeouts.size(), 1u);
    EXPECT_EQ(clock.requested_poll_timeouts[0], 20ms);
    EXPECT_TRUE(far.is_active());
    EXPECT_FALSE(near.is_active());
}

TEST_F(LoopPhases, PendingCompletionsQueuedFromPendingWaitForTheNextIteration)
{
    std::unique_ptr<TestRequest> second;
    TestRequest first(*loop, [&] {
        log.push_back("first");
        second->complete_in_pending_phase();
    });
    second = std::make_unique<TestRequest>(*loop, [&] { log.push_back("second"); });
    first.complete_in_pending_phase();
    EXPECT_TRUE(log.empty()) << "completions never run from inside the call that queues them";
    loop->run(RunMode::NoWait);
    EXPECT_EQ(log, (Log { "first" }));
    loop->run(RunMode::NoWait);
    EXPECT_EQ(log, (Log { "first", "second" }));
}

TEST_F(LoopPhases, CloseCallbackRunsInTheClosingPhaseAfterCheck)
{
    Check check(*loop, [&](PhaseHandle& self) {
        log.push_back("check");
        self.stop();
    });
    check.start();
    Idle idle(*loop, [&](PhaseHandle& self) {
        log.push_back("idle");
        self.close([&](Handle& handle) {
            EXPECT_FALSE(handle.is_active());
            log.push_back("closed");
        });
        EXPECT_TRUE(self.is_closing());
    });
    idle.start();
    loop->run();
    EXPECT_EQ(log, (Log { "idle", "check", "closed" }));
}

TEST_F(LoopPhases, StopEndsRunAfterTheCurrentIteration)
{
    int ticks = 0;
    Timer timer(*loop, [&](Timer&) {
        if (++ticks == 3)
            loop->stop();
    });
    timer.start(1ms, 1ms);
    EXPECT_TRUE(loop->run());
    EXPECT_EQ(ticks, 3);
    loop->run(RunMode::Once);
    EXPECT_EQ(ticks, 4) << "stop() lasts for one run() only";
}

} // namespace
} // namespace kiln::loop
