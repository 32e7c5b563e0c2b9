// ARP (RFC 826) for the stack's Ethernet interfaces: a fixed table of neighbours with
// timeouts, requests retried every arp_retry up to arp_max_requests, and a small queue
// of frames waiting for a resolution (ARP_PENDING_MAX in all; when full the oldest is
// dropped, as Linux's unres_qlen does).
//
// Entry life cycle: Incomplete (requests going out) → Reachable for arp_reachable after
// the last reply → Probe: requests re-confirm the neighbour while frames keep going to
// the MAC it had (as Linux's STALE/PROBE states: a busy server must not stall and drop
// every connection's segments once a minute while its gateway is re-resolved) → back to
// Reachable on a reply. Static never expires. When requests go unanswered
// arp_max_requests times, the entry is dropped, and for Incomplete its queued frames too
// (Linux would send ICMP host unreachable to itself; TCP just retransmits and eventually
// times out).

#include <string.h>

#include "lib/kalloc.h"
#include "net/stack.h"
#include "net/wire/ethernet.h"

namespace kiln::net {

Stack::ArpEntry* Stack::arp_find(Ipv4Address ip)
{
    for (ArpEntry& e : m_arp)
        if (e.state != ArpEntry::State::Free && e.ip == ip)
            return &e;
    return nullptr;
}

const Stack::ArpEntry* Stack::arp_find(Ipv4Address ip) const
{
    for (const ArpEntry& e : m_arp)
        if (e.state != ArpEntry::State::Free && e.ip == ip)
            return &e;
    return nullptr;
}

Stack::ArpEntry* Stack::arp_allocate(Ipv4Address ip)
{
    ArpEntry* victim = nullptr;
    for (ArpEntry& e : m_arp) {
        if (e.state == ArpEntry::State::Free) {
            victim = &e;
            break;
        }
        // Otherwise evict the Reachable or Probe entry closest to expiry; never Static
        // or Incomplete ones (their pending frames refer to them).
        bool evictable = e.state == ArpEntry::State::Reachable || e.state == ArpEntry::State::Probe;
        if (evictable && (!victim || e.expires < victim->expires))
            victim = &e;
    }
    if (!victim)
        return nullptr;
    *victim = ArpEntry {};
    victim->ip = ip;
    return victim;
}

Result<void> Stack::add_static_neighbor(Interface& interface, Ipv4Address ip, MacAddress mac)
{
    ArpEntry* e = arp_find(ip);
    if (!e)
        e = arp_allocate(ip);
    if (!e)
        return Errno::NOSPC;
    e->state = ArpEntry::State::Static;
    e->interface = &interface;
    e->mac = mac;
    e->expires = Instant::never();
    arp_flush_pending(ip, &mac);
    return {};
}

Result<MacAddress> Stack::lookup_neighbor(Ipv4Address ip) const
{
    const ArpEntry* e = arp_find(ip);
    if (!e || e->state == ArpEntry::State::Incomplete)
        return Errno::NOENT;
    return e->mac;
}

void Stack::arp_learn(Interface& interface, Ipv4Address ip, MacAddress mac, bool create)
{
    if (ip.is_any() || ip.is_broadcast() || mac.is_multicast())
        return;
    ArpEntry* e = arp_find(ip);
    if (!e && !create)
        return;
    if (!e)
        e = arp_allocate(ip);
    if (!e || e->state == ArpEntry::State::Static)
        return;
    e->state = ArpEntry::State::Reachable;
    e->interface = &interface;
    e->mac = mac;
    e->requests = 0;
    e->expires = m_now + m_config.arp_reachable;
    arp_flush_pending(ip, &mac);
}

void Stack::arp_input(Interface& interface, std::span<const uint8_t> payload)
{
    auto parsed = parse_arp(payload);
    if (!parsed) {
        ++interface.m_stats.rx_dropped;
        return;
    }
    const ArpPacket& a = *parsed;
    bool for_us = interface.configured() && a.target_ip == interface.m_address.address;
    // RFC 826 "Packet Reception": update an existing entry for the sender (merge flag);
    // create one only if we are the target.
    arp_learn(interface, a.sender_ip, a.sender_mac, for_us);
    if (for_us && a.operation == ARP_REQUEST) {
        ArpPacket reply;
        reply.operation = ARP_REPLY;
        reply.sender_mac = interface.m_mac;
        reply.sender_ip = interface.m_address.address;
        reply.target_mac = a.sender_mac;
        reply.target_ip = a.sender_ip;
        EthernetHeader eth { a.sender_mac, interface.m_mac, ETHERTYPE_ARP };
        size_t n = emit_ethernet(eth, { m_frame, m_frame_capacity });
        n += emit_arp(reply, { m_frame + n, m_frame_capacity - n });
        transmit(interface, { m_frame, n });
    }
}

void Stack::arp_send_request(Interface& interface, Ipv4Address ip)
{
    ArpPacket request;
    request.operation = ARP_REQUEST;
    request.sender_mac = interface.m_mac;
    request.sender_ip = interface.m_address.address;
    request.target_ip = ip;
    EthernetHeader eth { MacAddress::broadcast(), interface.m_mac, ETHERTYPE_ARP };
    // A separate buffer: the caller may be holding a frame in m_frame.
    uint8_t frame[ETHERNET_MIN_FRAME] = {};
    size_t n = emit_ethernet(eth, frame);
    emit_arp(request, { frame + n, sizeof(frame) - n });
    transmit(interface, frame);
}

void Stack::arp_queue(Interface& interface, Ipv4Address next_hop, std::span<const uint8_t> frame)
{
    ArpEntry* e = arp_find(next_hop);
    if (!e) {
        e = arp_allocate(next_hop);
        if (!e) {
            ++interface.m_stats.tx_dropped;
            return;
        }
        e->state = ArpEntry::State::Incomplete;
        e->interface = &interface;
        e->requests = 1;
        e->expires = m_now + m_config.arp_retry;
        arp_send_request(interface, next_hop);
    }
    if (m_pending_count == ARP_PENDING_MAX) {
        PendingFrame* oldest = m_pending;
        m_pending = oldest->next;
        kfree(oldest);
        --m_pending_count;
        ++m_stats.arp_pending_dropped;
        ++interface.m_stats.tx_dropped;
    }
    auto* p = static_cast<PendingFrame*>(kalloc(sizeof(PendingFrame) + frame.size()));
    if (!p) {
        ++interface.m_stats.tx_dropped;
        return;
    }
    p->next = nullptr;
    p->interface = &interface;
    p->next_hop = next_hop;
    p->length = frame.size();
    memcpy(p->frame(), frame.data(), frame.size());
    PendingFrame** tail = &m_pending;
    while (*tail)
        tail = &(*tail)->next;
    *tail = p;
    ++m_pending_count;
}

// Sends (mac given) or drops (nullptr) every frame waiting for `ip`, oldest first.
void Stack::arp_flush_pending(Ipv4Address ip, const MacAddress* mac)
{
    PendingFrame** link = &m_pending;
    while (*link) {
        PendingFrame* p = *link;
        if (!(p->next_hop == ip)) {
            link = &p->next;
            continue;
        }
        *link = p->next;
        --m_pending_count;
        if (mac) {
            mac->to_bytes(p->frame());
            transmit(*p->interface, { p->frame(), p->length });
        } else {
            ++m_stats.arp_pending_dropped;
            ++p->interface->m_stats.tx_dropped;
        }
        kfree(p);
    }
}

void Stack::arp_poll(Instant now)
{
    for (ArpEntry& e : m_arp) {
        if (e.expires > now)
            continue;
        if (e.state == ArpEntry::State::Reachable) {
            e.state = ArpEntry::State::Probe;
            e.requests = 1;
            e.expires = now + m_config.arp_retry;
            arp_send_request(*e.interface, e.ip);
        } else if (e.state == ArpEntry::State::Incomplete || e.state == ArpEntry::State::Probe) {
            if (e.requests >= m_config.arp_max_requests) {
                Ipv4Address ip = e.ip;
                bool queued = e.state == ArpEntry::State::Incomplete;
                e.state = ArpEntry::State::Free;
                if (queued)
                    arp_flush_pending(ip, nullptr);
            } else {
                ++e.requests;
                e.expires = now + m_config.arp_retry;
                arp_send_request(*e.interface, e.ip);
            }
        }
    }
}

} // namespace kiln::net
