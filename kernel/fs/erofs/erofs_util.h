#pragma once

// Small helpers shared by the EROFS reader's .cpp files: overflow-checked arithmetic
// and byte-wise name comparison. Not part of the public interface.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace kiln::erofs::detail {

// Every offset and length read from the image goes through these: a corrupt field must
// fail a bounds check, never wrap around and pass one.
inline bool add_overflows(uint64_t a, uint64_t b, uint64_t& out) { return __builtin_add_overflow(a, b, &out); }
inline bool mul_overflows(uint64_t a, uint64_t b, uint64_t& out) { return __builtin_mul_overflow(a, b, &out); }

inline uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

// Directory order: unsigned bytes, then length (what erofs-utils' strcmp sort and
// Linux's erofs_dirnamecmp agree on). Returns <0, 0, >0.
inline int compare_names(std::string_view a, std::string_view b)
{
    size_t common = a.size() < b.size() ? a.size() : b.size();
    if (common != 0) {
        int c = __builtin_memcmp(a.data(), b.data(), common);
        if (c != 0)
            return c;
    }
    if (a.size() == b.size())
        return 0;
    return a.size() < b.size() ? -1 : 1;
}

}  // namespace kiln::erofs::detail
