#pragma once

// ICMP for IPv4 (RFC 792): echo request/reply and destination unreachable. The checksum
// covers the whole message.

#include <stddef.h>
#include <stdint.h>

#include <span>

#include "lib/result.h"

namespace kiln::net {

constexpr size_t ICMP_HEADER_SIZE = 8;
constexpr uint8_t ICMP_ECHO_REPLY = 0;
constexpr uint8_t ICMP_DEST_UNREACHABLE = 3;
constexpr uint8_t ICMP_ECHO_REQUEST = 8;
constexpr uint8_t ICMP_TIME_EXCEEDED = 11;
constexpr uint8_t ICMP_CODE_PORT_UNREACHABLE = 3;
constexpr uint8_t ICMP_CODE_FRAGMENTATION_NEEDED = 4;

struct IcmpMessage {
    uint8_t type = 0;
    uint8_t code = 0;
    // The 4 bytes after the checksum: identifier and sequence for echo messages,
    // unused / next-hop MTU for destination unreachable.
    uint32_t rest = 0;
    std::span<const uint8_t> payload;

    uint16_t identifier() const { return static_cast<uint16_t>(rest >> 16); }
    uint16_t sequence() const { return static_cast<uint16_t>(rest); }
};

Result<IcmpMessage> parse_icmp(std::span<const uint8_t> bytes);
// Writes header and copies the payload; out must hold ICMP_HEADER_SIZE + payload.
size_t emit_icmp(const IcmpMessage& message, std::span<uint8_t> out);

} // namespace kiln::net
