#pragma once

// The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement
// sum of the data taken as big-endian 16-bit words. `Checksum` accumulates any number of
// spans of any length (an odd-length span carries its last byte into the next one), so
// headers and payload in separate buffers sum as if contiguous.

#include <stddef.h>
#include <stdint.h>

#include <span>

#include "net/wire/address.h"

namespace kiln::net {

class Checksum {
public:
    void add(std::span<const uint8_t> bytes);
    void add_u16(uint16_t host);
    void add_u32(uint32_t host)
    {
        add_u16(static_cast<uint16_t>(host >> 16));
        add_u16(static_cast<uint16_t>(host));
    }
    void add_address(Ipv4Address a) { add_u32(a.to_u32()); }
    // The one's complement of the folded sum, ready to store in a header.
    uint16_t finish() const;
    // Folded sum without the final complement (0xffff for data that verifies).
    uint16_t folded() const;

private:
    uint64_t m_sum = 0;
    bool m_odd = false; // the last byte added was the high half of a word
};

uint16_t internet_checksum(std::span<const uint8_t> bytes);

// RFC 1624 eqn. 3: the checksum after one 16-bit word of the covered data changes from
// old_word to new_word, without summing the data again: HC' = ~(~HC + ~m + m').
uint16_t checksum_update(uint16_t checksum, uint16_t old_word, uint16_t new_word);
uint16_t checksum_update32(uint16_t checksum, uint32_t old_value, uint32_t new_value);

// The TCP/UDP pseudo-header (RFC 9293 section 3.1, RFC 768): source, destination,
// zero + protocol, transport length.
void add_pseudo_header(Checksum& sum, Ipv4Address source, Ipv4Address destination, uint8_t protocol, uint16_t length);

} // namespace kiln::net
