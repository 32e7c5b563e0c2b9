#include "linux/user_memory.h"

extern "C" {
uint64_t user_copy(void* destination, const void* source, uint64_t length);
int64_t user_copy_string(char* destination, const char* source, uint64_t capacity);
uint64_t user_memset(void* destination, int value, uint64_t length);
extern const char user_copy_fault_begin[], user_copy_fault_end[], user_copy_fixup[];
extern const char user_copy_string_fault_begin[], user_copy_string_fault_end[], user_copy_string_fixup[];
extern const char user_memset_fault_begin[], user_memset_fault_end[], user_memset_fixup[];
// Read by user_copy.S.
bool g_smap_enabled = false;
}

namespace kiln {

Result<void> copy_from_user(void* destination, UserAddress source, size_t length)
{
    if (!user_range_ok(source.value, length))
        return Errno::FAULT;
    if (user_copy(destination, reinterpret_cast<const void*>(source.value), length) != 0)
        return Errno::FAULT;
    return {};
}

Result<void> copy_to_user(UserAddress destination, const void* source, size_t length)
{
    if (!user_range_ok(destination.value, length))
        return Errno::FAULT;
    if (user_copy(reinterpret_cast<void*>(destination.value), source, length) != 0)
        return Errno::FAULT;
    return {};
}

Result<void> clear_user(UserAddress destination, size_t length)
{
    if (!user_range_ok(destination.value, length))
        return Errno::FAULT;
    if (user_memset(reinterpret_cast<void*>(destination.value), 0, length) != 0)
        return Errno::FAULT;
    return {};
}

Result<size_t> copy_string_from_user(char* buffer, size_t capacity, UserAddress source)
{
    if (capacity == 0)
        return Errno::NAMETOOLONG;
    // Only the part of the string inside user space may be read.
    if (source.value >= USER_SPACE_END)
        return Errno::FAULT;
    uint64_t limit = USER_SPACE_END - source.value < capacity ? USER_SPACE_END - source.value : capacity;
    int64_t n = user_copy_string(buffer, reinterpret_cast<const char*>(source.value), limit);
    if (n < 0)
        return Errno::FAULT;
    if (static_cast<uint64_t>(n) == limit)
        return limit < capacity ? Errno::FAULT : Errno::NAMETOOLONG;
    return static_cast<size_t>(n);
}

uint64_t user_copy_fixup_for(uint64_t rip)
{
    struct Range {
        const char* begin;
        const char* end;
        const char* fixup;
    };
    const Range ranges[] = {
        { user_copy_fault_begin, user_copy_fault_end, user_copy_fixup },
        { user_copy_string_fault_begin, user_copy_string_fault_end, user_copy_string_fixup },
        { user_memset_fault_begin, user_memset_fault_end, user_memset_fixup },
    };
    for (const auto& r : ranges) {
        if (rip >= reinterpret_cast<uint64_t>(r.begin) && rip < reinterpret_cast<uint64_t>(r.end))
            return reinterpret_cast<uint64_t>(r.fixup);
    }
    return 0;
}

void user_memory_set_smap(bool enabled) { g_smap_enabled = enabled; }

}  // namespace kiln
