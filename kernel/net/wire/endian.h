#pragma once

// Network byte order carried in types. `BigEndian<T>` stores its bytes as they are on
// the wire (most significant first) and has alignment 1, so it can sit at any offset of
// a frame; `value()` converts to host order. `load_be*`/`store_be*` are the primitive
// accessors the wire views use. Portable; no allocation.

#include <stddef.h>
#include <stdint.h>

#include <type_traits>

namespace kiln::net {

inline uint16_t load_be16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
inline uint32_t load_be32(const uint8_t* p)
{
    return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16)
        | (static_cast<uint32_t>(p[2]) << 8) | p[3];
}
inline void store_be16(uint8_t* p, uint16_t v)
{
    p[0] = static_cast<uint8_t>(v >> 8);
    p[1] = static_cast<uint8_t>(v);
}
inline void store_be32(uint8_t* p, uint32_t v)
{
    p[0] = static_cast<uint8_t>(v >> 24);
    p[1] = static_cast<uint8_t>(v >> 16);
    p[2] = static_cast<uint8_t>(v >> 8);
    p[3] = static_cast<uint8_t>(v);
}

template <typename T> class BigEndian {
    static_assert(std::is_unsigned_v<T>);

public:
    constexpr BigEndian() = default;
    constexpr BigEndian(T host) { *this = host; }
    constexpr BigEndian& operator=(T host)
    {
        for (size_t i = 0; i < sizeof(T); ++i)
            m_bytes[i] = static_cast<uint8_t>(host >> (8 * (sizeof(T) - 1 - i)));
        return *this;
    }
    constexpr T value() const
    {
        T v = 0;
        for (size_t i = 0; i < sizeof(T); ++i)
            v = static_cast<T>((v << 8) | m_bytes[i]);
        return v;
    }
    constexpr const uint8_t* bytes() const { return m_bytes; }
    constexpr bool operator==(const BigEndian&) const = default;

private:
    uint8_t m_bytes[sizeof(T)] = {};
};

using NetworkU16 = BigEndian<uint16_t>;
using NetworkU32 = BigEndian<uint32_t>;
static_assert(sizeof(NetworkU16) == 2 && alignof(NetworkU16) == 1);
static_assert(sizeof(NetworkU32) == 4 && alignof(NetworkU32) == 1);

} // namespace kiln::net
