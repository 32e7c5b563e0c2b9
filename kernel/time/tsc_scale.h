#pragma once

// Converting TSC ticks to nanoseconds without division on the hot path: a 32.32
// fixed-point multiplier, as Linux's cyc2ns. Portable.

#include <stdint.h>

namespace kiln {

class TscScale {
public:
    TscScale() = default;
    // frequency_hz must be non-zero.
    explicit TscScale(uint64_t frequency_hz)
        : m_frequency_hz(frequency_hz)
        , m_multiplier(static_cast<uint64_t>((static_cast<unsigned __int128>(1000000000ULL) << 32) / frequency_hz))
    {
    }

    uint64_t nanoseconds(uint64_t ticks) const
    {
        return static_cast<uint64_t>((static_cast<unsigned __int128>(ticks) * m_multiplier) >> 32);
    }
    uint64_t frequency_hz() const { return m_frequency_hz; }
    uint64_t multiplier() const { return m_multiplier; }

private:
    uint64_t m_frequency_hz = 0;
    uint64_t m_multiplier = 0;
};

}  // namespace kiln
