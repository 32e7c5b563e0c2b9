#include "net_test_util.h"

#include <cstdio>
#include <cstring>

#include <gtest/gtest.h>

#include "net/wire/checksum.h"
#include "net/wire/endian.h"

namespace kiln::net::test {

Parsed parse_frame(const Bytes& frame)
{
    Parsed p;
    p.bytes = frame;
    auto eth = parse_ethernet(p.bytes);
    if (!eth)
        return p;
    p.ethernet = eth->header;
    if (eth->header.ethertype == ETHERTYPE_ARP) {
        if (auto arp = parse_arp(eth->payload))
            p.arp = *arp;
        return p;
    }
    if (eth->header.ethertype != ETHERTYPE_IPV4)
        return p;
    auto ip = parse_ipv4(eth->payload);
    if (!ip)
        return p;
    p.ip = ip->header;
    p.ip_payload.assign(ip->payload.begin(), ip->payload.end());
    if (ip->header.is_fragment())
        return p;
    if (ip->header.protocol == IP_PROTOCOL_TCP) {
        if (auto tcp = parse_tcp(p.ip_payload, ip->header.source, ip->header.destination)) {
            p.tcp_payload.assign(tcp->payload.begin(), tcp->payload.end());
            p.tcp = *tcp;
            p.tcp->payload = p.tcp_payload;
        }
    } else if (ip->header.protocol == IP_PROTOCOL_UDP) {
        if (auto udp = parse_udp(p.ip_payload, ip->header.source, ip->header.destination)) {
            p.udp_payload.assign(udp->payload.begin(), udp->payload.end());
            p.udp = *udp;
            p.udp->payload = p.udp_payload;
        }
    } else if (ip->header.protocol == IP_PROTOCOL_ICMP) {
        if (auto icmp = parse_icmp(p.ip_payload)) {
            p.icmp_payload.assign(icmp->payload.begin(), icmp->payload.end());
            p.icmp = *icmp;
            p.icmp->payload = p.icmp_payload;
        }
    }
    return p;
}

Bytes ethernet_frame(MacAddress destination, MacAddress source, uint16_t ethertype, const Bytes& payload)
{
    Bytes frame(ETHERNET_HEADER_SIZE + payload.size());
    emit_ethernet({ destination, source, ethertype }, frame);
    if (!payload.empty())
        std::memcpy(frame.data() + ETHERNET_HEADER_SIZE, payload.data(), payload.size());
    return frame;
}

Bytes ipv4_packet(const Ipv4Header& header, const Bytes& payload)
{
    Bytes packet(IPV4_HEADER_SIZE + payload.size());
    emit_ipv4(header, static_cast<uint16_t>(payload.size()), packet);
    if (!payload.empty())
        std::memcpy(packet.data() + IPV4_HEADER_SIZE, payload.data(), payload.size());
    return packet;
}

Bytes ip_frame(const Ipv4Header& header, const Bytes& payload, MacAddress destination, MacAddress source)
{
    return ethernet_frame(destination, source, ETHERTYPE_IPV4, ipv4_packet(header, payload));
}

Ipv4Header ip_header(Ipv4Address source, Ipv4Address destination, uint8_t protocol)
{
    Ipv4Header h;
    h.source = source;
    h.destination = destination;
    h.protocol = protocol;
    h.ttl = 64;
    h.identification = 0x1234;
    return h;
}

Bytes udp_bytes(Ipv4Address source, Ipv4Address destination, uint16_t source_port, uint16_t destination_port,
    const Bytes& payload)
{
    Bytes bytes(UDP_HEADER_SIZE + payload.size());
    emit_udp_header(source_port, destination_port, source, destination, payload, {}, bytes);
    if (!payload.empty())
        std::memcpy(bytes.data() + UDP_HEADER_SIZE, payload.data(), payload.size());
    return bytes;
}

Bytes tcp_bytes(Ipv4Address source, Ipv4Address destination, const TcpSegment& segment, const Bytes& payload)
{
    size_t header = tcp_header_size(segment.options);
    Bytes bytes(header + payload.size());
    emit_tcp_header(segment, source, destination, payload, {}, bytes);
    if (!payload.empty())
        std::memcpy(bytes.data() + header, payload.data(), payload.size());
    return bytes;
}

Bytes arp_frame(uint16_t operation, MacAddress sender_mac, Ipv4Address sender_ip, MacAddress target_mac,
    Ipv4Address target_ip, MacAddress destination)
{
    Bytes payload(ARP_PACKET_SIZE);
    emit_arp({ operation, sender_mac, sender_ip, target_mac, target_ip }, payload);
    return ethernet_frame(destination, sender_mac, ETHERTYPE_ARP, payload);
}

Bytes icmp_echo_bytes(uint8_t type, uint16_t id, uint16_t sequence, const Bytes& payload)
{
    Bytes bytes(ICMP_HEADER_SIZE + payload.size());
    IcmpMessage m;
    m.type = type;
    m.rest = static_cast<uint32_t>(id) << 16 | sequence;
    m.payload = payload;
    emit_icmp(m, bytes);
    return bytes;
}

Bytes pattern(size_t size, uint32_t seed)
{
    Bytes bytes(size);
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < size; ++i) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes[i] = static_cast<uint8_t>(x);
    }
    return bytes;
}

std::string hex(std::span<const uint8_t> bytes)
{
    std::string s;
    char buffer[4];
    for (uint8_t b : bytes) {
        std::snprintf(buffer, sizeof(buffer), "%02x", b);
        s += buffer;
    }
    return s;
}

StackConfig TestHost::default_config()
{
    StackConfig c;
    c.tcp.msl = Duration::seconds(1);
    c.tcp.rto_min = ms(200);
    c.tcp.delayed_ack = ms(40);
    return c;
}

TestHost::TestHost(uint64_t seed, StackConfig config, MacAddress mac, Ipv4Address address)
    : random(seed)
{
    config.random = random.source();
    stack = Stack::try_create(config).release_value();
    eth = stack->add_ethernet(mac, 1500, &FakeNic::transmit, &nic).release_value();
    stack->set_address(*eth, { address, NETMASK_24, IP_GATEWAY });
}

TestHost::~TestHost() { Stack::destroy(stack); }

void TestHost::run_until(Instant until)
{
    for (int guard = 0; guard < 1000000; ++guard) {
        Instant next = stack->poll_at();
        if (next > until)
            break;
        if (next > now)
            now = next;
        stack->poll(now);
    }
    if (until > now)
        now = until;
}

std::optional<Parsed> TestHost::next_frame()
{
    if (nic.frames.empty())
        return std::nullopt;
    Bytes frame = std::move(nic.frames.front());
    nic.frames.pop_front();
    return parse_frame(frame);
}

} // namespace kiln::net::test
