#pragma once

// Ethernet II framing (IEEE 802.3 with an EtherType) and ARP for IPv4 over Ethernet
// (RFC 826). VLAN tags and 802.3 length-field frames are not parsed: their EtherType
// values are not ours, so the stack drops them.

#include <stddef.h>
#include <stdint.h>

#include <span>

#include "lib/result.h"
#include "net/wire/address.h"

namespace kiln::net {

constexpr size_t ETHERNET_HEADER_SIZE = 14;
// Frames shorter than this are padded by the sender (802.3 minimum 64 bytes with FCS).
constexpr size_t ETHERNET_MIN_FRAME = 60;
constexpr uint16_t ETHERTYPE_IPV4 = 0x0800;
constexpr uint16_t ETHERTYPE_ARP = 0x0806;

struct EthernetHeader {
    MacAddress destination;
    MacAddress source;
    uint16_t ethertype = 0;
};

struct EthernetFrame {
    EthernetHeader header;
    std::span<const uint8_t> payload; // may include link padding
};

Result<EthernetFrame> parse_ethernet(std::span<const uint8_t> frame);
// Writes the 14-byte header at the start of out (which must hold it).
size_t emit_ethernet(const EthernetHeader& header, std::span<uint8_t> out);

constexpr size_t ARP_PACKET_SIZE = 28;
constexpr uint16_t ARP_REQUEST = 1;
constexpr uint16_t ARP_REPLY = 2;

struct ArpPacket {
    uint16_t operation = 0;
    MacAddress sender_mac;
    Ipv4Address sender_ip;
    MacAddress target_mac;
    Ipv4Address target_ip;
};

// Accepts only htype 1 (Ethernet), ptype 0x0800, hlen 6, plen 4.
Result<ArpPacket> parse_arp(std::span<const uint8_t> bytes);
size_t emit_arp(const ArpPacket& packet, std::span<uint8_t> out);

} // namespace kiln::net
