#pragma once

// TCP segments (RFC 9293 section 3.1) and the options we know: EOL, NOP, MSS (RFC 9293
// 3.2), window scale and timestamps (RFC 7323 sections 2.2, 3.2), SACK-permitted and SACK
// (RFC 2018). Unknown options are skipped by their length; a malformed option list
// (a length below 2 or past the header) ends option parsing and keeps what was read,
// as Linux does (tcp_parse_options), instead of dropping the segment.

#include <stddef.h>
#include <stdint.h>

#include <span>

#include "lib/result.h"
#include "net/wire/address.h"
#include "net/wire/ipv4.h"
#include "net/wire/sequence.h"

namespace kiln::net {

constexpr size_t TCP_HEADER_SIZE = 20;
constexpr size_t TCP_MAX_HEADER_SIZE = 60;

namespace tcp_flags {
constexpr uint8_t FIN = 0x01;
constexpr uint8_t SYN = 0x02;
constexpr uint8_t RST = 0x04;
constexpr uint8_t PSH = 0x08;
constexpr uint8_t ACK = 0x10;
constexpr uint8_t URG = 0x20;
constexpr uint8_t ECE = 0x40;
constexpr uint8_t CWR = 0x80;
} // namespace tcp_flags

struct TcpOptions {
    uint16_t mss = 0; // 0: absent
    int8_t window_scale = -1; // -1: absent; parsed values above 14 are clamped (RFC 7323 2.3)
    bool sack_permitted = false;
    bool has_timestamps = false;
    uint32_t timestamp_value = 0;
    uint32_t timestamp_echo = 0;
    uint8_t sack_block_count = 0; // SACK blocks seen (parsed, not used)
};

struct TcpSegment {
    uint16_t source_port = 0;
    uint16_t destination_port = 0;
    SeqNumber seq;
    SeqNumber ack;
    uint8_t flags = 0;
    uint16_t window = 0;
    uint16_t urgent_pointer = 0;
    TcpOptions options;
    std::span<const uint8_t> payload;

    bool has(uint8_t flag) const { return (flags & flag) != 0; }
    // SEG.LEN (RFC 9293 3.4): payload plus one for SYN and one for FIN.
    uint32_t sequence_length() const
    {
        return static_cast<uint32_t>(payload.size()) + (has(tcp_flags::SYN) ? 1 : 0) + (has(tcp_flags::FIN) ? 1 : 0);
    }
};

Result<TcpSegment> parse_tcp(std::span<const uint8_t> bytes, Ipv4Address source, Ipv4Address destination,
    ChecksumCheck check = ChecksumCheck::Verify);

// Header size `emit_tcp_header` will write for these options (20 + padded options).
size_t tcp_header_size(const TcpOptions& options);
// Writes the header (options included, segment.payload ignored) and the checksum over
// header, pseudo-header and the payload spans. Returns the header size.
size_t emit_tcp_header(const TcpSegment& segment, Ipv4Address source, Ipv4Address destination,
    std::span<const uint8_t> payload, std::span<const uint8_t> payload2, std::span<uint8_t> out);

} // namespace kiln::net
