// ICMP (RFC 792, RFC 1122 3.2.2) and UDP (RFC 768) input, and the UDP socket table.

#include <string.h>

#include "lib/kalloc.h"
#include "net/stack.h"
#include "net/udp_socket.h"
#include "net/wire/checksum.h"
#include "net/wire/icmp.h"
#include "net/wire/udp.h"

namespace kiln::net {

void Stack::icmp_input(Interface& interface, const Ipv4Header& header, std::span<const uint8_t> payload)
{
    auto parsed = parse_icmp(payload);
    if (!parsed) {
        ++interface.m_stats.rx_dropped;
        return;
    }
    if (parsed->type != ICMP_ECHO_REQUEST)
        return; // FIXME: unreachable / time exceeded are not reported to sockets yet.
    // RFC 1122 3.2.2.6: an echo request to a broadcast address may be ignored; Linux
    // does by default (icmp_echo_ignore_broadcasts).
    if (header.destination.is_broadcast() || header.destination == interface.subnet_broadcast())
        return;
    IcmpMessage reply;
    reply.type = ICMP_ECHO_REPLY;
    reply.code = 0;
    reply.rest = parsed->rest;
    uint8_t icmp_header[ICMP_HEADER_SIZE];
    // The checksum covers the payload too: sum it once here (RFC 1624 would also do:
    // only the type changed, but a fresh sum is as cheap and cannot inherit errors).
    emit_icmp({ reply.type, reply.code, reply.rest, {} }, icmp_header);
    Checksum sum;
    icmp_header[2] = icmp_header[3] = 0;
    sum.add(icmp_header);
    sum.add(parsed->payload);
    store_be16(icmp_header + 2, sum.finish());
    IpOutput out;
    out.source = header.destination;
    out.destination = header.source;
    out.protocol = IP_PROTOCOL_ICMP;
    if (ip_output(out, icmp_header, { parsed->payload, {} }))
        ++m_stats.icmp_echo_replies;
}

void Stack::send_icmp_unreachable(const Ipv4Header& header, std::span<const uint8_t> payload, uint8_t code)
{
    // RFC 1122 3.2.2: never in answer to a broadcast, a non-first fragment or ICMP
    // errors; the body is the offending IP header and the first 8 payload bytes.
    if (header.destination.is_broadcast() || header.source.is_any() || header.fragment_offset != 0)
        return;
    uint8_t body[IPV4_HEADER_SIZE + 8];
    Ipv4Header original = header;
    size_t n = payload.size() < 8 ? payload.size() : 8;
    emit_ipv4(original, static_cast<uint16_t>(payload.size()), body);
    memcpy(body + IPV4_HEADER_SIZE, payload.data(), n);
    uint8_t icmp[ICMP_HEADER_SIZE + sizeof(body)];
    IcmpMessage message;
    message.type = ICMP_DEST_UNREACHABLE;
    message.code = code;
    message.payload = { body, IPV4_HEADER_SIZE + n };
    size_t size = emit_icmp(message, icmp);
    IpOutput out;
    out.destination = header.source;
    out.protocol = IP_PROTOCOL_ICMP;
    (void)ip_output(out, { icmp, size }, {});
}

void Stack::udp_input(Interface& interface, const Ipv4Header& header, std::span<const uint8_t> payload)
{
    auto parsed = parse_udp(payload, header.source, header.destination);
    if (!parsed) {
        ++m_stats.udp_bad;
        ++interface.m_stats.rx_dropped;
        return;
    }
    Endpoint from { header.source, parsed->source_port };
    UdpSocket* best = nullptr;
    int best_score = -1;
    for (UdpSocket* s = m_udp_all; s; s = s->m_next) {
        if (!s->m_bound || s->m_local.port != parsed->destination_port || !s->matches(header.destination, from, interface))
            continue;
        int score = (s->m_local.address.is_any() ? 0 : 2) + (s->m_remote.address.is_any() ? 0 : 4);
        if (score > best_score) {
            best = s;
            best_score = score;
        }
    }
    if (!best) {
        ++m_stats.udp_dropped;
        if (!header.destination.is_broadcast() && header.destination != interface.subnet_broadcast())
            send_icmp_unreachable(header, payload, ICMP_CODE_PORT_UNREACHABLE);
        return;
    }
    best->deliver(from, parsed->payload);
}

bool Stack::udp_port_in_use(uint16_t port, Ipv4Address address, const UdpSocket* except) const
{
    for (const UdpSocket* s = m_udp_all; s; s = s->m_next)
        if (s != except && s->m_bound && s->m_local.port == port
            && (s->m_local.address.is_any() || address.is_any() || s->m_local.address == address))
            return true;
    return false;
}

Result<uint16_t> Stack::udp_ephemeral_port()
{
    constexpr uint32_t range = EPHEMERAL_PORT_LAST - EPHEMERAL_PORT_FIRST + 1;
    uint32_t start = random32() % range;
    for (uint32_t i = 0; i < range; ++i) {
        auto port = static_cast<uint16_t>(EPHEMERAL_PORT_FIRST + (start + i) % range);
        if (!udp_port_in_use(port, Ipv4Address::any(), nullptr))
            return port;
    }
    return Errno::ADDRINUSE;
}

Result<UdpSocket*> Stack::udp_socket()
{
    if (m_udp_count >= m_config.max_udp_sockets)
        return Errno::MFILE;
    UdpSocket* s = make<UdpSocket>(*this);
    if (!s)
        return Errno::NOMEM;
    s->m_next = m_udp_all;
    if (m_udp_all)
        m_udp_all->m_prev = s;
    m_udp_all = s;
    ++m_udp_count;
    return s;
}

void Stack::udp_unlink(UdpSocket& s)
{
    if (s.m_prev)
        s.m_prev->m_next = s.m_next;
    else
        m_udp_all = s.m_next;
    if (s.m_next)
        s.m_next->m_prev = s.m_prev;
    --m_udp_count;
}

// --- UdpSocket ---

UdpSocket::UdpSocket(Stack& stack)
    : m_stack(stack)
    , m_receive_limit(stack.m_config.udp_receive_buffer)
{
}

UdpSocket::~UdpSocket()
{
    while (m_head) {
        Datagram* d = m_head;
        m_head = d->next;
        m_stack.release_buffer(sizeof(Datagram) + d->size);
        kfree(d);
    }
}

void UdpSocket::close()
{
    m_stack.udp_unlink(*this);
    kiln::destroy(this);
}

Result<void> UdpSocket::bind(Endpoint local)
{
    if (m_bound)
        return Errno::INVAL;
    if (!local.address.is_any() && !local.address.is_broadcast() && !m_stack.is_local_address(local.address))
        return Errno::ADDRNOTAVAIL;
    if (local.port == 0) {
        TRY(local.port, m_stack.udp_ephemeral_port());
    } else if (m_stack.udp_port_in_use(local.port, local.address, this)) {
        return Errno::ADDRINUSE;
    }
    m_local = local;
    m_bound = true;
    return {};
}

Result<void> UdpSocket::connect(Endpoint remote)
{
    if (remote.address.is_any()) {
        m_remote = {};
        return {};
    }
    if (remote.port == 0)
        return Errno::INVAL;
    TRY(Route r, m_stack.route(remote.address, m_interface));
    if (!m_bound) {
        TRY(uint16_t port, m_stack.udp_ephemeral_port());
        m_local = { Ipv4Address::any(), port };
        m_bound = true;
    }
    // Linux fixes the source address at connect (inet_dgram_connect → ip4_datagram_connect).
    if (m_local.address.is_any() && !r.source.is_any())
        m_local.address = r.source;
    m_remote = remote;
    return {};
}

Result<Endpoint> UdpSocket::remote_endpoint() const
{
    if (m_remote.address.is_any())
        return Errno::NOTCONN;
    return m_remote;
}

Result<size_t> UdpSocket::send_to(Instant now, std::span<const uint8_t> data, std::optional<Endpoint> to)
{
    Stack::Entry entry(m_stack, now);
    Endpoint destination;
    if (to) {
        destination = *to;
    } else {
        if (m_remote.address.is_any())
            return Errno::DESTADDRREQ;
        destination = m_remote;
    }
    if (destination.port == 0)
        return Errno::INVAL;
    if (data.size() > UDP_MAX_PAYLOAD)
        return Errno::MSGSIZE;
    if ((destination.address.is_broadcast()) && !m_broadcast)
        return Errno::ACCES;
    if (!m_bound) {
        TRY(uint16_t port, m_stack.udp_ephemeral_port());
        m_local = { Ipv4Address::any(), port };
        m_bound = true;
    }
    TRY(Route r, m_stack.route(destination.address, m_interface));
    Ipv4Address source = m_local.address.is_any() || m_local.address.is_broadcast() ? r.source : m_local.address;
    uint8_t header[UDP_HEADER_SIZE];
    emit_udp_header(m_local.port, destination.port, source, destination.address, data, {}, header);
    Stack::IpOutput out;
    out.source = source;
    out.destination = destination.address;
    out.protocol = IP_PROTOCOL_UDP;
    out.prefer = m_interface;
    TRY_VOID(m_stack.ip_output(out, header, { data, {} }));
    return data.size();
}

bool UdpSocket::matches(Ipv4Address destination, Endpoint from, const Interface& interface) const
{
    if (m_interface && m_interface != &interface)
        return false;
    if (!m_local.address.is_any() && m_local.address != destination)
        return false;
    if (!m_remote.address.is_any() && !(m_remote == from))
        return false;
    return true;
}

void UdpSocket::deliver(Endpoint from, std::span<const uint8_t> payload)
{
    size_t cost = sizeof(Datagram) + payload.size();
    if (m_queued_bytes + cost > m_receive_limit || !m_stack.reserve_buffer(cost)) {
        ++m_stack.m_stats.udp_dropped;
        return;
    }
    auto* d = static_cast<Datagram*>(kalloc(cost));
    if (!d) {
        m_stack.release_buffer(cost);
        ++m_stack.m_stats.udp_dropped;
        return;
    }
    d->next = nullptr;
    d->from = from;
    d->size = payload.size();
    if (!payload.empty())
        memcpy(d->bytes(), payload.data(), payload.size());
    if (m_tail)
        m_tail->next = d;
    else
        m_head = d;
    m_tail = d;
    m_queued_bytes += cost;
    notify();
}

Result<UdpReceived> UdpSocket::receive_from(std::span<uint8_t> out, bool peek)
{
    Datagram* d = m_head;
    if (!d)
        return Errno::AGAIN;
    UdpReceived r;
    r.datagram_size = d->size;
    r.size = d->size < out.size() ? d->size : out.size();
    r.from = d->from;
    if (r.size)
        memcpy(out.data(), d->bytes(), r.size);
    if (!peek) {
        m_head = d->next;
        if (!m_head)
            m_tail = nullptr;
        size_t cost = sizeof(Datagram) + d->size;
        m_queued_bytes -= cost;
        m_stack.release_buffer(cost);
        kfree(d);
    }
    return r;
}

size_t UdpSocket::next_datagram_size() const { return m_head ? m_head->size : 0; }

Result<void> UdpSocket::set_receive_buffer(size_t bytes)
{
    if (bytes < 256)
        bytes = 256;
    if (bytes > m_stack.m_config.tcp.max_buffer)
        bytes = m_stack.m_config.tcp.max_buffer;
    m_receive_limit = bytes;
    return {};
}

uint32_t UdpSocket::events() const
{
    // A UDP socket is always writable (the stack never blocks a send).
    return socket_events::OUT | (m_head ? socket_events::IN : 0);
}

void UdpSocket::notify()
{
    if (m_observer.changed)
        m_observer.changed(m_observer.context, events());
}

} // namespace kiln::net
