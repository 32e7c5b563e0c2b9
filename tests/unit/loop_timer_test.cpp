// The loop's timers: ordering, repeat, drift, and what callbacks may do to timers.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "loop_fake_clock.h"
#include "runtime/loop/loop.h"

namespace kiln::loop {
namespace {

using namespace std::chrono_literals;
using testing::FakeClock;

class LoopTimer : public ::testing::Test {
protected:
    void SetUp() override
    {
        int error = 0;
        loop = Loop::try_create(clock, error);
        ASSERT_TRUE(loop) << error;
    }

    // A timer that appends `name` to `log` when it fires.
    std::unique_ptr<Timer> make_timer(std::string name)
    {
        return std::make_unique<Timer>(*loop, [this, name](Timer&) { log.push_back(name); });
    }

    Milliseconds elapsed() const { return loop->now() - start; }

    FakeClock clock;
    std::unique_ptr<Loop> loop;
    TimePoint start = to_milliseconds(clock.now());
    std::vector<std::string> log;
};

TEST_F(LoopTimer, RunsInDeadlineOrder)
{
    auto late = make_timer("30");
    auto early = make_timer("10");
    auto middle = make_timer("20");
    late->start(30ms);
    early->start(10ms);
    middle->start(20ms);
    EXPECT_FALSE(loop->run());
    EXPECT_EQ(log, (std::vector<std::string> { "10", "20", "30" }));
    EXPECT_EQ(elapsed(), 30ms);
}

TEST_F(LoopTimer, EqualDeadlinesRunInStartOrder)
{
    std::vector<std::unique_ptr<Timer>> timers;
    for (int i = 0; i < 50; ++i) {
        timers.push_back(make_timer(std::to_string(i)));
        timers.back()->start(i % 2 == 0 ? 5ms : 7ms);
    }
    loop->run();
    std::vector<std::string> expected;
    for (int i = 0; i < 50; i += 2)
        expected.push_back(std::to_string(i));
    for (int i = 1; i < 50; i += 2)
        expected.push_back(std::to_string(i));
    EXPECT_EQ(log, expected);
}

TEST_F(LoopTimer, RestartMovesBehindTimersWithTheSameDeadline)
{
    auto a = make_timer("a");
    auto b = make_timer("b");
    a->start(5ms);
    b->start(5ms);
    a->start(5ms);
    loop->run();
    EXPECT_EQ(log, (std::vector<std::string> { "b", "a" }));
}

TEST_F(LoopTimer, ZeroTimeoutRunsInTheNextTimersPhase)
{
    auto timer = make_timer("zero");
    timer->start(0ms);
    EXPECT_TRUE(log.empty()) << "a timer never fires from inside start()";
    loop->run(RunMode::NoWait);
    EXPECT_EQ(log, (std::vector<std::string> { "zero" }));
    EXPECT_EQ(elapsed(), 0ms);
}

TEST_F(LoopTimer, TimerStartedInTimersPhaseWaitsForALaterPass)
{
    auto second = make_timer("second");
    Timer first(*loop, [&](Timer&) {
        log.push_back("first");
        // Due right now, but the phase only runs what was due when it began.
        second->start(0ms);
    });
    first.start(1ms);
    loop->run(RunMode::Once);
    EXPECT_EQ(log, (std::vector<std::string> { "first" }));
    loop->run(RunMode::NoWait);
    EXPECT_EQ(log, (std::vector<std::string> { "first", "second" }));
}

TEST_F(LoopTimer, StoppingADueTimerFromAnotherCallbackCancelsIt)
{
    auto victim = make_timer("victim");
    Timer killer(*loop, [&](Timer&) {
        log.push_back("killer");
        victim->stop();
    });
    killer.start(5ms);
    victim->start(5ms);
    loop->run();
    EXPECT_EQ(log, (std::vector<std::string> { "killer" }));
}

TEST_F(LoopTimer, RestartingADueTimerFromAnotherCallbackPostponesIt)
{
    auto postponed = make_timer("postponed");
    Timer first(*loop, [&](Timer&) {
        log.push_back("first");
        postponed->start(10ms);
    });
    first.start(5ms);
    postponed->start(5ms);
    loop->run();
    EXPECT_EQ(log, (std::vector<std::string> { "first", "postponed" }));
    EXPECT_EQ(elapsed(), 15ms);
}

TEST_F(LoopTimer, RepeatingTimerCanStopItself)
{
    int calls = 0;
    Timer timer(*loop, [&](Timer& self) {
        if (++calls == 3)
            self.stop();
    });
    timer.start(10ms, 10ms);
    EXPECT_FALSE(loop->run());
    EXPECT_EQ(calls, 3);
    EXPECT_EQ(elapsed(), 30ms);
}

TEST_F(LoopTimer, CloseFromOwnCallback)
{
    int calls = 0;
    bool closed = false;
    auto* timer = new Timer(*loop, [&](Timer& self) {
        ++calls;
        self.close([&](Handle& handle) {
            closed = true;
            delete &handle;
        });
    });
    timer->start(10ms, 10ms);
    EXPECT_FALSE(loop->run());
    EXPECT_EQ(calls, 1);
    EXPECT_TRUE(closed);
}

TEST_F(LoopTimer, LongRunWithoutDrift)
{
    // 10,000 ticks of a 10 ms interval end exactly 100 s later: the loop's own work
    // never shifts the schedule, and poll is asked to sleep exactly to each deadline.
    int ticks = 0;
    Timer timer(*loop, [&](Timer& self) {
        EXPECT_EQ(self.loop().now() - start, Milliseconds(10 * (ticks + 1)));
        if (++ticks == 10'000)
            self.stop();
    });
    timer.start(10ms, 10ms);
    loop->run();
    EXPECT_EQ(ticks, 10'000);
    EXPECT_EQ(elapsed(), 100'000ms);
    // One sleep per tick, then a last look once nothing was left.
    ASSERT_EQ(clock.requested_poll_timeouts.size(), 10'001u);
    for (size_t i = 0; i < 10'000; ++i)
        ASSERT_EQ(clock.requested_poll_timeouts[i], 10ms) << i;
    EXPECT_EQ(clock.requested_poll_timeouts.back(), 0ms);
}

TEST_F(LoopTimer, LateWakeUpsDoNotMakeTimersFireEarly)
{
    // A loop that wakes 3 ms late: each interval counts from when the timer really
    // ran, as in libuv and Node, so callbacks are never closer than the interval.
    clock.lateness = 3ms;
    std::vector<TimePoint> fired;
    Timer timer(*loop, [&](Timer& self) {
        fired.push_back(self.loop().now());
        if (fired.size() == 100)
            self.stop();
    });
    timer.start(10ms, 10ms);
    loop->run();
    ASSERT_EQ(fired.size(), 100u);
    for (size_t i = 1; i < fired.size(); ++i)
        EXPECT_EQ(fired[i] - fired[i - 1], 13ms);
}

TEST_F(LoopTimer, ManyTimersInRandomOrderFireSorted)
{
    std::vector<std::unique_ptr<Timer>> timers;
    std::vector<long> fired;
    unsigned seed = 12345;
    for (int i = 0; i < 1000; ++i) {
        seed = seed * 1103515245 + 12345;
        long delay = static_cast<long>((seed >> 16) % 500);
        timers.push_back(std::make_unique<Timer>(*loop, [&, delay](Timer&) { fired.push_back(delay); }));
        timers.back()->start(Milliseconds(delay));
    }
    // Stop a third of them, from the middle of the heap as well as the top.
    for (size_t i = 0; i < timers.size(); i += 3)
        timers[i]->stop();
    loop->run();
    EXPECT_EQ(fired.size(), 666u);
    EXPECT_TRUE(std::is_sorted(fired.begin(), fired.end()));
}

TEST(LoopTimerRealTime, IntervalKeepsTimeOnTheRealClock)
{
    MonotonicClock clock;
    int error = 0;
    auto loop = Loop::try_create(clock, error);
    ASSERT_TRUE(loop);
    auto started = std::chrono::steady_clock::now();
    int ticks = 0;
    Timer timer(*loop, [&](Timer& self) {
        if (++ticks == 20)
            self.stop();
    });
    timer.start(5ms, 5ms);
    loop->run();
    auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(ticks, 20);
    // Never early; late by at most a generous margin on a loaded test machine.
    EXPECT_GE(took, 98ms);
    EXPECT_LT(took, 1000ms);
}

} // namespace
} // namespace kiln::loop
