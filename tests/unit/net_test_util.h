#pragma once

// Helpers for the network stack's tests: a seeded random source, a fake NIC that records
// what the stack transmits, frame builders (made with the wire emitters, whose own
// golden-byte tests are in net_wire_test.cpp) and a parsed view of emitted frames.

#include <cstdint>
#include <deque>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "net/config.h"
#include "net/stack.h"
#include "net/tcp/tcp_socket.h"
#include "net/udp_socket.h"
#include "net/wire/ethernet.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"
#include "net/wire/tcp.h"
#include "net/wire/udp.h"

namespace kiln::net::test {

using Bytes = std::vector<uint8_t>;

inline Instant at_ms(int64_t ms) { return Instant::from_nanoseconds(static_cast<uint64_t>(ms) * 1000000); }
inline Duration ms(int64_t n) { return Duration::milliseconds(n); }

struct SeededRandom {
    explicit SeededRandom(uint64_t seed)
        : engine(seed)
    {
    }
    RandomSource source()
    {
        return { this, [](void* context, uint8_t* out, size_t length) {
                    auto* self = static_cast<SeededRandom*>(context);
                    for (size_t i = 0; i < length; ++i)
                        out[i] = static_cast<uint8_t>(self->engine());
                } };
    }
    std::mt19937_64 engine;
};

// Records transmitted frames; `refuse` simulates a full TX ring.
struct FakeNic {
    static bool transmit(void* context, std::span<const uint8_t> frame)
    {
        auto* self = static_cast<FakeNic*>(context);
        if (self->refuse)
            return false;
        self->frames.emplace_back(frame.begin(), frame.end());
        return true;
    }
    std::deque<Bytes> frames;
    bool refuse = false;
};

// A frame taken apart (owning its bytes).
struct Parsed {
    Bytes bytes;
    EthernetHeader ethernet;
    std::optional<ArpPacket> arp;
    std::optional<Ipv4Header> ip;
    Bytes ip_payload;
    std::optional<TcpSegment> tcp; // payload points into tcp_payload
    Bytes tcp_payload;
    std::optional<UdpDatagram> udp;
    Bytes udp_payload;
    std::optional<IcmpMessage> icmp;
    Bytes icmp_payload;
};
Parsed parse_frame(const Bytes& frame);

inline const MacAddress MAC_US { { 0x02, 0, 0, 0, 0, 0x01 } };
inline const MacAddress MAC_PEER { { 0x02, 0, 0, 0, 0, 0x02 } };
inline const MacAddress MAC_GATEWAY { { 0x02, 0, 0, 0, 0, 0xfe } };
inline const Ipv4Address IP_US { 10, 0, 0, 1 };
inline const Ipv4Address IP_PEER { 10, 0, 0, 2 };
inline const Ipv4Address IP_GATEWAY { 10, 0, 0, 254 };
inline const Ipv4Address IP_FAR { 192, 0, 2, 7 };
inline const Ipv4Address NETMASK_24 { 255, 255, 255, 0 };

Bytes ethernet_frame(MacAddress destination, MacAddress source, uint16_t ethertype, const Bytes& payload);
Bytes ipv4_packet(const Ipv4Header& header, const Bytes& payload);
Bytes ip_frame(const Ipv4Header& header, const Bytes& payload, MacAddress destination = MAC_US,
    MacAddress source = MAC_PEER);
Bytes udp_bytes(Ipv4Address source, Ipv4Address destination, uint16_t source_port, uint16_t destination_port,
    const Bytes& payload);
Bytes tcp_bytes(Ipv4Address source, Ipv4Address destination, const TcpSegment& segment, const Bytes& payload);
Bytes arp_frame(uint16_t operation, MacAddress sender_mac, Ipv4Address sender_ip, MacAddress target_mac,
    Ipv4Address target_ip, MacAddress destination);
Bytes icmp_echo_bytes(uint8_t type, uint16_t id, uint16_t sequence, const Bytes& payload);
Ipv4Header ip_header(Ipv4Address source, Ipv4Address destination, uint8_t protocol);
Bytes pattern(size_t size, uint32_t seed = 1);
std::string hex(std::span<const uint8_t> bytes);

// One stack with one Ethernet interface on a FakeNic: 10.0.0.1/24, gateway 10.0.0.254.
struct TestHost {
    explicit TestHost(uint64_t seed = 1, StackConfig config = default_config(), MacAddress mac = MAC_US,
        Ipv4Address address = IP_US);
    ~TestHost();
    TestHost(const TestHost&) = delete;
    TestHost& operator=(const TestHost&) = delete;

    static StackConfig default_config();
    void receive(const Bytes& frame) { stack->receive(now, *eth, frame); }
    // Runs timers until `until`, in order, as a kernel loop would.
    void run_until(Instant until);
    void advance(Duration d) { run_until(now + d); }
    std::optional<Parsed> next_frame();
    size_t pending_frames() const { return nic.frames.size(); }

    SeededRandom random;
    FakeNic nic;
    Stack* stack = nullptr;
    Interface* eth = nullptr;
    Instant now = at_ms(1000);
};

} // namespace kiln::net::test
