// Wire formats: golden bytes (computed independently of this code, by hand or with a
// separate checksum implementation), parse/emit round trips, and the edge cases each
// parser must reject.

#include <gtest/gtest.h>

#include <cstring>

#include "net/wire/checksum.h"
#include "net/wire/dhcp.h"
#include "net/wire/endian.h"
#include "net/wire/ethernet.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"
#include "net/wire/sequence.h"
#include "net/wire/tcp.h"
#include "net/wire/udp.h"
#include "net_test_util.h"

using namespace kiln;
using namespace kiln::net;
using namespace kiln::net::test;

namespace {

Bytes from_hex(std::string_view text)
{
    Bytes out;
    for (size_t i = 0; i + 1 < text.size(); i += 2)
        out.push_back(static_cast<uint8_t>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
    return out;
}

const Ipv4Address A { 10, 0, 0, 1 };
const Ipv4Address B { 10, 0, 0, 2 };

} // namespace

TEST(NetWireEndian, BigEndianStoresMostSignificantFirst)
{
    NetworkU16 a = 0x1234;
    NetworkU32 b = 0xdeadbeef;
    EXPECT_EQ(a.bytes()[0], 0x12);
    EXPECT_EQ(a.bytes()[1], 0x34);
    EXPECT_EQ(b.bytes()[0], 0xde);
    EXPECT_EQ(b.bytes()[3], 0xef);
    EXPECT_EQ(a.value(), 0x1234);
    EXPECT_EQ(b.value(), 0xdeadbeefu);
}

TEST(NetWireAddress, Ipv4Predicates)
{
    EXPECT_TRUE(Ipv4Address(127, 0, 0, 9).is_loopback());
    EXPECT_TRUE(Ipv4Address(224, 0, 0, 1).is_multicast());
    EXPECT_TRUE(Ipv4Address::broadcast().is_broadcast());
    EXPECT_TRUE(Ipv4Address(10, 0, 0, 77).in_subnet(A, NETMASK_24));
    EXPECT_FALSE(Ipv4Address(10, 0, 1, 77).in_subnet(A, NETMASK_24));
    EXPECT_EQ(Ipv4Address::from_u32(0x0a000001), A);
    EXPECT_TRUE(MacAddress::broadcast().is_multicast());
    EXPECT_FALSE(MAC_US.is_multicast());
}

// RFC 1982 section 3.2 serial number comparison, across the wrap.
TEST(NetWireSequence, ComparesAcrossWrapAround)
{
    SeqNumber near_end(0xfffffff0u);
    SeqNumber wrapped = near_end + 0x20;
    EXPECT_EQ(wrapped.raw(), 0x10u);
    EXPECT_TRUE(near_end < wrapped);
    EXPECT_TRUE(wrapped > near_end);
    EXPECT_EQ(wrapped - near_end, 0x20);
    EXPECT_EQ(near_end - wrapped, -0x20);
    EXPECT_TRUE(SeqNumber(5) <= SeqNumber(5));
    EXPECT_TRUE(SeqNumber(0x80000000u) > SeqNumber(1));
    EXPECT_EQ(seq_max(near_end, wrapped), wrapped);
}

// RFC 1071 section 3 worked example: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2.
TEST(NetWireChecksum, Rfc1071Example)
{
    Bytes data = from_hex("0001f203f4f5f6f7");
    Checksum c;
    c.add(data);
    EXPECT_EQ(c.folded(), 0xddf2);
    EXPECT_EQ(c.finish(), 0x220d);
}

TEST(NetWireChecksum, OddSplitsSumLikeContiguousData)
{
    Bytes data = pattern(101, 3);
    uint16_t whole = internet_checksum(data);
    for (size_t cut = 0; cut <= data.size(); ++cut) {
        Checksum c;
        c.add(std::span(data).first(cut));
        c.add(std::span(data).subspan(cut));
        EXPECT_EQ(c.finish(), whole) << cut;
    }
}

// RFC 1624 section 4 (eqn. 3): incremental update equals a full recomputation.
TEST(NetWireChecksum, IncrementalUpdateMatchesRecompute)
{
    Bytes header = from_hex("45000073000040004011b861c0a80001c0a800c7");
    ASSERT_EQ(internet_checksum(header), 0); // the classic example header verifies
    uint16_t old_checksum = load_be16(header.data() + 10);
    // Decrement the TTL (byte 8: word 0x4011 → 0x3f11).
    uint16_t updated = checksum_update(old_checksum, 0x4011, 0x3f11);
    header[8] = 0x3f;
    store_be16(header.data() + 10, 0);
    EXPECT_EQ(updated, internet_checksum(header));
    // And a 32-bit field (the source address).
    store_be16(header.data() + 10, updated);
    uint16_t next = checksum_update32(updated, 0xc0a80001, 0x0a000001);
    store_be32(header.data() + 12, 0x0a000001);
    store_be16(header.data() + 10, 0);
    EXPECT_EQ(next, internet_checksum(header));
}

TEST(NetWireEthernet, GoldenArpRequest)
{
    // Who has 10.0.0.2? Tell 10.0.0.1 (RFC 826 layout).
    Bytes golden = from_hex("ffffffffffff020000000001080600010800060400010200000000010a000001"
                            "0000000000000a000002");
    Bytes frame = arp_frame(ARP_REQUEST, MAC_US, A, MacAddress {}, B, MacAddress::broadcast());
    EXPECT_EQ(hex(frame), hex(golden));
    auto eth = parse_ethernet(golden);
    ASSERT_TRUE(eth);
    EXPECT_EQ(eth->header.ethertype, ETHERTYPE_ARP);
    EXPECT_TRUE(eth->header.destination.is_broadcast());
    auto arp = parse_arp(eth->payload);
    ASSERT_TRUE(arp);
    EXPECT_EQ(arp->operation, ARP_REQUEST);
    EXPECT_EQ(arp->sender_ip, A);
    EXPECT_EQ(arp->target_ip, B);
    EXPECT_EQ(arp->sender_mac, MAC_US);
}

TEST(NetWireEthernet, RejectsShortFramesAndForeignArp)
{
    Bytes frame = arp_frame(ARP_REQUEST, MAC_US, A, MacAddress {}, B, MacAddress::broadcast());
    EXPECT_FALSE(parse_ethernet(std::span(frame).first(13)));
    auto eth = parse_ethernet(frame);
    EXPECT_FALSE(parse_arp(eth->payload.first(27)));
    Bytes other(eth->payload.begin(), eth->payload.end());
    other[1] = 6; // hardware type 6 (IEEE 802) instead of Ethernet
    EXPECT_EQ(parse_arp(other).error(), Errno::PROTONOSUPPORT);
}

TEST(NetWireIpv4, GoldenHeader)
{
    Bytes golden = from_hex("45000021abcd400040117afc0a0000010a000002");
    Ipv4Header h;
    h.identification = 0xabcd;
    h.dont_fragment = true;
    h.ttl = 64;
    h.protocol = IP_PROTOCOL_UDP;
    h.source = A;
    h.destination = B;
    Bytes out(20);
    emit_ipv4(h, 13, out);
    EXPECT_EQ(hex(out), hex(golden));

    Bytes packet = golden;
    packet.resize(33 + 7, 0); // 13 payload bytes plus 7 bytes of link padding
    auto parsed = parse_ipv4(packet);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->payload.size(), 13u); // padding cut by the total length
    EXPECT_EQ(parsed->header.source, A);
    EXPECT_TRUE(parsed->header.dont_fragment);
    EXPECT_FALSE(parsed->header.is_fragment());
}

