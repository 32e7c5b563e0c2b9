#pragma once

// A DHCP client (RFC 2131) for one Ethernet interface: DISCOVER → OFFER → REQUEST →
// ACK, then renewal at T1 and rebinding at T2 (both broadcast REQUESTs carrying ciaddr,
// the RFC 2131 4.4.5 rebinding form, so no unicast route to the server is needed), and
// back to DISCOVER when the lease expires or a NAK arrives. Retransmissions back off
// exponentially with jitter (RFC 2131 4.1: 4 s, 8 s, ... 64 s; the first timeout is
// configurable so boot is not slowed by a lost packet).
//
// It is a state machine like the others: `poll(now)` reads the replies queued on its
// UDP socket (port 68) and runs its timers; `poll_at()` says when to call it next. The
// address is written to the interface on ACK (unless configured not to), and the
// callback reports every change of lease.
//
// Not implemented: ARP probing of the offered address (RFC 5227), DECLINE, RELEASE
// at shutdown, option overload, the client identifier option.

#include <stddef.h>
#include <stdint.h>

#include "lib/kalloc.h"
#include "lib/result.h"
#include "net/time.h"
#include "net/wire/address.h"
#include "net/wire/dhcp.h"

namespace kiln::net {

class Stack;
class Interface;
class UdpSocket;

struct DhcpLease {
    Ipv4Address address;
    Ipv4Address netmask;
    Ipv4Address gateway;
    Ipv4Address server;
    Ipv4Address dns[DHCP_MAX_DNS];
    uint8_t dns_count = 0;
    Duration lease_time; // Duration::seconds(UINT32_MAX) for "infinite"
    Instant acquired;
};

enum class DhcpState : uint8_t { Idle, Selecting, Requesting, Bound, Renewing, Rebinding };

struct DhcpOptions {
    Duration first_timeout = Duration::seconds(2);
    Duration max_timeout = Duration::seconds(64);
    uint32_t request_attempts = 4; // REQUESTs without an answer before DISCOVER again
    bool configure_interface = true;
    void* context = nullptr;
    // Called on every new lease (ACK) and with nullptr when the lease is lost.
    void (*lease_changed)(void* context, const DhcpLease* lease) = nullptr;
};

class DhcpClient {
public:
    static Result<DhcpClient*> try_create(Stack& stack, Interface& interface, const DhcpOptions& options);
    static void destroy(DhcpClient* client);

    Result<void> start(Instant now);
    void poll(Instant now);
    Instant poll_at() const;

    DhcpState state() const { return m_state; }
    bool bound() const { return m_state == DhcpState::Bound || m_state == DhcpState::Renewing || m_state == DhcpState::Rebinding; }
    const DhcpLease* lease() const { return bound() ? &m_lease : nullptr; }
    uint32_t transmissions() const { return m_transmissions; }

private:
    template <typename T, typename... Args> friend T* kiln::make(Args&&... args);
    template <typename T> friend void kiln::destroy(T* object);
    DhcpClient(Stack& stack, Interface& interface, const DhcpOptions& options);
    ~DhcpClient();

    void handle(Instant now, const DhcpMessage& message);
    void send_discover(Instant now);
    void send_request(Instant now);
    void transmit(Instant now, DhcpMessage& message);
    void schedule_retry(Instant now);
    void lose_lease(Instant now);

    Stack& m_stack;
    Interface& m_interface;
    DhcpOptions m_options;
    UdpSocket* m_socket = nullptr;
    DhcpState m_state = DhcpState::Idle;
    uint32_t m_xid = 0;
    Instant m_started;
    Instant m_retry_at = Instant::never();
    uint32_t m_attempt = 0;
    uint32_t m_transmissions = 0;
    Ipv4Address m_offered;
    Ipv4Address m_server;
    DhcpLease m_lease;
    Instant m_renew_at = Instant::never();
    Instant m_rebind_at = Instant::never();
    Instant m_expire_at = Instant::never();
};

} // namespace kiln::net
