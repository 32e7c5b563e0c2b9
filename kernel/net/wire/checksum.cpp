#include "net/wire/checksum.h"

namespace kiln::net {

void Checksum::add(std::span<const uint8_t> bytes)
{
    size_t i = 0;
    size_t n = bytes.size();
    if (n && m_odd) {
        m_sum += bytes[0];
        m_odd = false;
        i = 1;
    }
    // Sum 16-bit words; 64-bit accumulator cannot overflow for any frame we handle
    // (2^48 words).
    for (; i + 1 < n; i += 2)
        m_sum += static_cast<uint32_t>((bytes[i] << 8) | bytes[i + 1]);
    if (i < n) {
        m_sum += static_cast<uint32_t>(bytes[i] << 8);
        m_odd = true;
    }
}

void Checksum::add_u16(uint16_t host)
{
    uint8_t b[2] = { static_cast<uint8_t>(host >> 8), static_cast<uint8_t>(host) };
    add(b);
}

uint16_t Checksum::folded() const
{
    uint64_t s = m_sum;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return static_cast<uint16_t>(s);
}

uint16_t Checksum::finish() const { return static_cast<uint16_t>(~folded()); }

uint16_t internet_checksum(std::span<const uint8_t> bytes)
{
    Checksum c;
    c.add(bytes);
    return c.finish();
}

uint16_t checksum_update(uint16_t checksum, uint16_t old_word, uint16_t new_word)
{
    uint32_t sum = static_cast<uint16_t>(~checksum) + static_cast<uint32_t>(static_cast<uint16_t>(~old_word)) + new_word;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<uint16_t>(~sum);
}

uint16_t checksum_update32(uint16_t checksum, uint32_t old_value, uint32_t new_value)
{
    checksum = checksum_update(checksum, static_cast<uint16_t>(old_value >> 16), static_cast<uint16_t>(new_value >> 16));
    return checksum_update(checksum, static_cast<uint16_t>(old_value), static_cast<uint16_t>(new_value));
}

void add_pseudo_header(Checksum& sum, Ipv4Address source, Ipv4Address destination, uint8_t protocol, uint16_t length)
{
    sum.add_address(source);
    sum.add_address(destination);
    sum.add_u16(protocol);
    sum.add_u16(length);
}

} // namespace kiln::net
