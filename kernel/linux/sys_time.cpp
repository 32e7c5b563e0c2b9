// Clocks and sleeping: clock_gettime, clock_getres, gettimeofday, time, nanosleep,
// clock_nanosleep.

#include "linux/syscall.h"
#include "linux/time_args.h"
#include "time/clock.h"
#include "time/wait.h"

namespace kiln {
namespace {

struct Timeval {
    int64_t seconds;
    int64_t microseconds;
};

constexpr int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3,
              CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7,
              CLOCK_TAI = 11;

Result<uint64_t> clock_now(int64_t clock)
{
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_TAI:
        return realtime_ns();
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
    // The process is the only thing running, so its CPU time is (to within interrupts)
    // the time since boot.
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
        return monotonic_ns();
    default:
        return Errno::INVAL;
    }
}

Timespec to_timespec(uint64_t ns)
{
    return { static_cast<int64_t>(ns / NS_PER_SECOND), static_cast<int64_t>(ns % NS_PER_SECOND) };
}

Result<int64_t> sys_clock_gettime(const SyscallArgs& a)
{
    TRY(uint64_t now, clock_now(static_cast<int64_t>(a.a0)));
    TRY_VOID(write_user(a.user(a.a1), to_timespec(now)));
    return 0;
}

Result<int64_t> sys_clock_getres(const SyscallArgs& a)
{
    TRY(uint64_t now, clock_now(static_cast<int64_t>(a.a0)));
    (void)now;
    if (a.a1 == 0)
        return 0;
    bool coarse = a.a0 == CLOCK_REALTIME_COARSE || a.a0 == CLOCK_MONOTONIC_COARSE;
    // Coarse clocks tick at Linux's usual HZ=250; the others are nanosecond clocks.
    Timespec resolution { 0, coarse ? 4000000 : 1 };
    TRY_VOID(write_user(a.user(a.a1), resolution));
    return 0;
}

Result<int64_t> sys_gettimeofday(const SyscallArgs& a)
{
    if (a.a0) {
        uint64_t now = realtime_ns();
        Timeval tv { static_cast<int64_t>(now / NS_PER_SECOND), static_cast<int64_t>(now % NS_PER_SECOND / 1000) };
        TRY_VOID(write_user(a.user(a.a0), tv));
    }
    if (a.a1) {
        int32_t timezone[2] = { 0, 0 }; // UTC, no DST
        TRY_VOID(write_user(a.user(a.a1), timezone));
    }
    return 0;
}

Result<int64_t> sys_time(const SyscallArgs& a)
{
    int64_t seconds = static_cast<int64_t>(realtime_ns() / NS_PER_SECOND);
    if (a.a0)
        TRY_VOID(write_user(a.user(a.a0), seconds));
    return seconds;
}

} // namespace

Result<uint64_t> read_timespec_ns(UserAddress address)
{
    TRY(Timespec t, read_user<Timespec>(address));
    if (t.seconds < 0 || t.nanoseconds < 0 || t.nanoseconds >= static_cast<int64_t>(NS_PER_SECOND))
        return Errno::INVAL;
    uint64_t max_seconds = ~0ULL / NS_PER_SECOND - 1;
    uint64_t seconds = static_cast<uint64_t>(t.seconds) > max_seconds ? max_seconds : static_cast<uint64_t>(t.seconds);
    return seconds * NS_PER_SECOND + static_cast<uint64_t>(t.nanoseconds);
}

namespace {

// The CPU halts until the timer interrupt: a sleeping VM uses no host CPU.
void sleep_until(uint64_t monotonic_deadline) { (void)wait_until(monotonic_deadline); }

Result<int64_t> sys_nanosleep(const SyscallArgs& a)
{
    TRY(uint64_t duration, read_timespec_ns(a.user(a.a0)));
    sleep_until(monotonic_ns() + duration);
    return 0;
}

Result<int64_t> sys_clock_nanosleep(const SyscallArgs& a)
{
    constexpr uint64_t TIMER_ABSTIME = 1;
    int64_t clock = static_cast<int64_t>(a.a0);
    if (clock == CLOCK_THREAD_CPUTIME_ID)
        return Errno::INVAL;
    TRY(uint64_t now, clock_now(clock));
    TRY(uint64_t value, read_timespec_ns(a.user(a.a2)));
    uint64_t remaining = value;
    if (a.a1 & TIMER_ABSTIME)
        remaining = value > now ? value - now : 0;
    sleep_until(monotonic_ns() + remaining);
    return 0;
}

const SyscallEntry ENTRIES[] = {
    { 35, sys_nanosleep },
    { 96, sys_gettimeofday },
    { 201, sys_time },
    { 228, sys_clock_gettime },
    { 229, sys_clock_getres },
    { 230, sys_clock_nanosleep },
};

} // namespace

SyscallFamily time_syscalls() { return { ENTRIES, sizeof(ENTRIES) / sizeof(ENTRIES[0]) }; }

} // namespace kiln
