#pragma once

// The clock's state and arithmetic, shared by the kernel and the vDSO. The kernel keeps
// one ClockData in a page of its own that is also mapped read-only into the process as
// [vvar], so user space reads the clocks without a system call (kernel/vdso/). Header
// only: the vDSO is a separate position-independent object that cannot call the kernel.

#include <stdint.h>

#include "time/pvclock.h"

namespace kiln {

enum class ClockMode : uint32_t {
    None = 0,      // clocks not set up: the vDSO falls back to the system call
    Tsc = 1,       // TSC calibrated against the PIT
    Kvmclock = 2,  // KVM's paravirtual clock, updated by the hypervisor
};

struct ClockData {
    // Written by the hypervisor (kvmclock mode): MSR_KVM_SYSTEM_TIME_NEW points here.
    PvclockTimeInfo pvclock;
    ClockMode mode;
    uint32_t pad;
    uint64_t tsc_at_boot;
    uint64_t tsc_multiplier;  // nanoseconds per TSC tick, 32.32 fixed point
    uint64_t kvmclock_at_boot;
    uint64_t realtime_at_boot_ns;
};

inline uint64_t read_tsc()
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (static_cast<uint64_t>(hi) << 32) | lo;
}

// kvmclock time in nanoseconds from a consistent copy of the record (the hypervisor
// makes version odd while it writes).
inline uint64_t kvmclock_now(const volatile ClockData& data)
{
    PvclockTimeInfo copy;
    uint32_t version;
    do {
        version = data.pvclock.version;
        asm volatile("" ::: "memory");
        copy.tsc_timestamp = data.pvclock.tsc_timestamp;
        copy.system_time = data.pvclock.system_time;
        copy.tsc_to_system_mul = data.pvclock.tsc_to_system_mul;
        copy.tsc_shift = data.pvclock.tsc_shift;
        asm volatile("" ::: "memory");
    } while ((version & 1) || version != data.pvclock.version);
    return pvclock_nanoseconds(copy, read_tsc());
}

// Nanoseconds since the kernel set the clock up.
inline uint64_t clock_monotonic_ns(const volatile ClockData& data)
{
    if (data.mode == ClockMode::Kvmclock)
        return kvmclock_now(data) - data.kvmclock_at_boot;
    uint64_t ticks = read_tsc() - data.tsc_at_boot;
    return static_cast<uint64_t>((static_cast<unsigned __int128>(ticks) * data.tsc_multiplier) >> 32);
}

inline uint64_t clock_realtime_ns(const volatile ClockData& data)
{
    return data.realtime_at_boot_ns + clock_monotonic_ns(data);
}

}  // namespace kiln
