#pragma once

// UDP sockets (RFC 768) with Linux semantics for the socket layer: bind (port 0 picks
// an ephemeral port), connect (default destination and a filter on what is received),
// send_to / receive_from. The receive queue holds whole datagrams up to the socket's
// receive buffer in bytes (payload plus a small header each); datagrams that do not fit
// are dropped, as Linux does when rmem is full.

#include <stddef.h>
#include <stdint.h>

#include <optional>
#include <span>

#include "lib/kalloc.h"
#include "lib/result.h"
#include "net/socket_events.h"
#include "net/time.h"
#include "net/wire/address.h"

namespace kiln::net {

class Stack;
class Interface;

// Largest UDP payload over IPv4: 65535 - 20 (IP) - 8 (UDP).
constexpr size_t UDP_MAX_PAYLOAD = 65507;

struct UdpReceived {
    size_t size = 0; // bytes copied to the caller's buffer
    size_t datagram_size = 0; // the datagram's full size (> size: truncated, MSG_TRUNC)
    Endpoint from;
};

class UdpSocket {
public:
    Result<void> bind(Endpoint local);
    // Sets the default destination and filters input to it; address any() disconnects
    // (AF_UNSPEC).
    Result<void> connect(Endpoint remote);
    // `to` empty: the connected peer (DESTADDRREQ when not connected).
    Result<size_t> send_to(Instant now, std::span<const uint8_t> data, std::optional<Endpoint> to);
    // AGAIN when empty. `peek` leaves the datagram queued (MSG_PEEK).
    Result<UdpReceived> receive_from(std::span<uint8_t> out, bool peek = false);
    // Frees the socket; the pointer is dead afterwards.
    void close();

    uint32_t events() const;
    Endpoint local_endpoint() const { return m_local; }
    Result<Endpoint> remote_endpoint() const;
    // Size of the next datagram (FIONREAD), 0 when empty.
    size_t next_datagram_size() const;
    Result<void> set_receive_buffer(size_t bytes);
    size_t receive_buffer() const { return m_receive_limit; }
    void set_broadcast(bool on) { m_broadcast = on; }
    // Restricts sending (and receiving broadcasts before an address is known) to one
    // interface, as SO_BINDTODEVICE; the DHCP client uses it.
    void bind_to_interface(Interface* interface) { m_interface = interface; }
    void set_observer(SocketObserver observer) { m_observer = observer; }

private:
    friend class Stack;
    template <typename T, typename... Args> friend T* kiln::make(Args&&... args);
    template <typename T> friend void kiln::destroy(T* object);
    struct Datagram {
        Datagram* next;
        Endpoint from;
        size_t size;
        uint8_t* bytes() { return reinterpret_cast<uint8_t*>(this + 1); }
    };

    explicit UdpSocket(Stack& stack);
    ~UdpSocket();
    // From Stack::udp_input: queues a copy of the payload or drops it.
    void deliver(Endpoint from, std::span<const uint8_t> payload);
    void notify();
    bool matches(Ipv4Address destination, Endpoint from, const Interface& interface) const;

    Stack& m_stack;
    UdpSocket* m_next = nullptr;
    UdpSocket* m_prev = nullptr;
    Endpoint m_local;
    Endpoint m_remote; // address any(): not connected
    bool m_bound = false;
    bool m_broadcast = false;
    Interface* m_interface = nullptr;
    Datagram* m_head = nullptr;
    Datagram* m_tail = nullptr;
    size_t m_queued_bytes = 0;
    size_t m_receive_limit = 0;
    SocketObserver m_observer;
};

} // namespace kiln::net
