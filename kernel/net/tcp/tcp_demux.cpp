// The stack's side of TCP: socket creation, the connection hash table, listeners,
// port allocation, segment input demultiplexing and output.

#include "lib/kalloc.h"
#include "net/stack.h"
#include "net/tcp/tcp_socket.h"
#include "net/wire/tcp.h"

namespace kiln::net {

namespace {

size_t bucket_of(Ipv4Address local, uint16_t local_port, Ipv4Address remote, uint16_t remote_port)
{
    uint32_t h = remote.to_u32() * 2654435761u;
    h ^= (static_cast<uint32_t>(remote_port) << 16 | local_port) * 40503u;
    h ^= local.to_u32();
    h ^= h >> 15;
    return h % TCP_HASH_BUCKETS;
}

} // namespace

Result<TcpSocket*> Stack::tcp_socket()
{
    if (m_tcp_count >= m_config.tcp.max_sockets)
        return Errno::MFILE;
    TcpSocket* s = make<TcpSocket>(*this);
    if (!s)
        return Errno::NOMEM;
    s->m_user_owned = true;
    tcp_link(*s);
    return s;
}

void Stack::tcp_link(TcpSocket& s)
{
    s.m_all_next = m_tcp_all;
    s.m_all_prev = nullptr;
    if (m_tcp_all)
        m_tcp_all->m_all_prev = &s;
    m_tcp_all = &s;
    ++m_tcp_count;
}

void Stack::tcp_hash_insert(TcpSocket& s)
{
    if (s.m_hashed)
        return;
    size_t b = bucket_of(s.m_local.address, s.m_local.port, s.m_remote.address, s.m_remote.port);
    s.m_hash_next = m_tcp_hash[b];
    m_tcp_hash[b] = &s;
    s.m_hashed = true;
}

void Stack::tcp_hash_remove(TcpSocket& s)
{
    if (!s.m_hashed)
        return;
    size_t b = bucket_of(s.m_local.address, s.m_local.port, s.m_remote.address, s.m_remote.port);
    for (TcpSocket** link = &m_tcp_hash[b]; *link; link = &(*link)->m_hash_next) {
        if (*link == &s) {
            *link = s.m_hash_next;
            break;
        }
    }
    s.m_hash_next = nullptr;
    s.m_hashed = false;
}

TcpSocket* Stack::tcp_lookup(Ipv4Address local, uint16_t local_port, Ipv4Address remote, uint16_t remote_port)
{
    size_t b = bucket_of(local, local_port, remote, remote_port);
    for (TcpSocket* s = m_tcp_hash[b]; s; s = s->m_hash_next)
        if (s->m_local.port == local_port && s->m_remote.port == remote_port && s->m_local.address == local
            && s->m_remote.address == remote)
            return s;
    return nullptr;
}

TcpSocket* Stack::tcp_find_listener(Ipv4Address local, uint16_t local_port)
{
    TcpSocket* wildcard = nullptr;
    for (TcpSocket* s = m_tcp_all; s; s = s->m_all_next) {
        if (s->m_state != TcpState::Listen || s->m_local.port != local_port)
            continue;
        if (s->m_local.address == local)
            return s;
        if (s->m_local.address.is_any())
            wildcard = s;
    }
    return wildcard;
}

bool Stack::tcp_port_in_use(uint16_t port, Ipv4Address address, const TcpSocket* except, bool reuse) const
{
    for (const TcpSocket* s = m_tcp_all; s; s = s->m_all_next) {
        if (s == except || !s->m_bound || s->m_local.port != port)
            continue;
        if (!(s->m_local.address.is_any() || address.is_any() || s->m_local.address == address))
            continue;
        // SO_REUSEADDR on the new socket lets it share the port with connections
        // (TIME_WAIT included) but never with a listener or another bound socket
        // (Linux inet_csk_bind_conflict, simplified).
        bool connection = s->m_state != TcpState::Closed && s->m_state != TcpState::Listen;
        if (reuse && connection)
            continue;
        return true;
    }
    return false;
}

Result<uint16_t> Stack::tcp_ephemeral_port(Ipv4Address address, Ipv4Address remote, uint16_t remote_port)
{
    constexpr uint32_t range = EPHEMERAL_PORT_LAST - EPHEMERAL_PORT_FIRST + 1;
    // Start after the previous choice plus a random step (RFC 6056 algorithm 1/2 blend):
    // unpredictable, and does not reuse a port right after it was released.
    uint32_t start = (static_cast<uint32_t>(m_ephemeral_next - EPHEMERAL_PORT_FIRST) + 1 + random32() % 64) % range;
    for (uint32_t i = 0; i < range; ++i) {
        auto port = static_cast<uint16_t>(EPHEMERAL_PORT_FIRST + (start + i) % range);
        if (!tcp_port_in_use(port, address, nullptr, false) && !tcp_lookup(address, port, remote, remote_port)) {
            m_ephemeral_next = port;
            return port;
        }
    }
    return Errno::ADDRNOTAVAIL; // what Linux's connect() reports when ports run out
}

void Stack::tcp_input(const Ipv4Header& header, std::span<const uint8_t> payload)
{
    auto parsed = parse_tcp(payload, header.source, header.destination);
    if (!parsed) {
        ++m_stats.tcp_bad;
        return;
    }
    const TcpSegment& segment = *parsed;
    if (segment.source_port == 0 || segment.destination_port == 0) {
        ++m_stats.tcp_bad;
        return;
    }
    TcpSocket* s = tcp_lookup(header.destination, segment.destination_port, header.source, segment.source_port);
    if (s && s->m_state != TcpState::Closed) {
        s->segment_arrives(m_now, segment);
        return;
    }
    TcpSocket* listener = tcp_find_listener(header.destination, segment.destination_port);
    if (listener) {
        listener->listen_input(m_now, header, segment);
        return;
    }
    tcp_reset_for(header, segment);
}

// RFC 9293 3.10.7.1, CLOSED: answer anything but a RST with a RST.
void Stack::tcp_reset_for(const Ipv4Header& header, const TcpSegment& segment)
{
    if (segment.has(tcp_flags::RST))
        return;
    TcpSegment reset;
    reset.source_port = segment.destination_port;
    reset.destination_port = segment.source_port;
    if (segment.has(tcp_flags::ACK)) {
        reset.seq = segment.ack;
        reset.flags = tcp_flags::RST;
    } else {
        reset.seq = SeqNumber(0);
        reset.ack = segment.seq + segment.sequence_length();
        reset.flags = tcp_flags::RST | tcp_flags::ACK;
    }
    uint8_t bytes[TCP_HEADER_SIZE];
    emit_tcp_header(reset, header.destination, header.source, {}, {}, bytes);
    IpOutput out;
    out.source = header.destination;
    out.destination = header.source;
    out.protocol = IP_PROTOCOL_TCP;
    out.dont_fragment = true;
    ++m_stats.tcp_resets_sent;
    (void)ip_output(out, bytes, {});
}

void Stack::tcp_emit(const TcpSocket& s, const TcpSegment& segment, ByteSpans payload)
{
    uint8_t bytes[TCP_MAX_HEADER_SIZE];
    size_t n = emit_tcp_header(segment, s.m_local.address, s.m_remote.address, payload.first, payload.second, bytes);
    IpOutput out;
    out.source = s.m_local.address;
    out.destination = s.m_remote.address;
    out.protocol = IP_PROTOCOL_TCP;
    out.dont_fragment = true;
    if (segment.has(tcp_flags::RST))
        ++m_stats.tcp_resets_sent;
    (void)ip_output(out, { bytes, n }, payload);
}

} // namespace kiln::net
