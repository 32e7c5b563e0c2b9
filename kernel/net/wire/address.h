#pragma once

// Link and network addresses as value types. Ipv4Address keeps its octets in network
// order; `to_u32()` gives the host-order integer for arithmetic (masks, hashing).

#include <stddef.h>
#include <stdint.h>

#include "net/wire/endian.h"

namespace kiln::net {

struct MacAddress {
    uint8_t octets[6] = {};

    static constexpr MacAddress broadcast() { return { { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } }; }
    static MacAddress from_bytes(const uint8_t* p)
    {
        MacAddress m;
        for (size_t i = 0; i < 6; ++i)
            m.octets[i] = p[i];
        return m;
    }
    void to_bytes(uint8_t* p) const
    {
        for (size_t i = 0; i < 6; ++i)
            p[i] = octets[i];
    }
    constexpr bool is_broadcast() const { return *this == broadcast(); }
    // Group bit (IEEE 802, bit 0 of the first octet): multicast or broadcast.
    constexpr bool is_multicast() const { return (octets[0] & 1) != 0; }
    constexpr bool is_zero() const { return *this == MacAddress {}; }
    constexpr bool operator==(const MacAddress&) const = default;
};

class Ipv4Address {
public:
    constexpr Ipv4Address() = default;
    constexpr Ipv4Address(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
        : m_octets { a, b, c, d }
    {
    }
    static constexpr Ipv4Address from_u32(uint32_t host)
    {
        return Ipv4Address(static_cast<uint8_t>(host >> 24), static_cast<uint8_t>(host >> 16),
            static_cast<uint8_t>(host >> 8), static_cast<uint8_t>(host));
    }
    static Ipv4Address from_bytes(const uint8_t* p) { return Ipv4Address(p[0], p[1], p[2], p[3]); }
    static constexpr Ipv4Address any() { return {}; }
    static constexpr Ipv4Address broadcast() { return { 255, 255, 255, 255 }; }
    static constexpr Ipv4Address loopback() { return { 127, 0, 0, 1 }; }

    constexpr uint32_t to_u32() const
    {
        return (static_cast<uint32_t>(m_octets[0]) << 24) | (static_cast<uint32_t>(m_octets[1]) << 16)
            | (static_cast<uint32_t>(m_octets[2]) << 8) | m_octets[3];
    }
    void to_bytes(uint8_t* p) const
    {
        for (size_t i = 0; i < 4; ++i)
            p[i] = m_octets[i];
    }
    constexpr uint8_t octet(size_t i) const { return m_octets[i]; }

    constexpr bool is_any() const { return to_u32() == 0; }
    constexpr bool is_broadcast() const { return to_u32() == 0xffffffffu; }
    constexpr bool is_loopback() const { return m_octets[0] == 127; }
    // 224.0.0.0/4 (RFC 5771).
    constexpr bool is_multicast() const { return (m_octets[0] & 0xf0) == 0xe0; }
    constexpr bool in_subnet(Ipv4Address network, Ipv4Address mask) const
    {
        return (to_u32() & mask.to_u32()) == (network.to_u32() & mask.to_u32());
    }
    constexpr bool operator==(const Ipv4Address&) const = default;

private:
    uint8_t m_octets[4] = {};
};

// An IPv4 transport endpoint (address, port), both in host terms.
struct Endpoint {
    Ipv4Address address;
    uint16_t port = 0;
    constexpr bool operator==(const Endpoint&) const = default;
};

} // namespace kiln::net
