#include "net_exercise.h"

#include <cstring>
#include <random>

#include "net/dhcp_client.h"
#include "net/stack.h"
#include "net/tcp/tcp_socket.h"
#include "net/udp_socket.h"
#include "net/wire/dhcp.h"
#include "net/wire/ethernet.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"
#include "net/wire/tcp.h"
#include "net/wire/udp.h"

namespace kiln::net::test {

namespace {

const MacAddress US { { 0x02, 0, 0, 0, 0, 0x01 } };
const MacAddress PEER { { 0x02, 0, 0, 0, 0, 0x02 } };
const Ipv4Address US_IP { 10, 0, 0, 1 };
const Ipv4Address PEER_IP { 10, 0, 0, 2 };

using Frame = std::vector<uint8_t>;

Frame frame_of(uint16_t ethertype, const Frame& payload, MacAddress destination = US)
{
    Frame f(ETHERNET_HEADER_SIZE + payload.size());
    emit_ethernet({ destination, PEER, ethertype }, f);
    if (!payload.empty())
        std::memcpy(f.data() + ETHERNET_HEADER_SIZE, payload.data(), payload.size());
    return f;
}

Frame ip_of(uint8_t protocol, const Frame& payload, Ipv4Address destination = US_IP, uint16_t offset = 0,
    bool more = false)
{
    Ipv4Header h;
    h.source = PEER_IP;
    h.destination = destination;
    h.protocol = protocol;
    h.identification = 77;
    h.fragment_offset = offset;
    h.more_fragments = more;
    Frame p(IPV4_HEADER_SIZE + payload.size());
    emit_ipv4(h, static_cast<uint16_t>(payload.size()), p);
    if (!payload.empty())
        std::memcpy(p.data() + IPV4_HEADER_SIZE, payload.data(), payload.size());
    return frame_of(ETHERTYPE_IPV4, p);
}

Frame tcp_of(uint16_t source_port, uint16_t destination_port, uint32_t seq, uint32_t ack, uint8_t flags,
    const Frame& data, bool options = false)
{
    TcpSegment s;
    s.source_port = source_port;
    s.destination_port = destination_port;
    s.seq = SeqNumber(seq);
    s.ack = SeqNumber(ack);
    s.flags = flags;
    s.window = 65535;
    if (options) {
        s.options.mss = 1460;
        s.options.window_scale = 7;
        s.options.sack_permitted = true;
        s.options.has_timestamps = true;
    }
    size_t header = tcp_header_size(s.options);
    Frame bytes(header + data.size());
    emit_tcp_header(s, PEER_IP, US_IP, data, {}, bytes);
    if (!data.empty())
        std::memcpy(bytes.data() + header, data.data(), data.size());
    return ip_of(IP_PROTOCOL_TCP, bytes);
}

} // namespace

struct StackExercise::State {
    std::mt19937_64 random;
    Stack* stack = nullptr;
    Interface* eth = nullptr;
    TcpSocket* listener = nullptr;
    TcpSocket* connection = nullptr;
    UdpSocket* udp = nullptr;
    DhcpClient* dhcp = nullptr;
    Instant now = Instant::from_nanoseconds(1000000000);
    size_t transmitted = 0;
    std::vector<uint8_t> last_frame;
};

StackExercise::StackExercise(uint64_t seed)
    : m_state(new State)
{
    State& s = *m_state;
    s.random.seed(seed);
    StackConfig config;
    config.random = { &s.random, [](void* context, uint8_t* out, size_t length) {
                         auto* r = static_cast<std::mt19937_64*>(context);
                         for (size_t i = 0; i < length; ++i)
                             out[i] = static_cast<uint8_t>((*r)());
                     } };
    config.tcp.msl = Duration::seconds(1);
    s.stack = Stack::try_create(config).release_value();
    s.eth = s.stack
                ->add_ethernet(US, 1500,
                    [](void* context, std::span<const uint8_t> frame) {
                        auto* state = static_cast<State*>(context);
                        ++state->transmitted;
                        state->last_frame.assign(frame.begin(), frame.end());
                        return true;
                    },
                    &s)
                .release_value();
    s.stack->set_address(*s.eth, { US_IP, Ipv4Address(255, 255, 255, 0), Ipv4Address(10, 0, 0, 254) });
    (void)s.stack->add_static_neighbor(*s.eth, PEER_IP, PEER);
    s.listener = s.stack->tcp_socket().release_value();
    (void)s.listener->bind({ Ipv4Address::any(), 80 });
    (void)s.listener->listen(4);
    s.udp = s.stack->udp_socket().release_value();
    (void)s.udp->bind({ Ipv4Address::any(), 53 });
    s.dhcp = DhcpClient::try_create(*s.stack, *s.eth, { .configure_interface = false }).release_value();
    (void)s.dhcp->start(s.now);
    s.now = s.now + Duration::milliseconds(1);
    // An established connection 10.0.0.2:40000 → :80 with a known ISS (the seed fixes it).
    s.stack->receive(s.now, *s.eth, tcp_of(40000, 80, 5000, 0, tcp_flags::SYN, {}, true));
    uint32_t iss = 0;
    if (auto eth = parse_ethernet(s.last_frame)) {
        if (auto ip = parse_ipv4(eth->payload)) {
            if (auto tcp = parse_tcp(ip->payload, ip->header.source, ip->header.destination))
                iss = tcp->seq.raw();
        }
    }
    s.stack->receive(s.now, *s.eth, tcp_of(40000, 80, 5001, iss + 1, tcp_flags::ACK, {}));
    s.connection = s.listener->accept().value();

    // Samples: every frame kind, valid.
    Frame data(300);
    for (size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<uint8_t>(i * 7);
    m_samples.push_back(tcp_of(40001, 80, 1, 0, tcp_flags::SYN, {}, true));
    m_samples.push_back(tcp_of(40000, 80, 5001, iss + 1, tcp_flags::ACK | tcp_flags::PSH, data));
    m_samples.push_back(tcp_of(40000, 80, 5301, iss + 1, tcp_flags::ACK | tcp_flags::PSH, data));
    m_samples.push_back(tcp_of(40000, 80, 5001, iss + 101, tcp_flags::ACK, {}));
    m_samples.push_back(tcp_of(40000, 80, 5001, iss + 1, tcp_flags::ACK | tcp_flags::FIN, {}));
    m_samples.push_back(tcp_of(40000, 80, 5001, 0, tcp_flags::RST, {}));
    m_samples.push_back(tcp_of(40000, 80, 5001, 0, tcp_flags::SYN, {}, true));
    m_samples.push_back(tcp_of(40002, 81, 1, 0, tcp_flags::SYN, {}));
    {
        Frame udp(8 + data.size());
        emit_udp_header(4444, 53, PEER_IP, US_IP, data, {}, udp);
        std::memcpy(udp.data() + 8, data.data(), data.size());
        m_samples.push_back(ip_of(IP_PROTOCOL_UDP, udp));
    }
    {
        Frame icmp(ICMP_HEADER_SIZE + data.size());
        IcmpMessage m;
        m.type = ICMP_ECHO_REQUEST;
        m.rest = 0x10001;
        m.payload = data;
        emit_icmp(m, icmp);
        m_samples.push_back(ip_of(IP_PROTOCOL_ICMP, icmp));
        m_samples.push_back(ip_of(IP_PROTOCOL_ICMP, Frame(icmp.begin(), icmp.begin() + 160), US_IP, 0, true));
        m_samples.push_back(ip_of(IP_PROTOCOL_ICMP, Frame(icmp.begin() + 160, icmp.end()), US_IP, 160, false));
    }
    {
        Frame arp(ARP_PACKET_SIZE);
        emit_arp({ ARP_REQUEST, PEER, PEER_IP, MacAddress {}, US_IP }, arp);
        m_samples.push_back(frame_of(ETHERTYPE_ARP, arp, MacAddress::broadcast()));
    }
    {
        DhcpMessage m;
        m.op = 2;
        m.client_mac = US;
        m.type = DhcpMessageType::Offer;
        m.your_address = Ipv4Address(10, 0, 0, 50);
        m.subnet_mask = Ipv4Address(255, 255, 255, 0);
        m.dns_count = 1;
        m.lease_seconds = 60;
        Frame dhcp(DHCP_MAX_EMIT_SIZE + 64);
        dhcp.resize(emit_dhcp(m, dhcp));
        Frame udp(8 + dhcp.size());
        emit_udp_header(67, 68, PEER_IP, Ipv4Address::broadcast(), dhcp, {}, udp);
        std::memcpy(udp.data() + 8, dhcp.data(), dhcp.size());
        m_samples.push_back(ip_of(IP_PROTOCOL_UDP, udp, Ipv4Address::broadcast()));
    }
}

StackExercise::~StackExercise()
{
    State& s = *m_state;
    DhcpClient::destroy(s.dhcp);
    Stack::destroy(s.stack);
    delete m_state;
}

size_t StackExercise::transmitted() const { return m_state->transmitted; }

void StackExercise::feed(std::span<const uint8_t> frame)
{
    State& s = *m_state;
    s.now = s.now + Duration::milliseconds(1 + static_cast<int64_t>(s.random() % 50));
    s.stack->receive(s.now, *s.eth, frame);
    if (!s.connection) {
        auto accepted = s.listener->accept();
        if (accepted)
            s.connection = accepted.value();
    }
    uint8_t buffer[2048];
    if (s.connection && s.connection->state() == TcpState::Closed && s.random() % 8 == 0) {
        s.connection->close(s.now);
        s.connection = nullptr;
    }
    if (s.connection) {
        (void)s.connection->receive(s.now, buffer);
        (void)s.connection->send(s.now, std::span<const uint8_t>(buffer, 100));
        (void)s.connection->events();
    }
    while (s.udp->receive_from(buffer))
        ;
    s.dhcp->poll(s.now);
    if (s.stack->poll_at() <= s.now)
        s.stack->poll(s.now);
}

void parse_everything(std::span<const uint8_t> bytes)
{
    Ipv4Address a(10, 0, 0, 1), b(10, 0, 0, 2);
    (void)parse_ethernet(bytes);
    (void)parse_arp(bytes);
    auto ip = parse_ipv4(bytes, ChecksumCheck::Skip);
    if (ip) {
        (void)parse_tcp(ip->payload, a, b, ChecksumCheck::Skip);
        (void)parse_udp(ip->payload, a, b, ChecksumCheck::Skip);
        (void)parse_icmp(ip->payload);
    }
    (void)parse_tcp(bytes, a, b, ChecksumCheck::Skip);
    (void)parse_udp(bytes, a, b, ChecksumCheck::Skip);
    (void)parse_icmp(bytes);
    (void)parse_dhcp(bytes);
}

} // namespace kiln::net::test
