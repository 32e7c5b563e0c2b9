#include "runtime/loop/clock.h"

#include <time.h>

namespace kiln::loop {

PreciseTimePoint MonotonicClock::now()
{
    timespec time {};
    // Cannot fail for CLOCK_MONOTONIC with a valid pointer.
    ::clock_gettime(CLOCK_MONOTONIC, &time);
    return PreciseTimePoint(std::chrono::seconds(time.tv_sec) + Nanoseconds(time.tv_nsec));
}

} // namespace kiln::loop
