#pragma once

// IPv4 headers (RFC 791 section 3.1). Parsing checks version, header length, total
// length against the buffer (link padding is cut off) and the header checksum; options
// are skipped by their declared header length, never interpreted. Fragments are
// identified (`is_fragment()`); reassembly lives in net/ipv4_reassembly.h.

#include <stddef.h>
#include <stdint.h>

#include <span>

#include "lib/result.h"
#include "net/wire/address.h"

namespace kiln::net {

constexpr size_t IPV4_HEADER_SIZE = 20; // without options; we never emit options
constexpr size_t IPV4_MAX_HEADER_SIZE = 60;
constexpr uint8_t IP_PROTOCOL_ICMP = 1;
constexpr uint8_t IP_PROTOCOL_TCP = 6;
constexpr uint8_t IP_PROTOCOL_UDP = 17;

struct Ipv4Header {
    uint8_t tos = 0;
    uint16_t identification = 0;
    bool dont_fragment = false;
    bool more_fragments = false;
    uint16_t fragment_offset = 0; // in bytes (the field counts 8-byte units)
    uint8_t ttl = 64;
    uint8_t protocol = 0;
    Ipv4Address source;
    Ipv4Address destination;
    // Parse only: header length as received (20..60); emit always writes 20.
    uint8_t header_length = IPV4_HEADER_SIZE;

    bool is_fragment() const { return more_fragments || fragment_offset != 0; }
};

struct Ipv4Packet {
    Ipv4Header header;
    std::span<const uint8_t> payload; // exactly total_length - header_length bytes
};

enum class ChecksumCheck { Verify, Skip };

Result<Ipv4Packet> parse_ipv4(std::span<const uint8_t> bytes, ChecksumCheck check = ChecksumCheck::Verify);
// Writes a 20-byte header for a payload of payload_length bytes, checksum included.
size_t emit_ipv4(const Ipv4Header& header, uint16_t payload_length, std::span<uint8_t> out);

} // namespace kiln::net