TEST(NetWireIpv4, SkipsOptionsByHeaderLength)
{
    // IHL 6: one 4-byte option (NOP NOP NOP EOL) that must be skipped, not parsed.
    Bytes packet = from_hex("460000200000000040110000" "0a000001" "0a000002" "01010100" "deadbeefcafebabe");
    store_be16(packet.data() + 10, internet_checksum(std::span(packet).first(24)));
    auto parsed = parse_ipv4(packet);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->header.header_length, 24);
    EXPECT_EQ(hex(parsed->payload), "deadbeefcafebabe");
}

TEST(NetWireIpv4, RejectsMalformedHeaders)
{
    Bytes good = from_hex("45000021abcd400040117afc0a0000010a000002");
    good.resize(33);
    EXPECT_TRUE(parse_ipv4(good));
    Bytes bad = good;
    bad[10] ^= 1;
    EXPECT_EQ(parse_ipv4(bad).error(), Errno::ILSEQ);
    bad = good;
    bad[0] = 0x65; // version 6
    EXPECT_FALSE(parse_ipv4(bad));
    bad = good;
    bad[0] = 0x44; // IHL 4 < 5
    EXPECT_FALSE(parse_ipv4(bad));
    bad = good;
    bad[3] = 0x40; // total length 64 > buffer
    EXPECT_FALSE(parse_ipv4(bad));
    bad = good;
    bad[0] = 0x4f; // IHL 15 = 60 bytes > total length 33
    EXPECT_FALSE(parse_ipv4(bad));
}

TEST(NetWireIpv4, IdentifiesFragments)
{
    Ipv4Header h = ip_header(A, B, IP_PROTOCOL_UDP);
    h.more_fragments = true;
    h.fragment_offset = 1480;
    Bytes packet = ipv4_packet(h, pattern(16));
    EXPECT_EQ(load_be16(packet.data() + 6), 0x2000 | (1480 / 8));
    auto parsed = parse_ipv4(packet);
    ASSERT_TRUE(parsed);
    EXPECT_TRUE(parsed->header.is_fragment());
    EXPECT_TRUE(parsed->header.more_fragments);
    EXPECT_EQ(parsed->header.fragment_offset, 1480);
}

