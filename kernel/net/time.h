#pragma once

// Time for the network stack: an Instant is a point on the kernel's monotonic clock
// (nanoseconds since boot, kiln::monotonic_ns() in the kernel, a fake clock in tests);
// a Duration is a signed span of it. Nothing in net/ reads a clock: every entry point
// takes `now`.

#include <stdint.h>

#include <compare>

namespace kiln::net {

struct Duration {
    int64_t ns = 0;

    static constexpr Duration nanoseconds(int64_t n) { return { n }; }
    static constexpr Duration milliseconds(int64_t n) { return { n * 1000000 }; }
    static constexpr Duration seconds(int64_t n) { return { n * 1000000000 }; }
    constexpr int64_t to_milliseconds() const { return ns / 1000000; }

    constexpr Duration operator+(Duration o) const { return { ns + o.ns }; }
    constexpr Duration operator-(Duration o) const { return { ns - o.ns }; }
    constexpr Duration operator*(int64_t k) const { return { ns * k }; }
    constexpr Duration operator/(int64_t k) const { return { ns / k }; }
    constexpr auto operator<=>(const Duration&) const = default;
};

struct Instant {
    uint64_t ns = 0;

    static constexpr Instant never() { return { UINT64_MAX }; }
    static constexpr Instant from_nanoseconds(uint64_t n) { return { n }; }
    constexpr bool is_never() const { return ns == UINT64_MAX; }

    constexpr Instant operator+(Duration d) const
    {
        if (is_never())
            return *this;
        if (d.ns >= 0 && ns > UINT64_MAX - 1 - static_cast<uint64_t>(d.ns))
            return never();
        return { ns + static_cast<uint64_t>(d.ns) };
    }
    constexpr Duration operator-(Instant o) const { return { static_cast<int64_t>(ns - o.ns) }; }
    constexpr auto operator<=>(const Instant&) const = default;
};

constexpr Instant earliest(Instant a, Instant b) { return a < b ? a : b; }
constexpr Duration shortest(Duration a, Duration b) { return a < b ? a : b; }
constexpr Duration longest(Duration a, Duration b) { return a < b ? b : a; }

} // namespace kiln::net
