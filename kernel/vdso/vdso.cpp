// The vDSO: a small shared object the kernel maps into the process (AT_SYSINFO_EHDR),
// which glibc uses for clock_gettime, gettimeofday, time and getcpu instead of system
// calls. V8 reads the clock constantly; this keeps those reads off the system-call path.
//
// Built position-independent and without any relocation: the only data it reads is the
// kernel's ClockData page ([vvar]), mapped just below the vDSO and reached RIP-relative
// through the hidden symbol the linker script places there.

#include "time/clock_data.h"

using kiln::ClockData;
using kiln::ClockMode;

extern "C" const volatile ClockData vvar_clock_data __attribute__((visibility("hidden")));

namespace {

struct Timespec {
    long seconds;
    long nanoseconds;
};
struct Timeval {
    long seconds;
    long microseconds;
};

constexpr int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5,
              CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7;
constexpr long SYS_GETTIMEOFDAY = 96, SYS_TIME = 201, SYS_CLOCK_GETTIME = 228, SYS_CLOCK_GETRES = 229;

long syscall2(long number, long a, long b)
{
    long result;
    asm volatile("syscall" : "=a"(result) : "a"(number), "D"(a), "S"(b) : "rcx", "r11", "memory");
    return result;
}

bool realtime_clock(int clock) { return clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE; }
bool monotonic_clock(int clock)
{
    return clock == CLOCK_MONOTONIC || clock == CLOCK_MONOTONIC_RAW || clock == CLOCK_MONOTONIC_COARSE
        || clock == CLOCK_BOOTTIME;
}

}  // namespace

extern "C" {

int __vdso_clock_gettime(int clock, Timespec* ts)
{
    const volatile ClockData& data = vvar_clock_data;
    if (data.mode == ClockMode::None || !(realtime_clock(clock) || monotonic_clock(clock)))
        return static_cast<int>(syscall2(SYS_CLOCK_GETTIME, clock, reinterpret_cast<long>(ts)));
    uint64_t ns = realtime_clock(clock) ? kiln::clock_realtime_ns(data) : kiln::clock_monotonic_ns(data);
    ts->seconds = static_cast<long>(ns / 1000000000);
    ts->nanoseconds = static_cast<long>(ns % 1000000000);
    return 0;
}

int __vdso_gettimeofday(Timeval* tv, void* tz)
{
    const volatile ClockData& data = vvar_clock_data;
    if (data.mode == ClockMode::None || tz)
        return static_cast<int>(syscall2(SYS_GETTIMEOFDAY, reinterpret_cast<long>(tv), reinterpret_cast<long>(tz)));
    if (tv) {
        uint64_t ns = kiln::clock_realtime_ns(data);
        tv->seconds = static_cast<long>(ns / 1000000000);
        tv->microseconds = static_cast<long>(ns % 1000000000 / 1000);
    }
    return 0;
}

long __vdso_time(long* out)
{
    const volatile ClockData& data = vvar_clock_data;
    if (data.mode == ClockMode::None)
        return syscall2(SYS_TIME, reinterpret_cast<long>(out), 0);
    long seconds = static_cast<long>(kiln::clock_realtime_ns(data) / 1000000000);
    if (out)
        *out = seconds;
    return seconds;
}

int __vdso_clock_getres(int clock, Timespec* res)
{
    return static_cast<int>(syscall2(SYS_CLOCK_GETRES, clock, reinterpret_cast<long>(res)));
}

// One CPU, NUMA node 0.
long __vdso_getcpu(unsigned* cpu, unsigned* node, void*)
{
    if (cpu)
        *cpu = 0;
    if (node)
        *node = 0;
    return 0;
}

int clock_gettime(int, Timespec*) __attribute__((weak, alias("__vdso_clock_gettime")));
int gettimeofday(Timeval*, void*) __attribute__((weak, alias("__vdso_gettimeofday")));
long time(long*) __attribute__((weak, alias("__vdso_time")));
int clock_getres(int, Timespec*) __attribute__((weak, alias("__vdso_clock_getres")));
long getcpu(unsigned*, unsigned*, void*) __attribute__((weak, alias("__vdso_getcpu")));
}
