#pragma once

// The network stack: interfaces, ARP, IPv4 in and out (routing, fragmentation,
// reassembly), ICMP echo, and the demultiplexing to UDP and TCP sockets.
//
// Execution context: everything here runs in the kernel's main context (never in an
// interrupt handler): the NIC driver's interrupt only marks work, and the kernel then
// calls `receive()` for each frame, `poll(now)` when `poll_at()` is due, and the socket
// methods from system calls. Nothing locks; callers serialize (the kernel is not
// preemptible). Allocation happens only here, bounded by StackConfig, and its failure
// drops the packet.
//
// Re-entrancy: packets for the loopback interface are queued and delivered when the
// outermost call into the stack returns, so a socket call never recurses into another
// socket's state machine; closed sockets are freed at the same point.

#include <stddef.h>
#include <stdint.h>

#include <span>

#include "lib/kalloc.h"
#include "lib/result.h"
#include "net/config.h"
#include "net/ipv4_reassembly.h"
#include "net/ring_buffer.h"
#include "net/time.h"
#include "net/wire/address.h"
#include "net/wire/ipv4.h"
#include "net/wire/tcp.h"

namespace kiln::net {

class TcpSocket;
class UdpSocket;

enum class LinkKind : uint8_t { Ethernet, Loopback };

// Hands a complete Ethernet frame (no FCS) to the NIC. The driver copies it before
// returning; false means it was dropped (ring full), which TCP recovers from.
using TransmitFunction = bool (*)(void* context, std::span<const uint8_t> frame);

struct InterfaceAddress {
    Ipv4Address address;
    Ipv4Address netmask;
    Ipv4Address gateway; // any(): no default route through this interface
};

struct InterfaceStats {
    uint64_t rx_frames = 0;
    uint64_t rx_dropped = 0; // malformed, not for us, unknown protocol, no memory
    uint64_t tx_frames = 0;
    uint64_t tx_dropped = 0; // driver refused, ARP failed, queue full
};

class Interface {
public:
    LinkKind kind() const { return m_kind; }
    MacAddress mac() const { return m_mac; }
    uint16_t mtu() const { return m_mtu; }
    const InterfaceAddress& address() const { return m_address; }
    bool configured() const { return !m_address.address.is_any(); }
    Ipv4Address subnet_broadcast() const
    {
        return Ipv4Address::from_u32(m_address.address.to_u32() | ~m_address.netmask.to_u32());
    }
    const InterfaceStats& stats() const { return m_stats; }

private:
    friend class Stack;
    LinkKind m_kind = LinkKind::Ethernet;
    MacAddress m_mac;
    uint16_t m_mtu = ETHERNET_DEFAULT_MTU;
    TransmitFunction m_transmit = nullptr;
    void* m_transmit_context = nullptr;
    InterfaceAddress m_address;
    InterfaceStats m_stats;
};

struct StackStats {
    uint64_t ip_bad = 0; // malformed or bad checksum
    uint64_t ip_not_for_us = 0;
    uint64_t ip_fragments = 0;
    uint64_t ip_reassembled = 0;
    uint64_t tcp_bad = 0;
    uint64_t tcp_resets_sent = 0;
    uint64_t tcp_retransmits = 0;
    uint64_t tcp_syn_dropped = 0; // listen queue full
    uint64_t udp_bad = 0;
    uint64_t udp_dropped = 0; // no socket or queue full
    uint64_t icmp_echo_replies = 0;
    uint64_t arp_pending_dropped = 0;
    uint64_t loopback_dropped = 0;
};

// Where a packet goes: out of `interface` to `next_hop`, from `source`.
struct Route {
    Interface* interface = nullptr;
    Ipv4Address next_hop; // broadcast() for link broadcast
    Ipv4Address source;
};

class Stack {
public:
    static Result<Stack*> try_create(const StackConfig& config);
    static void destroy(Stack* stack);

