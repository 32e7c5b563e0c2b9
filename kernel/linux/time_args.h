#pragma once

// struct timespec as system calls pass it, and reading one in as nanoseconds.

#include <stdint.h>

#include "lib/result.h"
#include "linux/user_memory.h"

namespace kiln {

struct Timespec {
    int64_t seconds;
    int64_t nanoseconds;
};

inline constexpr uint64_t NS_PER_SECOND = 1000000000ULL;

// A non-negative timespec in nanoseconds (huge values saturate rather than wrap);
// EINVAL for negative or unnormalized ones, EFAULT for a bad pointer.
Result<uint64_t> read_timespec_ns(UserAddress address);

} // namespace kiln
