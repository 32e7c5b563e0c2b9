#pragma once

#include <chrono>
#include <optional>

namespace kiln::loop {

// Durations and time points on the monotonic clock (CLOCK_MONOTONIC; steady_clock is
// that clock on Linux, so it serves as the time points' clock type). The loop keeps
// time in whole milliseconds, like libuv's uv_now(); hrtime wants nanoseconds.
using Milliseconds = std::chrono::milliseconds;
using Nanoseconds = std::chrono::nanoseconds;
using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Milliseconds>;
using PreciseTimePoint = std::chrono::time_point<std::chrono::steady_clock, Nanoseconds>;

// How long poll may block: a duration, or nullopt for "until an event arrives".
using PollTimeout = std::optional<Milliseconds>;

// Where the loop's time comes from. Production uses MonotonicClock; tests inject a
// fake so that timer tests are exact and never sleep.
class Clock {
public:
    virtual ~Clock() = default;

    // The current time; never goes backwards.
    virtual PreciseTimePoint now() = 0;

    // The loop is about to block in poll for at most `timeout`. Returns the timeout
    // poll must really use. The real clock keeps it; a fake clock advances itself by
    // `timeout` and returns zero, so "sleeping" until the next timer costs nothing.
    virtual PollTimeout before_poll(PollTimeout timeout) { return timeout; }
};

// clock_gettime(CLOCK_MONOTONIC): served from the vDSO on Linux and by the Kiln kernel.
class MonotonicClock final : public Clock {
public:
    PreciseTimePoint now() override;
};

// Milliseconds of a precise time point, rounded down (as libuv's uv__update_time).
inline TimePoint to_milliseconds(PreciseTimePoint time) { return std::chrono::floor<Milliseconds>(time); }

} // namespace kiln::loop