TEST(NetWireIcmp, GoldenEchoRequest)
{
    Bytes golden = from_hex("080021041234000161626364");
    Bytes payload { 'a', 'b', 'c', 'd' };
    EXPECT_EQ(hex(icmp_echo_bytes(ICMP_ECHO_REQUEST, 0x1234, 1, payload)), hex(golden));
    auto m = parse_icmp(golden);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->type, ICMP_ECHO_REQUEST);
    EXPECT_EQ(m->identifier(), 0x1234);
    EXPECT_EQ(m->sequence(), 1);
    EXPECT_EQ(m->payload.size(), 4u);
    golden[5] ^= 0x80;
    EXPECT_EQ(parse_icmp(golden).error(), Errno::ILSEQ);
}

TEST(NetWireUdp, GoldenDatagramWithPseudoHeaderChecksum)
{
    Bytes golden = from_hex("14e90035000d92e168656c6c6f");
    Bytes payload { 'h', 'e', 'l', 'l', 'o' };
    EXPECT_EQ(hex(udp_bytes(A, B, 5353, 53, payload)), hex(golden));
    auto d = parse_udp(golden, A, B);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->source_port, 5353);
    EXPECT_EQ(d->destination_port, 53);
    EXPECT_TRUE(d->had_checksum);
    // The pseudo-header is covered: another destination address fails.
    EXPECT_EQ(parse_udp(golden, A, Ipv4Address(10, 0, 0, 3)).error(), Errno::ILSEQ);
}

// RFC 768: an all-zero checksum means "not computed" and is accepted.
TEST(NetWireUdp, ZeroChecksumMeansNone)
{
    Bytes datagram = from_hex("14e90035000d000068656c6c6f");
    auto d = parse_udp(datagram, A, Ipv4Address(1, 2, 3, 4));
    ASSERT_TRUE(d);
    EXPECT_FALSE(d->had_checksum);
}

TEST(NetWireUdp, LengthFieldBoundsThePayload)
{
    Bytes golden = from_hex("14e90035000d92e168656c6c6f");
    Bytes padded = golden;
    padded.push_back(0); // trailing byte beyond the UDP length is ignored
    auto d = parse_udp(padded, A, B);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->payload.size(), 5u);
    EXPECT_FALSE(parse_udp(std::span(golden).first(12), A, B)); // length says 13
    Bytes tiny = golden;
    tiny[5] = 7; // length < 8
    EXPECT_FALSE(parse_udp(tiny, A, B));
}

TEST(NetWireTcp, GoldenSynWithAllOptions)
{
    Bytes golden = from_hex("c00000500102030400000000b002ffff5da00000020405b401030307010104020101080a"
                            "0000000100000000");
    TcpSegment s;
    s.source_port = 49152;
    s.destination_port = 80;
    s.seq = SeqNumber(0x01020304);
    s.flags = tcp_flags::SYN;
    s.window = 65535;
    s.options.mss = 1460;
    s.options.window_scale = 7;
    s.options.sack_permitted = true;
    s.options.has_timestamps = true;
    s.options.timestamp_value = 1;
    EXPECT_EQ(hex(tcp_bytes(A, B, s, {})), hex(golden));

    auto parsed = parse_tcp(golden, A, B);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->seq, SeqNumber(0x01020304));
    EXPECT_TRUE(parsed->has(tcp_flags::SYN));
    EXPECT_EQ(parsed->options.mss, 1460);
    EXPECT_EQ(parsed->options.window_scale, 7);
    EXPECT_TRUE(parsed->options.sack_permitted);
    EXPECT_TRUE(parsed->options.has_timestamps);
    EXPECT_EQ(parsed->options.timestamp_value, 1u);
    EXPECT_EQ(parsed->sequence_length(), 1u);
}

TEST(NetWireTcp, GoldenDataSegment)
{
    Bytes golden = from_hex("0050c0000000000100000002501803e8e511000078797a");
    auto parsed = parse_tcp(golden, A, B);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->flags, tcp_flags::ACK | tcp_flags::PSH);
    EXPECT_EQ(parsed->window, 1000);
    EXPECT_EQ(std::string(parsed->payload.begin(), parsed->payload.end()), "xyz");
    EXPECT_EQ(parsed->sequence_length(), 3u);
    golden.back() ^= 1;
    EXPECT_EQ(parse_tcp(golden, A, B).error(), Errno::ILSEQ);
}

