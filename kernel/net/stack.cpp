// The stack's core: creation, interfaces, frame input, IPv4 input and output (routing,
// fragmentation), loopback, timers. ARP is in arp.cpp, ICMP and UDP input in
// transport_input.cpp, TCP in tcp/.

#include "net/stack.h"

#include <string.h>

#include "lib/kalloc.h"
#include "net/tcp/tcp_socket.h"
#include "net/udp_socket.h"
#include "net/wire/checksum.h"
#include "net/wire/ethernet.h"

namespace kiln::net {

Stack::Stack(const StackConfig& config)
    : m_config(config)
{
}

Stack::~Stack()
{
    while (m_tcp_all) {
        TcpSocket* socket = m_tcp_all;
        m_tcp_all = socket->m_all_next;
        kiln::destroy(socket);
    }
    while (m_udp_all) {
        UdpSocket* socket = m_udp_all;
        m_udp_all = socket->m_next;
        kiln::destroy(socket);
    }
    while (m_pending) {
        PendingFrame* p = m_pending;
        m_pending = p->next;
        kfree(p);
    }
    while (m_loopback_head) {
        LoopbackPacket* p = m_loopback_head;
        m_loopback_head = p->next;
        kfree(p);
    }
    for (size_t i = 0; i < m_interface_count; ++i)
        kiln::destroy(m_interfaces[i]);
    kfree(m_frame);
}

Result<Stack*> Stack::try_create(const StackConfig& config)
{
    if (!config.random.fill)
        return Errno::INVAL;
    Stack* stack = make<Stack>(config);
    if (!stack)
        return Errno::NOMEM;
    stack->m_frame_capacity = ETHERNET_HEADER_SIZE + LOOPBACK_MTU;
    stack->m_frame = static_cast<uint8_t*>(kalloc(stack->m_frame_capacity));
    Interface* loopback = make<Interface>();
    if (!stack->m_frame || !loopback) {
        kiln::destroy(loopback);
        destroy(stack);
        return Errno::NOMEM;
    }
    loopback->m_kind = LinkKind::Loopback;
    loopback->m_mtu = LOOPBACK_MTU;
    loopback->m_address = { Ipv4Address::loopback(), Ipv4Address(255, 0, 0, 0), Ipv4Address::any() };
    stack->m_interfaces[stack->m_interface_count++] = loopback;
    stack->m_ip_identification = static_cast<uint16_t>(stack->random32());
    stack->m_ephemeral_next = static_cast<uint16_t>(
        EPHEMERAL_PORT_FIRST + stack->random32() % (EPHEMERAL_PORT_LAST - EPHEMERAL_PORT_FIRST + 1));
    return stack;
}

void Stack::destroy(Stack* stack) { kiln::destroy(stack); }

Result<Interface*> Stack::add_ethernet(MacAddress mac, uint16_t mtu, TransmitFunction transmit, void* context)
{
    if (m_interface_count == MAX_INTERFACES)
        return Errno::NOSPC;
    if (!transmit || mtu < 576 || mtu > LOOPBACK_MTU - ETHERNET_HEADER_SIZE)
        return Errno::INVAL;
    Interface* interface = make<Interface>();
    if (!interface)
        return Errno::NOMEM;
    interface->m_kind = LinkKind::Ethernet;
    interface->m_mac = mac;
    interface->m_mtu = mtu;
    interface->m_transmit = transmit;
    interface->m_transmit_context = context;
    m_interfaces[m_interface_count++] = interface;
    return interface;
}

void Stack::set_address(Interface& interface, const InterfaceAddress& address) { interface.m_address = address; }

uint32_t Stack::random32()
{
    uint8_t bytes[4];
    m_config.random.fill(m_config.random.context, bytes, sizeof(bytes));
    return load_be32(bytes);
}

bool Stack::reserve_buffer(size_t bytes)
{
    if (bytes > m_config.max_buffer_memory - m_buffer_memory)
        return false;
    m_buffer_memory += bytes;
    return true;
}

void Stack::release_buffer(size_t bytes) { m_buffer_memory -= bytes <= m_buffer_memory ? bytes : m_buffer_memory; }

// --- Entry and deferred work ---

Stack::Entry::Entry(Stack& stack, Instant now)
    : m_stack(stack)
{
    if (now > stack.m_now)
        stack.m_now = now;
    ++stack.m_depth;
}

Stack::Entry::~Entry()
{
    if (m_stack.m_depth == 1) {
        m_stack.loopback_deliver_all();
        m_stack.reap();
    }
    --m_stack.m_depth;
}

// --- Input ---

void Stack::receive(Instant now, Interface& interface, std::span<const uint8_t> frame)
{
    Entry entry(*this, now);
    ++interface.m_stats.rx_frames;
    auto parsed = parse_ethernet(frame);
    if (!parsed) {
        ++interface.m_stats.rx_dropped;
        return;
    }
    const EthernetHeader& h = parsed->header;
    if (!(h.destination == interface.m_mac) && !h.destination.is_broadcast()) {
        ++interface.m_stats.rx_dropped; // other hosts' unicast and multicast
        return;
    }
    switch (h.ethertype) {
    case ETHERTYPE_ARP:
        arp_input(interface, parsed->payload);
        break;
    case ETHERTYPE_IPV4:
        ip_input(interface, parsed->payload);
        break;
    default:
        ++interface.m_stats.rx_dropped;
        break;
    }
}

bool Stack::is_local_address(Ipv4Address address) const
{
    if (address.is_loopback())
        return true;
    for (size_t i = 0; i < m_interface_count; ++i)
        if (m_interfaces[i]->configured() && m_interfaces[i]->m_address.address == address)
            return true;
    return false;
}

bool Stack::accepts_destination(const Interface& interface, Ipv4Address destination) const
{
    if (destination.is_broadcast())
        return true;
    if (interface.m_kind == LinkKind::Loopback)
        return is_local_address(destination);
    if (!interface.configured())
        return true; // DHCP: the offer may be unicast to the address being offered
    if (destination.is_loopback())
        return false; // RFC 1122 3.2.1.3: 127/8 must not appear on a wire
    return destination == interface.m_address.address || destination == interface.subnet_broadcast();
}

void Stack::ip_input(Interface& interface, std::span<const uint8_t> bytes)
{
    auto parsed = parse_ipv4(bytes);
    if (!parsed) {
        ++m_stats.ip_bad;
        ++interface.m_stats.rx_dropped;
        return;
    }
    const Ipv4Header& h = parsed->header;
    // RFC 1122 3.2.1.3: a source that is broadcast or multicast is discarded.
    if (h.source.is_broadcast() || h.source.is_multicast() || !accepts_destination(interface, h.destination)) {
        ++m_stats.ip_not_for_us;
        ++interface.m_stats.rx_dropped;
        return;
    }
    if (h.is_fragment()) {
        ++m_stats.ip_fragments;
        auto whole = m_reassembler.add(m_now, h, parsed->payload, m_config.reassembly_timeout);
        if (whole.empty())
            return;
        ++m_stats.ip_reassembled;
        Ipv4Header complete = h;
        complete.more_fragments = false;
        complete.fragment_offset = 0;
        ip_deliver(interface, complete, whole);
        return;
    }
    ip_deliver(interface, h, parsed->payload);
}

void Stack::ip_deliver(Interface& interface, const Ipv4Header& header, std::span<const uint8_t> payload)
{
    switch (header.protocol) {
    case IP_PROTOCOL_ICMP:
        icmp_input(interface, header, payload);
        break;
    case IP_PROTOCOL_UDP:
        udp_input(interface, header, payload);
        break;
    case IP_PROTOCOL_TCP:
        if (header.destination.is_broadcast() || header.destination == interface.subnet_broadcast()
            || !interface.configured())
            return; // RFC 9293 3.10.7.1 / RFC 1122 4.2.3.10: TCP is unicast only
        tcp_input(header, payload);
        break;
    default:
        // FIXME: ICMP protocol unreachable (RFC 1122 3.2.2.1) is not sent.
        ++interface.m_stats.rx_dropped;
        break;
    }
}

// --- Routing and output ---

Result<Route> Stack::route(Ipv4Address destination, const Interface* prefer) const
{
    Route r;
    if (is_local_address(destination)) {
        // Local destinations, 127/8 and our own addresses, go through loopback (Linux's
        // local routing table does the same).
        r.interface = m_interfaces[0];
        r.next_hop = destination;
        r.source = destination;
        return r;
    }
    if (destination.is_broadcast()) {
        for (size_t i = 1; i < m_interface_count; ++i) {
            Interface* interface = m_interfaces[i];
            if (prefer && prefer != interface)
                continue;
            r.interface = interface;
            r.next_hop = Ipv4Address::broadcast();
            r.source = interface->m_address.address;
            return r;
        }
        return Errno::NETUNREACH;
    }
    for (size_t i = 1; i < m_interface_count; ++i) {
        Interface* interface = m_interfaces[i];
        if (!interface->configured() || (prefer && prefer != interface))
            continue;
        const InterfaceAddress& a = interface->m_address;
        if (destination.in_subnet(a.address, a.netmask)) {
            r.interface = interface;
            r.next_hop = destination == interface->subnet_broadcast() ? Ipv4Address::broadcast() : destination;
            r.source = a.address;
            return r;
        }
    }
    for (size_t i = 1; i < m_interface_count; ++i) {
        Interface* interface = m_interfaces[i];
        if (!interface->configured() || interface->m_address.gateway.is_any() || (prefer && prefer != interface))
            continue;
        r.interface = interface;
        r.next_hop = interface->m_address.gateway;
        r.source = interface->m_address.address;
        return r;
    }
    return Errno::NETUNREACH;
}

Result<void> Stack::ip_output(const IpOutput& out, std::span<const uint8_t> transport_header, ByteSpans payload)
{
    TRY(Route r, route(out.destination, out.prefer));
    Ipv4Header h;
    h.source = out.source.is_any() ? r.source : out.source;
    h.destination = out.destination;
    h.protocol = out.protocol;
    h.ttl = out.ttl;
    h.dont_fragment = out.dont_fragment;
    h.identification = m_ip_identification++;

    size_t total = transport_header.size() + payload.size();
    if (total > 65535 - IPV4_HEADER_SIZE)
        return Errno::MSGSIZE;
    size_t mtu = r.interface->m_mtu;
    // Gather the IP payload pieces; fragments copy from them in order.
    std::span<const uint8_t> pieces[3] = { transport_header, payload.first, payload.second };
    size_t piece = 0;
    size_t piece_offset = 0;
    auto copy_out = [&](uint8_t* to, size_t n) {
        while (n) {
            while (pieces[piece].size() == piece_offset) {
                ++piece;
                piece_offset = 0;
            }
            size_t take = pieces[piece].size() - piece_offset;
            if (take > n)
                take = n;
            memcpy(to, pieces[piece].data() + piece_offset, take);
            to += take;
            n -= take;
            piece_offset += take;
        }
    };

    if (IPV4_HEADER_SIZE + total <= mtu) {
        uint8_t* ip = m_frame + ETHERNET_HEADER_SIZE;
        emit_ipv4(h, static_cast<uint16_t>(total), { ip, IPV4_HEADER_SIZE });
        copy_out(ip + IPV4_HEADER_SIZE, total);
        link_output(r, { m_frame, ETHERNET_HEADER_SIZE + IPV4_HEADER_SIZE + total });
        return {};
    }
    if (out.dont_fragment)
        return Errno::MSGSIZE;
    // RFC 791 3.2 fragmentation: every fragment but the last carries a multiple of 8.
    size_t per_fragment = (mtu - IPV4_HEADER_SIZE) & ~static_cast<size_t>(7);
    for (size_t offset = 0; offset < total; offset += per_fragment) {
        size_t n = total - offset < per_fragment ? total - offset : per_fragment;
        h.fragment_offset = static_cast<uint16_t>(offset);
        h.more_fragments = offset + n < total;
        uint8_t* ip = m_frame + ETHERNET_HEADER_SIZE;
        emit_ipv4(h, static_cast<uint16_t>(n), { ip, IPV4_HEADER_SIZE });
        copy_out(ip + IPV4_HEADER_SIZE, n);
        link_output(r, { m_frame, ETHERNET_HEADER_SIZE + IPV4_HEADER_SIZE + n });
    }
    return {};
}

void Stack::link_output(const Route& r, std::span<uint8_t> frame)
{
    Interface& interface = *r.interface;
    if (interface.m_kind == LinkKind::Loopback) {
        loopback_queue(frame.subspan(ETHERNET_HEADER_SIZE));
        return;
    }
    EthernetHeader eth;
    eth.source = interface.m_mac;
    eth.ethertype = ETHERTYPE_IPV4;
    if (r.next_hop.is_broadcast()) {
        eth.destination = MacAddress::broadcast();
    } else {
        ArpEntry* entry = arp_find(r.next_hop);
        if (!entry || entry->state == ArpEntry::State::Incomplete) {
            emit_ethernet(eth, frame);
            arp_queue(interface, r.next_hop, frame);
            return;
        }
        eth.destination = entry->mac;
    }
    emit_ethernet(eth, frame);
    transmit(interface, frame);
}

void Stack::transmit(Interface& interface, std::span<const uint8_t> frame)
{
    // Pad short frames (ARP, small segments) to the Ethernet minimum.
    uint8_t padded[ETHERNET_MIN_FRAME];
    if (frame.size() < ETHERNET_MIN_FRAME) {
        memset(padded, 0, sizeof(padded));
        memcpy(padded, frame.data(), frame.size());
        frame = padded;
    }
    if (interface.m_transmit(interface.m_transmit_context, frame))
        ++interface.m_stats.tx_frames;
    else
        ++interface.m_stats.tx_dropped;
}

// --- Loopback ---

void Stack::loopback_queue(std::span<const uint8_t> ip_packet)
{
    Interface& lo = *m_interfaces[0];
    if (m_loopback_count >= LOOPBACK_QUEUE_MAX) {
        ++m_stats.loopback_dropped;
        ++lo.m_stats.tx_dropped;
        return;
    }
    auto* p = static_cast<LoopbackPacket*>(kalloc(sizeof(LoopbackPacket) + ip_packet.size()));
    if (!p) {
        ++m_stats.loopback_dropped;
        ++lo.m_stats.tx_dropped;
        return;
    }
    p->next = nullptr;
    p->length = ip_packet.size();
    memcpy(p->bytes(), ip_packet.data(), ip_packet.size());
    if (m_loopback_tail)
        m_loopback_tail->next = p;
    else
        m_loopback_head = p;
    m_loopback_tail = p;
    ++m_loopback_count;
    ++lo.m_stats.tx_frames;
}

void Stack::loopback_deliver_all()
{
    Interface& lo = *m_interfaces[0];
    // Delivery can queue more packets (replies); the queue bound ends ping-pong storms.
    while (m_loopback_head) {
        LoopbackPacket* p = m_loopback_head;
        m_loopback_head = p->next;
        if (!m_loopback_head)
            m_loopback_tail = nullptr;
        --m_loopback_count;
        ++lo.m_stats.rx_frames;
        ip_input(lo, { p->bytes(), p->length });
        kfree(p);
    }
}

// --- Timers ---

void Stack::poll(Instant now)
{
    Entry entry(*this, now);
    arp_poll(now);
    m_reassembler.expire(now);
    for (TcpSocket* s = m_tcp_all; s; s = s->m_all_next)
        if (s->poll_at() <= now)
            s->on_timer(now);
}

Instant Stack::poll_at() const
{
    Instant at = m_reassembler.poll_at();
    for (const ArpEntry& e : m_arp)
        if (e.state == ArpEntry::State::Incomplete || e.state == ArpEntry::State::Reachable
            || e.state == ArpEntry::State::Probe)
            at = earliest(at, e.expires);
    for (const TcpSocket* s = m_tcp_all; s; s = s->m_all_next)
        at = earliest(at, s->poll_at());
    return at;
}

void Stack::reap()
{
    TcpSocket* s = m_tcp_all;
    while (s) {
        TcpSocket* next = s->m_all_next;
        if (s->m_state == TcpState::Closed && !s->m_user_owned && !s->m_in_accept_queue) {
            s->detach_from_listener();
            tcp_hash_remove(*s);
            if (s->m_all_prev)
                s->m_all_prev->m_all_next = s->m_all_next;
            else
                m_tcp_all = s->m_all_next;
            if (s->m_all_next)
                s->m_all_next->m_all_prev = s->m_all_prev;
            --m_tcp_count;
            kiln::destroy(s);
        }
        s = next;
    }
}

} // namespace kiln::net