    Stack(const Stack&) = delete;
    Stack& operator=(const Stack&) = delete;

    Result<Interface*> add_ethernet(MacAddress mac, uint16_t mtu, TransmitFunction transmit, void* context);
    Interface& loopback() { return *m_interfaces[0]; }
    void set_address(Interface& interface, const InterfaceAddress& address);
    // ARP entries that never expire (tests, static configuration).
    Result<void> add_static_neighbor(Interface& interface, Ipv4Address ip, MacAddress mac);
    Result<MacAddress> lookup_neighbor(Ipv4Address ip) const;

    // A frame from a NIC (Ethernet header first, no FCS).
    void receive(Instant now, Interface& interface, std::span<const uint8_t> frame);
    // Runs every timer that is due (ARP, reassembly, TCP).
    void poll(Instant now);
    // When poll() next has work; Instant::never() when nothing is pending.
    Instant poll_at() const;

    // Sockets. The caller owns the returned socket until it calls close() (TCP: the
    // stack then finishes the connection and frees it; the pointer is dead at once).
    Result<TcpSocket*> tcp_socket();
    Result<UdpSocket*> udp_socket();

    const StackStats& stats() const { return m_stats; }
    const StackConfig& config() const { return m_config; }
    size_t buffer_memory() const { return m_buffer_memory; }
    size_t tcp_socket_count() const { return m_tcp_count; }
    // Frames queued until ARP resolves their next hop (they leave, or are dropped, with
    // the answer or the last retry).
    size_t frames_awaiting_arp() const { return m_pending_count; }

    Result<Route> route(Ipv4Address destination, const Interface* prefer = nullptr) const;
    bool is_local_address(Ipv4Address address) const;

private:
    friend class TcpSocket;
    template <typename T, typename... Args> friend T* kiln::make(Args&&... args);
    template <typename T> friend void kiln::destroy(T* object);
    friend class UdpSocket;
    friend class DhcpClient;

    explicit Stack(const StackConfig& config);
    ~Stack();

    // Calls into the stack nest; the outermost one delivers loopback packets and frees
    // dead sockets on the way out.
    class Entry {
    public:
        Entry(Stack& stack, Instant now);
        ~Entry();

    private:
        Stack& m_stack;
    };

    struct ArpEntry {
        // Probe: Reachable ran out; frames still go to `mac` while requests re-confirm it.
        enum class State : uint8_t { Free, Incomplete, Reachable, Probe, Static };
        State state = State::Free;
        uint8_t requests = 0;
        Interface* interface = nullptr;
        Ipv4Address ip;
        MacAddress mac;
        Instant expires; // Reachable: when to re-confirm; Incomplete, Probe: next request
    };
    struct PendingFrame {
        PendingFrame* next;
        Interface* interface;
        Ipv4Address next_hop;
        size_t length;
        uint8_t* frame() { return reinterpret_cast<uint8_t*>(this + 1); }
    };
    struct LoopbackPacket {
        LoopbackPacket* next;
        size_t length;
        uint8_t* bytes() { return reinterpret_cast<uint8_t*>(this + 1); }
    };

    // Output. `transport_header` then `payload` make the IP payload.
    struct IpOutput {
        Ipv4Address source; // any(): the route's source
        Ipv4Address destination;
        uint8_t protocol = 0;
        uint8_t ttl = 64;
        bool dont_fragment = false;
        const Interface* prefer = nullptr;
    };
    Result<void> ip_output(const IpOutput& out, std::span<const uint8_t> transport_header, ByteSpans payload);
    void link_output(const Route& route, std::span<uint8_t> frame);
    void transmit(Interface& interface, std::span<const uint8_t> frame);

