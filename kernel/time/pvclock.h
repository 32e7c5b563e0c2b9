#pragma once

// KVM's paravirtual clock (Documentation/virt/kvm/x86/msr.rst, MSR_KVM_SYSTEM_TIME_NEW):
// the hypervisor publishes a TSC → nanoseconds conversion that stays right across
// migration and frequency changes. Portable: the structure and the arithmetic.

#include <stdint.h>

namespace kiln {

struct PvclockTimeInfo {
    uint32_t version;  // odd while the hypervisor updates the record
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;  // nanoseconds at tsc_timestamp
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags;
    uint8_t pad[2];
};
static_assert(sizeof(PvclockTimeInfo) == 32);

struct PvclockWallClock {
    uint32_t version;
    uint32_t sec;
    uint32_t nsec;
};
static_assert(sizeof(PvclockWallClock) == 12);

// Nanoseconds since the hypervisor's epoch for a TSC reading, given one consistent copy
// of the record: system_time + ((tsc - tsc_timestamp) << shift) * mul >> 32.
inline uint64_t pvclock_nanoseconds(const PvclockTimeInfo& info, uint64_t tsc)
{
    uint64_t delta = tsc - info.tsc_timestamp;
    if (info.tsc_shift < 0)
        delta >>= -info.tsc_shift;
    else
        delta <<= info.tsc_shift;
    uint64_t scaled = static_cast<uint64_t>((static_cast<unsigned __int128>(delta) * info.tsc_to_system_mul) >> 32);
    return info.system_time + scaled;
}

}  // namespace kiln
