#pragma once

// UDP (RFC 768). The checksum covers a pseudo-header; a transmitted checksum of zero
// means "none" (allowed for IPv4), and a computed zero is sent as 0xffff.

#include <stddef.h>
#include <stdint.h>

#include <span>

#include "lib/result.h"
#include "net/wire/address.h"
#include "net/wire/ipv4.h"

namespace kiln::net {

constexpr size_t UDP_HEADER_SIZE = 8;

struct UdpDatagram {
    uint16_t source_port = 0;
    uint16_t destination_port = 0;
    bool had_checksum = false;
    std::span<const uint8_t> payload; // per the length field; trailing bytes ignored
};

Result<UdpDatagram> parse_udp(std::span<const uint8_t> bytes, Ipv4Address source, Ipv4Address destination,
    ChecksumCheck check = ChecksumCheck::Verify);
// Writes the 8-byte header; the checksum covers header, pseudo-header and the payload
// given as up to two spans (a ring buffer's two halves).
size_t emit_udp_header(uint16_t source_port, uint16_t destination_port, Ipv4Address source, Ipv4Address destination,
    std::span<const uint8_t> payload, std::span<const uint8_t> payload2, std::span<uint8_t> out);

} // namespace kiln::net
