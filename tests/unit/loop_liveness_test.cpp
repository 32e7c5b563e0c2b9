// When the loop is alive: ref/unref, requests, closing handles.
#include <chrono>
#include <memory>

#include <gtest/gtest.h>

#include "loop_fake_clock.h"
#include "loop_test_request.h"
#include "runtime/loop/loop.h"

namespace kiln::loop {
namespace {

using namespace std::chrono_literals;
using testing::FakeClock;
using testing::TestRequest;

class LoopLiveness : public ::testing::Test {
protected:
    void SetUp() override
    {
        int error = 0;
        loop = Loop::try_create(clock, error);
        ASSERT_TRUE(loop) << error;
    }

    FakeClock clock;
    std::unique_ptr<Loop> loop;
};

TEST_F(LoopLiveness, EmptyLoopReturnsAtOnce)
{
    EXPECT_FALSE(loop->is_alive());
    EXPECT_FALSE(loop->run());
    EXPECT_EQ(loop->iteration_count(), 0u);
}

TEST_F(LoopLiveness, UnreferencedTimerDoesNotKeepTheLoopAlive)
{
    bool fired = false;
    Timer timer(*loop, [&](Timer&) { fired = true; });
    timer.start(10ms);
    timer.unref();
    EXPECT_TRUE(timer.is_active());
    EXPECT_FALSE(timer.has_ref());
    EXPECT_FALSE(loop->is_alive());
    EXPECT_FALSE(loop->run());
    EXPECT_FALSE(fired);
}

TEST_F(LoopLiveness, UnreferencedTimerStillFiresWhileSomethingElseKeepsTheLoopAlive)
{
    int unreferenced_calls = 0;
    Timer unreferenced(*loop, [&](Timer&) { ++unreferenced_calls; });
    unreferenced.start(10ms, 10ms);
    unreferenced.unref();
    Timer keeper(*loop, [](Timer&) {});
    keeper.start(35ms);
    loop->run();
    EXPECT_EQ(unreferenced_calls, 3);
    EXPECT_TRUE(unreferenced.is_active());
}

TEST_F(LoopLiveness, RefAndUnrefDoNotStackAndSurviveRestart)
{
    Timer timer(*loop, [](Timer&) {});
    timer.unref();
    timer.unref();
    timer.start(5ms);
    EXPECT_FALSE(loop->is_alive()) << "the reference state is kept across start()";
    timer.ref();
    timer.ref();
    EXPECT_TRUE(loop->is_alive());
    timer.unref();
    EXPECT_FALSE(loop->is_alive());
    timer.ref();
    timer.stop();
    EXPECT_FALSE(loop->is_alive());
}

TEST_F(LoopLiveness, ActiveRequestKeepsTheLoopAlive)
{
    bool completed = false;
    TestRequest request(*loop, [&] { completed = true; });
    request.begin();
    EXPECT_TRUE(loop->is_alive());
    EXPECT_TRUE(loop->run(RunMode::NoWait));
    request.complete_in_pending_phase();
    EXPECT_FALSE(completed);
    EXPECT_FALSE(loop->run());
    EXPECT_TRUE(completed);
    EXPECT_FALSE(request.is_active());
}

TEST_F(LoopLiveness, ClosingHandleKeepsTheLoopAliveUntilItsCallback)
{
    bool closed = false;
    auto* idle = new Idle(*loop, [](PhaseHandle&) {});
    idle->unref();
    idle->close([&](Handle& handle) {
        closed = true;
        delete &handle;
    });
    EXPECT_TRUE(loop->is_alive());
    EXPECT_FALSE(loop->run());
    EXPECT_TRUE(closed);
}

TEST_F(LoopLiveness, CloseTwiceRunsTheFirstCallbackOnly)
{
    int first = 0;
    int second = 0;
    Timer timer(*loop, [](Timer&) {});
    timer.start(5ms);
    timer.close([&](Handle&) { ++first; });
    timer.close([&](Handle&) { ++second; });
    timer.start(5ms);
    EXPECT_FALSE(timer.is_active()) << "a closing handle cannot be restarted";
    loop->run();
    EXPECT_EQ(first, 1);
    EXPECT_EQ(second, 0);
}

TEST_F(LoopLiveness, WalkVisitsHandlesUntilTheirCloseCallback)
{
    Timer timer(*loop, [](Timer&) {});
    Check check(*loop, [](PhaseHandle&) {});
    int visited = 0;
    loop->walk([&](Handle&) { ++visited; });
    EXPECT_EQ(visited, 2);
    loop->walk([](Handle& handle) { handle.close(); });
    loop->run();
    visited = 0;
    loop->walk([&](Handle&) { ++visited; });
    EXPECT_EQ(visited, 0);
}

} // namespace
} // namespace kiln::loop
