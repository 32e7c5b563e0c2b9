#pragma once

// TCP sequence numbers: 32-bit modular arithmetic, compared with serial number
// arithmetic (RFC 1982 section 3.2; RFC 9293 section 3.4: "a < b" means a is before b
// in the circular space, valid while the two are less than 2^31 apart).

#include <stdint.h>

namespace kiln::net {

class SeqNumber {
public:
    constexpr SeqNumber() = default;
    constexpr explicit SeqNumber(uint32_t raw)
        : m_raw(raw)
    {
    }
    constexpr uint32_t raw() const { return m_raw; }

    constexpr SeqNumber operator+(uint32_t n) const { return SeqNumber(m_raw + n); }
    constexpr SeqNumber operator-(uint32_t n) const { return SeqNumber(m_raw - n); }
    constexpr SeqNumber& operator+=(uint32_t n)
    {
        m_raw += n;
        return *this;
    }
    // Signed distance from `other` to this.
    constexpr int32_t operator-(SeqNumber other) const { return static_cast<int32_t>(m_raw - other.m_raw); }

    constexpr bool operator==(const SeqNumber&) const = default;
    constexpr bool operator<(SeqNumber o) const { return (*this - o) < 0; }
    constexpr bool operator<=(SeqNumber o) const { return (*this - o) <= 0; }
    constexpr bool operator>(SeqNumber o) const { return (*this - o) > 0; }
    constexpr bool operator>=(SeqNumber o) const { return (*this - o) >= 0; }

private:
    uint32_t m_raw = 0;
};

constexpr SeqNumber seq_max(SeqNumber a, SeqNumber b) { return a < b ? b : a; }
constexpr SeqNumber seq_min(SeqNumber a, SeqNumber b) { return a < b ? a : b; }

} // namespace kiln::net
