#pragma once

// Access to user memory from system calls. Every user pointer is a UserAddress until it
// has been checked and copied: the range must lie in the user half, and a fault while
// copying (an unmapped or protected page) becomes EFAULT, never a kernel crash.

#include <stddef.h>
#include <stdint.h>

#include "lib/result.h"

namespace kiln {

// The top of user space: the last page below the canonical hole stays unmapped
// (as on Linux: TASK_SIZE = 2^47 - 4096), which also rules out the SYSRET erratum.
inline constexpr uint64_t USER_SPACE_END = 0x00007ffffffff000ULL;

struct UserAddress {
    uint64_t value;
    bool is_null() const { return value == 0; }
};

// True when [address, address + length) lies within user space (no overflow).
inline bool user_range_ok(uint64_t address, uint64_t length)
{
    return address <= USER_SPACE_END && length <= USER_SPACE_END - address;
}

Result<void> copy_from_user(void* destination, UserAddress source, size_t length);
Result<void> copy_to_user(UserAddress destination, const void* source, size_t length);
Result<void> clear_user(UserAddress destination, size_t length);

// Copies a NUL-terminated user string into buffer (capacity bytes, including the NUL).
// Returns its length; ENAMETOOLONG when it does not fit, EFAULT on a bad pointer.
Result<size_t> copy_string_from_user(char* buffer, size_t capacity, UserAddress source);

template <typename T>
Result<T> read_user(UserAddress source)
{
    T value;
    TRY_VOID(copy_from_user(&value, source, sizeof(T)));
    return value;
}

template <typename T>
Result<void> write_user(UserAddress destination, const T& value)
{
    return copy_to_user(destination, &value, sizeof(T));
}

// For the page-fault handler: where to resume when a user copy faults at rip, or 0 when
// rip is not inside a user-copy routine.
uint64_t user_copy_fixup_for(uint64_t rip);

// SMAP is on: user_copy must bracket accesses with STAC/CLAC. Set at boot.
void user_memory_set_smap(bool enabled);

}  // namespace kiln
