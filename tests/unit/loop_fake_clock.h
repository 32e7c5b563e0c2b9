#pragma once

#include <vector>

#include "runtime/loop/clock.h"

namespace kiln::loop::testing {

// A clock that only moves when told to, or when the loop would sleep in poll: it then
// jumps to the end of the sleep and lets poll just look (timeout 0). Tests become exact
// and fast. An unlimited poll still blocks for real, so tests using one must make sure
// some fd is ready.
class FakeClock final : public Clock {
public:
    // Not zero, so that nothing can mistake the clock's epoch for "unset".
    explicit FakeClock(Milliseconds start = Milliseconds(1'000'000))
        : m_now(start)
    {
    }

    PreciseTimePoint now() override { return m_now; }

    PollTimeout before_poll(PollTimeout timeout) override
    {
        requested_poll_timeouts.push_back(timeout);
        if (!timeout)
            return timeout;
        m_now += *timeout + lateness;
        return Milliseconds::zero();
    }

    void advance(Nanoseconds duration) { m_now += duration; }

    // Added to every sleep, to model a loop that wakes up late.
    Nanoseconds lateness {};
    // What the loop asked poll to wait, in order.
    std::vector<PollTimeout> requested_poll_timeouts;

private:
    PreciseTimePoint m_now;
};

} // namespace kiln::loop::testing
