#include "net/dhcp_client.h"

#include "net/stack.h"
#include "net/udp_socket.h"

namespace kiln::net {

DhcpClient::DhcpClient(Stack& stack, Interface& interface, const DhcpOptions& options)
    : m_stack(stack)
    , m_interface(interface)
    , m_options(options)
{
}

DhcpClient::~DhcpClient()
{
    if (m_socket)
        m_socket->close();
}

Result<DhcpClient*> DhcpClient::try_create(Stack& stack, Interface& interface, const DhcpOptions& options)
{
    if (interface.kind() != LinkKind::Ethernet)
        return Errno::INVAL;
    DhcpClient* client = make<DhcpClient>(stack, interface, options);
    if (!client)
        return Errno::NOMEM;
    auto socket = stack.udp_socket();
    if (!socket) {
        destroy(client);
        return socket.error();
    }
    client->m_socket = *socket;
    client->m_socket->bind_to_interface(&interface);
    client->m_socket->set_broadcast(true);
    if (auto bound = client->m_socket->bind({ Ipv4Address::any(), DHCP_CLIENT_PORT }); !bound) {
        destroy(client);
        return bound.error();
    }
    return client;
}

void DhcpClient::destroy(DhcpClient* client) { kiln::destroy(client); }

Result<void> DhcpClient::start(Instant now)
{
    m_started = now;
    send_discover(now);
    return {};
}

void DhcpClient::transmit(Instant now, DhcpMessage& message)
{
    message.op = 1;
    message.xid = m_xid;
    int64_t elapsed = (now - m_started).ns / 1000000000;
    message.secs = static_cast<uint16_t>(elapsed > 65535 ? 65535 : elapsed);
    message.client_mac = m_interface.mac();
    message.request_parameters = true;
    uint8_t bytes[DHCP_MAX_EMIT_SIZE + 64];
    size_t n = emit_dhcp(message, bytes);
    // Errors (no memory) are like a lost packet: the retry timer covers them.
    (void)m_socket->send_to(now, { bytes, n }, Endpoint { Ipv4Address::broadcast(), DHCP_SERVER_PORT });
    ++m_transmissions;
}

void DhcpClient::schedule_retry(Instant now)
{
    // RFC 2131 4.1: exponential backoff with +-1 s of randomization.
    Duration delay = m_options.first_timeout;
    for (uint32_t i = 0; i < m_attempt && delay < m_options.max_timeout; ++i)
        delay = delay * 2;
    delay = shortest(delay, m_options.max_timeout);
    int64_t jitter_ms = static_cast<int64_t>(m_stack.random32() % 2001) - 1000;
    Duration jittered = delay + Duration::milliseconds(jitter_ms);
    if (jittered < delay / 2)
        jittered = delay / 2;
    m_retry_at = now + jittered;
    ++m_attempt;
}

void DhcpClient::send_discover(Instant now)
{
    if (m_state != DhcpState::Selecting) {
        m_state = DhcpState::Selecting;
        m_attempt = 0;
        m_xid = m_stack.random32();
    }
    DhcpMessage message;
    message.type = DhcpMessageType::Discover;
    transmit(now, message);
    schedule_retry(now);
}

void DhcpClient::send_request(Instant now)
{
    DhcpMessage message;
    message.type = DhcpMessageType::Request;
    if (m_state == DhcpState::Requesting) {
        // RFC 2131 4.3.2 SELECTING: requested address and server identifier, no ciaddr.
        message.requested_address = m_offered;
        message.server_identifier = m_server;
    } else {
        // RENEWING / REBINDING: ciaddr, and neither option.
        message.client_address = m_lease.address;
    }
    transmit(now, message);
    schedule_retry(now);
}

void DhcpClient::lose_lease(Instant now)
{
    bool had = bound();
    if (had && m_options.configure_interface)
        m_stack.set_address(m_interface, {});
    m_renew_at = m_rebind_at = m_expire_at = Instant::never();
    m_state = DhcpState::Idle;
    if (had && m_options.lease_changed)
        m_options.lease_changed(m_options.context, nullptr);
    send_discover(now);
}

void DhcpClient::handle(Instant now, const DhcpMessage& m)
{
    if (m.op != 2 || m.xid != m_xid || !(m.client_mac == m_interface.mac()))
        return;
    switch (m.type) {
    case DhcpMessageType::Offer:
        if (m_state != DhcpState::Selecting || m.your_address.is_any() || m.your_address.is_broadcast())
            return;
        m_offered = m.your_address;
        m_server = m.server_identifier.is_any() ? m.server_address : m.server_identifier;
        m_state = DhcpState::Requesting;
        m_attempt = 0;
        send_request(now);
        return;
    case DhcpMessageType::Ack: {
        if (m_state != DhcpState::Requesting && m_state != DhcpState::Renewing && m_state != DhcpState::Rebinding)
            return;
        if (m.your_address.is_any())
            return;
        DhcpLease lease;
        lease.address = m.your_address;
        // Without option 1, assume the classful mask (RFC 2131 leaves it to the client).
        uint8_t first = m.your_address.octet(0);
        lease.netmask = !m.subnet_mask.is_any() ? m.subnet_mask
            : first < 128                       ? Ipv4Address(255, 0, 0, 0)
            : first < 192                       ? Ipv4Address(255, 255, 0, 0)
                                                : Ipv4Address(255, 255, 255, 0);
        lease.gateway = m.router;
        lease.server = m.server_identifier.is_any() ? m_server : m.server_identifier;
        lease.dns_count = m.dns_count;
        for (size_t i = 0; i < m.dns_count; ++i)
            lease.dns[i] = m.dns[i];
        uint32_t seconds = m.lease_seconds ? m.lease_seconds : 0xffffffffu;
        lease.lease_time = Duration::seconds(seconds);
        lease.acquired = now;
        m_lease = lease;
        m_state = DhcpState::Bound;
        m_retry_at = Instant::never();
        m_attempt = 0;
        if (seconds == 0xffffffffu) {
            m_renew_at = m_rebind_at = m_expire_at = Instant::never();
        } else {
            // RFC 2131 4.4.5: T1 = 0.5 lease, T2 = 0.875 lease unless the server says.
            uint32_t t1 = m.renewal_seconds ? m.renewal_seconds : seconds / 2;
            uint32_t t2 = m.rebinding_seconds ? m.rebinding_seconds : static_cast<uint32_t>(seconds / 8 * 7);
            m_renew_at = now + Duration::seconds(t1);
            m_rebind_at = now + Duration::seconds(t2);
            m_expire_at = now + Duration::seconds(seconds);
        }
        if (m_options.configure_interface)
            m_stack.set_address(m_interface, { lease.address, lease.netmask, lease.gateway });
        if (m_options.lease_changed)
            m_options.lease_changed(m_options.context, &m_lease);
        return;
    }
    case DhcpMessageType::Nak:
        if (m_state == DhcpState::Requesting) {
            m_state = DhcpState::Idle;
            send_discover(now);
        } else if (m_state == DhcpState::Renewing || m_state == DhcpState::Rebinding) {
            lose_lease(now);
        }
        return;
    default:
        return;
    }
}

void DhcpClient::poll(Instant now)
{
    if (!m_socket)
        return;
    uint8_t buffer[1500];
    for (;;) {
        auto received = m_socket->receive_from(buffer);
        if (!received)
            break;
        if (received->from.port != DHCP_SERVER_PORT)
            continue;
        auto message = parse_dhcp({ buffer, received->size });
        if (message)
            handle(now, *message);
    }
    if (m_expire_at <= now) {
        lose_lease(now);
        return;
    }
    if (m_state == DhcpState::Bound && m_renew_at <= now) {
        m_state = DhcpState::Renewing;
        m_attempt = 0;
        m_xid = m_stack.random32();
        send_request(now);
        return;
    }
    if (m_state == DhcpState::Renewing && m_rebind_at <= now) {
        m_state = DhcpState::Rebinding;
        m_attempt = 0;
        send_request(now);
        return;
    }
    if (m_retry_at > now)
        return;
    switch (m_state) {
    case DhcpState::Selecting:
        send_discover(now);
        break;
    case DhcpState::Requesting:
        if (m_attempt >= m_options.request_attempts) {
            m_state = DhcpState::Idle;
            send_discover(now);
        } else {
            send_request(now);
        }
        break;
    case DhcpState::Renewing:
    case DhcpState::Rebinding:
        send_request(now);
        break;
    default:
        m_retry_at = Instant::never();
        break;
    }
}

Instant DhcpClient::poll_at() const
{
    if (m_socket && (m_socket->events() & socket_events::IN))
        return Instant {};
    Instant at = earliest(m_retry_at, m_expire_at);
    if (m_state == DhcpState::Bound)
        at = earliest(at, m_renew_at);
    if (m_state == DhcpState::Renewing)
        at = earliest(at, m_rebind_at);
    return at;
}

} // namespace kiln::net