    // Input.
    void arp_input(Interface& interface, std::span<const uint8_t> payload);
    void ip_input(Interface& interface, std::span<const uint8_t> bytes);
    void ip_deliver(Interface& interface, const Ipv4Header& header, std::span<const uint8_t> payload);
    void icmp_input(Interface& interface, const Ipv4Header& header, std::span<const uint8_t> payload);
    void udp_input(Interface& interface, const Ipv4Header& header, std::span<const uint8_t> payload);
    void tcp_input(const Ipv4Header& header, std::span<const uint8_t> payload);
    void send_icmp_unreachable(const Ipv4Header& header, std::span<const uint8_t> payload, uint8_t code);
    bool accepts_destination(const Interface& interface, Ipv4Address destination) const;

    // ARP.
    ArpEntry* arp_find(Ipv4Address ip);
    const ArpEntry* arp_find(Ipv4Address ip) const;
    ArpEntry* arp_allocate(Ipv4Address ip);
    void arp_learn(Interface& interface, Ipv4Address ip, MacAddress mac, bool create);
    void arp_send_request(Interface& interface, Ipv4Address ip);
    void arp_queue(Interface& interface, Ipv4Address next_hop, std::span<const uint8_t> frame);
    void arp_flush_pending(Ipv4Address ip, const MacAddress* mac);
    void arp_poll(Instant now);

    // Loopback.
    void loopback_queue(std::span<const uint8_t> ip_packet);
    void loopback_deliver_all();

    // TCP bookkeeping.
    void tcp_link(TcpSocket& socket);
    void tcp_hash_insert(TcpSocket& socket);
    void tcp_hash_remove(TcpSocket& socket);
    TcpSocket* tcp_lookup(Ipv4Address local, uint16_t local_port, Ipv4Address remote, uint16_t remote_port);
    TcpSocket* tcp_find_listener(Ipv4Address local, uint16_t local_port);
    bool tcp_port_in_use(uint16_t port, Ipv4Address address, const TcpSocket* except, bool reuse) const;
    Result<uint16_t> tcp_ephemeral_port(Ipv4Address address, Ipv4Address remote, uint16_t remote_port);
    void tcp_emit(const TcpSocket& socket, const TcpSegment& segment, ByteSpans payload);
    void tcp_reset_for(const Ipv4Header& header, const TcpSegment& segment);
    void reap();

    // UDP bookkeeping.
    bool udp_port_in_use(uint16_t port, Ipv4Address address, const UdpSocket* except) const;
    Result<uint16_t> udp_ephemeral_port();
    void udp_unlink(UdpSocket& socket);

    // Buffer memory accounting (StackConfig::max_buffer_memory).
    bool reserve_buffer(size_t bytes);
    void release_buffer(size_t bytes);

    uint32_t random32();
    Instant now() const { return m_now; }

    StackConfig m_config;
    Instant m_now;
    uint32_t m_depth = 0;
    uint16_t m_ip_identification = 0;
    uint16_t m_ephemeral_next = EPHEMERAL_PORT_FIRST;

    Interface* m_interfaces[MAX_INTERFACES] = {};
    size_t m_interface_count = 0;
    uint8_t* m_frame = nullptr; // transmit scratch, ETHERNET_HEADER_SIZE + LOOPBACK_MTU
    size_t m_frame_capacity = 0;

    ArpEntry m_arp[ARP_CACHE_SIZE];
    PendingFrame* m_pending = nullptr;
    size_t m_pending_count = 0;

    LoopbackPacket* m_loopback_head = nullptr;
    LoopbackPacket* m_loopback_tail = nullptr;
    size_t m_loopback_count = 0;

    Reassembler m_reassembler;

    TcpSocket* m_tcp_all = nullptr; // every TCP socket, linked through m_all_next/prev
    TcpSocket* m_tcp_hash[TCP_HASH_BUCKETS] = {};
    size_t m_tcp_count = 0;
    UdpSocket* m_udp_all = nullptr;
    size_t m_udp_count = 0;

    size_t m_buffer_memory = 0;
    StackStats m_stats;
};

} // namespace kiln::net