TEST(NetWireTcp, OptionParsingSurvivesMalformedLists)
{
    auto with_options = [](Bytes options) {
        while (options.size() % 4)
            options.push_back(0);
        Bytes segment(20 + options.size());
        segment[12] = static_cast<uint8_t>((segment.size() / 4) << 4);
        std::memcpy(segment.data() + 20, options.data(), options.size());
        return parse_tcp(segment, A, B, ChecksumCheck::Skip);
    };
    // Zero-length option: stop, keep what was parsed before.
    auto r = with_options({ 2, 4, 0x05, 0xb4, 8, 0 });
    ASSERT_TRUE(r);
    EXPECT_EQ(r->options.mss, 1460);
    // Length past the header: ignored.
    r = with_options({ 3, 3, 2, 2, 40 });
    ASSERT_TRUE(r);
    EXPECT_EQ(r->options.window_scale, 2);
    EXPECT_EQ(r->options.mss, 0);
    // Wrong length for MSS: skipped; window scale above 14 clamped (RFC 7323 2.3).
    r = with_options({ 2, 3, 1, 3, 3, 20 });
    ASSERT_TRUE(r);
    EXPECT_EQ(r->options.mss, 0);
    EXPECT_EQ(r->options.window_scale, 14);
    // Unknown option skipped by its length; EOL ends the list.
    r = with_options({ 99, 4, 0, 0, 4, 2, 0, 2, 4, 1, 0 });
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->options.sack_permitted);
    EXPECT_EQ(r->options.mss, 0);
    // SACK blocks counted.
    Bytes sack { 5, 18 };
    sack.resize(18, 0);
    r = with_options(sack);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->options.sack_block_count, 2);
}

TEST(NetWireTcp, RejectsBadDataOffset)
{
    Bytes golden = from_hex("0050c0000000000100000002501803e8e511000078797a");
    Bytes bad = golden;
    bad[12] = 0x40; // 16 bytes < 20
    EXPECT_FALSE(parse_tcp(bad, A, B, ChecksumCheck::Skip));
    bad[12] = 0xf0; // 60 bytes > 23
    EXPECT_FALSE(parse_tcp(bad, A, B, ChecksumCheck::Skip));
    EXPECT_FALSE(parse_tcp(std::span(golden).first(19), A, B, ChecksumCheck::Skip));
}

TEST(NetWireDhcp, DiscoverLayoutAndRoundTrip)
{
    DhcpMessage m;
    m.xid = 0x11223344;
    m.client_mac = MAC_US;
    m.type = DhcpMessageType::Discover;
    m.request_parameters = true;
    Bytes out(DHCP_MAX_EMIT_SIZE + 64);
    size_t n = emit_dhcp(m, out);
    out.resize(n);
    EXPECT_EQ(n, DHCP_MAX_EMIT_SIZE);
    // RFC 2131 figure 1: op, htype, hlen, hops, xid; chaddr at 28; cookie at 236.
    EXPECT_EQ(hex(std::span(out).first(8)), "0101060011223344");
    EXPECT_EQ(hex(std::span(out).subspan(28, 6)), "020000000001");
    EXPECT_EQ(hex(std::span(out).subspan(236, 4)), "63825363");
    // RFC 2132 9.6: option 53 length 1 value 1 comes first.
    EXPECT_EQ(hex(std::span(out).subspan(240, 3)), "350101");

    DhcpMessage offer;
    offer.op = 2;
    offer.xid = 0x11223344;
    offer.client_mac = MAC_US;
    offer.type = DhcpMessageType::Offer;
    offer.your_address = Ipv4Address(10, 0, 2, 15);
    offer.subnet_mask = Ipv4Address(255, 255, 255, 0);
    offer.router = Ipv4Address(10, 0, 2, 2);
    offer.dns[0] = Ipv4Address(10, 0, 2, 3);
    offer.dns_count = 1;
    offer.lease_seconds = 86400;
    offer.server_identifier = Ipv4Address(10, 0, 2, 2);
    Bytes wire(DHCP_MAX_EMIT_SIZE + 64);
    wire.resize(emit_dhcp(offer, wire));
    auto parsed = parse_dhcp(wire);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->type, DhcpMessageType::Offer);
    EXPECT_EQ(parsed->your_address, offer.your_address);
    EXPECT_EQ(parsed->subnet_mask, offer.subnet_mask);
    EXPECT_EQ(parsed->router, offer.router);
    EXPECT_EQ(parsed->dns_count, 1);
    EXPECT_EQ(parsed->dns[0], offer.dns[0]);
    EXPECT_EQ(parsed->lease_seconds, 86400u);
    EXPECT_EQ(parsed->server_identifier, offer.server_identifier);

    Bytes bad = wire;
    bad[236] = 0; // no magic cookie: not DHCP
    EXPECT_FALSE(parse_dhcp(bad));
    EXPECT_FALSE(parse_dhcp(std::span(wire).first(239)));
}
