// The TCP socket API the Linux socket layer calls, and the socket's life cycle.

#include "net/tcp/tcp_socket.h"

#include "net/stack.h"

namespace kiln::net {

using namespace tcp_flags;

const char* tcp_state_name(TcpState state)
{
    switch (state) {
    case TcpState::Closed:
        return "CLOSED";
    case TcpState::Listen:
        return "LISTEN";
    case TcpState::SynSent:
        return "SYN-SENT";
    case TcpState::SynReceived:
        return "SYN-RECEIVED";
    case TcpState::Established:
        return "ESTABLISHED";
    case TcpState::FinWait1:
        return "FIN-WAIT-1";
    case TcpState::FinWait2:
        return "FIN-WAIT-2";
    case TcpState::CloseWait:
        return "CLOSE-WAIT";
    case TcpState::Closing:
        return "CLOSING";
    case TcpState::LastAck:
        return "LAST-ACK";
    case TcpState::TimeWait:
        return "TIME-WAIT";
    }
    return "?";
}

TcpSocket::TcpSocket(Stack& stack)
    : m_stack(stack)
{
    const TcpConfig& config = stack.m_config.tcp;
    m_receive_capacity = config.receive_buffer;
    m_send_capacity = config.send_buffer;
    m_rto = config.rto_initial;
    m_keepalive_parameters = { config.keepalive_idle, config.keepalive_interval, config.keepalive_probes };
}

TcpSocket::~TcpSocket() { release_buffers(); }

void TcpSocket::release_buffers()
{
    if (m_send.allocated()) {
        m_stack.release_buffer(m_send.capacity());
        m_send.release();
    }
    if (m_receive.allocated()) {
        m_stack.release_buffer(m_receive.capacity());
        m_receive.release();
    }
}

bool TcpSocket::ensure_receive_buffer()
{
    if (m_receive.allocated())
        return true;
    if (!m_stack.reserve_buffer(m_receive_capacity))
        return false;
    if (!m_receive.allocate(m_receive_capacity)) {
        m_stack.release_buffer(m_receive_capacity);
        return false;
    }
    return true;
}

bool TcpSocket::ensure_send_buffer()
{
    if (m_send.allocated())
        return true;
    if (!m_stack.reserve_buffer(m_send_capacity))
        return false;
    if (!m_send.allocate(m_send_capacity)) {
        m_stack.release_buffer(m_send_capacity);
        return false;
    }
    return true;
}

bool TcpSocket::synchronized() const
{
    switch (m_state) {
    case TcpState::Closed:
    case TcpState::Listen:
    case TcpState::SynSent:
        return false;
    default:
        return true;
    }
}

void TcpSocket::detach_from_listener()
{
    if (m_parent && !m_in_accept_queue) {
        --m_parent->m_syn_count;
        m_parent = nullptr;
    }
}

Result<void> TcpSocket::bind(Endpoint local)
{
    if (m_bound || m_state != TcpState::Closed)
        return Errno::INVAL;
    if (!local.address.is_any() && !m_stack.is_local_address(local.address))
        return Errno::ADDRNOTAVAIL;
    if (local.port == 0) {
        TRY(local.port, m_stack.tcp_ephemeral_port(local.address, Ipv4Address::any(), 0));
    } else if (m_stack.tcp_port_in_use(local.port, local.address, this, m_reuse_address)) {
        return Errno::ADDRINUSE;
    }
    m_local = local;
    m_bound = true;
    return {};
}

Result<void> TcpSocket::listen(uint32_t backlog)
{
    uint32_t limit = m_stack.m_config.tcp.max_accept_backlog;
    backlog = backlog > limit ? limit : backlog;
    if (m_state == TcpState::Listen) {
        m_backlog = backlog;
        return {};
    }
    if (m_state != TcpState::Closed || m_done)
        return Errno::INVAL;
    if (!m_bound)
        TRY_VOID(bind({ Ipv4Address::any(), 0 }));
    m_backlog = backlog;
    m_state = TcpState::Listen;
    return {};
}

Result<TcpSocket*> TcpSocket::accept()
{
    if (m_state != TcpState::Listen)
        return Errno::INVAL;
    TcpSocket* child = m_accept_head;
    if (!child)
        return Errno::AGAIN;
    m_accept_head = child->m_accept_next;
    if (!m_accept_head)
        m_accept_tail = nullptr;
    --m_accept_count;
    child->m_accept_next = nullptr;
    child->m_in_accept_queue = false;
    child->m_parent = nullptr;
    child->m_user_owned = true;
    m_last_events = events();
    return child;
}

Result<void> TcpSocket::connect(Instant now, Endpoint remote)
{
    Stack::Entry entry(m_stack, now);
    switch (m_state) {
    case TcpState::SynSent:
    case TcpState::SynReceived:
        return Errno::ALREADY;
    case TcpState::Listen:
        return Errno::INVAL;
    case TcpState::Closed:
        break;
    default:
        return Errno::ISCONN;
    }
    if (m_done)
        return Errno::ISCONN; // a finished connection is not reused (Linux: EISCONN until reset)
    if (remote.port == 0)
        return Errno::CONNREFUSED;
    if (remote.address.is_any())
        remote.address = Ipv4Address::loopback(); // Linux: INADDR_ANY means this host
    if (remote.address.is_broadcast() || remote.address.is_multicast())
        return Errno::NETUNREACH;
    TRY(Route r, m_stack.route(remote.address));
    Ipv4Address local_address = m_local.address.is_any() ? r.source : m_local.address;
    uint16_t port = m_local.port;
    if (!m_bound) {
        TRY(port, m_stack.tcp_ephemeral_port(local_address, remote.address, remote.port));
    } else if (m_stack.tcp_lookup(local_address, port, remote.address, remote.port)) {
        return Errno::ADDRNOTAVAIL;
    }
    m_local = { local_address, port };
    m_bound = true;
    m_remote = remote;
    m_active_open = true;
    m_advertised_mss = static_cast<uint16_t>(r.interface->mtu() - IPV4_HEADER_SIZE - TCP_HEADER_SIZE);
    m_mss = m_advertised_mss < 536 ? m_advertised_mss : 536;
    m_window_scaling = true;
    m_rcv_wscale = 0;
    while (m_rcv_wscale < 14 && (m_receive_capacity >> m_rcv_wscale) > 65535)
        ++m_rcv_wscale;
    // RFC 9293 3.4.1 / RFC 6528: an unpredictable initial sequence number.
    m_iss = SeqNumber(m_stack.random32());
    m_snd_una = m_snd_nxt = m_snd_max = m_recover = m_short_end = m_iss;
    m_state = TcpState::SynSent;
    m_stack.tcp_hash_insert(*this);
    send_syn(now);
    m_last_events = events();
    return {};
}

Result<size_t> TcpSocket::send(Instant now, std::span<const uint8_t> data)
{
    Stack::Entry entry(m_stack, now);
    if (m_error)
        return static_cast<Errno>(take_error());
    switch (m_state) {
    case TcpState::Established:
    case TcpState::CloseWait:
        break;
    case TcpState::SynSent:
    case TcpState::SynReceived:
        return Errno::AGAIN;
    case TcpState::Closed:
    case TcpState::Listen:
        return m_done ? Errno::PIPE : Errno::NOTCONN;
    default:
        return Errno::PIPE;
    }
    if (m_fin_queued)
        return Errno::PIPE;
    if (data.empty())
        return static_cast<size_t>(0);
    if (!ensure_send_buffer())
        return Errno::NOBUFS;
    size_t n = m_send.write(data);
    if (n == 0)
        return Errno::AGAIN;
    output(now);
    m_last_events = events();
    return n;
}

Result<size_t> TcpSocket::receive(Instant now, std::span<uint8_t> out, bool peek)
{
    Stack::Entry entry(m_stack, now);
    if (m_state == TcpState::Listen)
        return Errno::NOTCONN;
    if (!m_receive.empty() && !m_shut_read) {
        size_t n = peek ? m_receive.peek(0, out) : m_receive.read(out);
        if (!peek && n) {
            // Tell the peer about the space once it is worth a segment (RFC 9293
            // 3.8.6.2.2), so a zero window reopens without waiting for its probe.
            int32_t advertised = m_rcv_adv - m_rcv_nxt;
            size_t open = advertised > 0 ? static_cast<size_t>(advertised) : 0;
            size_t threshold = m_receive_capacity / 2 < m_advertised_mss ? m_receive_capacity / 2 : m_advertised_mss;
            bool receiving = m_state == TcpState::Established || m_state == TcpState::FinWait1
                || m_state == TcpState::FinWait2;
            if (receiving && receive_free() >= open + threshold) {
                m_ack_now = true;
                output(now);
            }
        }
        m_last_events = events();
        return n;
    }
    if (m_error)
        return static_cast<Errno>(take_error());
    if (m_fin_received || m_shut_read || m_done)
        return static_cast<size_t>(0);
    if (m_state == TcpState::Closed)
        return Errno::NOTCONN;
    return Errno::AGAIN;
}

Result<void> TcpSocket::shutdown(Instant now, Shutdown how)
{
    Stack::Entry entry(m_stack, now);
    switch (m_state) {
    case TcpState::Closed:
        return Errno::NOTCONN;
    case TcpState::Listen:
        abort_children(now);
        m_state = TcpState::Closed;
        notify(true);
        return {};
    case TcpState::SynSent:
        enter_closed(static_cast<Errno>(0));
        notify(true);
        return {};
    default:
        break;
    }
    if (how != Shutdown::Write)
        m_shut_read = true;
    if (how != Shutdown::Read && !m_fin_queued) {
        m_fin_queued = true;
        output(now);
    }
    notify(true);
    return {};
}

void TcpSocket::abort_children(Instant now)
{
    for (TcpSocket* s = m_stack.m_tcp_all; s; s = s->m_all_next) {
        if (s->m_parent != this)
            continue;
        if (s->synchronized())
            s->send_reset(now);
        s->m_in_accept_queue = false;
        s->m_accept_next = nullptr;
        s->m_parent = nullptr;
        s->enter_closed(static_cast<Errno>(0));
    }
    m_accept_head = m_accept_tail = nullptr;
    m_accept_count = 0;
    m_syn_count = 0;
}

void TcpSocket::start_close(Instant now)
{
    if (!m_fin_queued) {
        m_fin_queued = true;
        output(now);
    }
    if (m_state == TcpState::FinWait2)
        m_close_at = now + m_stack.m_config.tcp.fin_wait2_timeout;
}

void TcpSocket::close(Instant now)
{
    Stack::Entry entry(m_stack, now);
    m_user_owned = false;
    m_observer = {};
    switch (m_state) {
    case TcpState::Listen:
        abort_children(now);
        m_state = TcpState::Closed;
        return;
    case TcpState::Closed:
        return;
    case TcpState::SynSent:
        enter_closed(static_cast<Errno>(0));
        return;
    case TcpState::TimeWait:
        return;
    default:
        break;
    }
    if (!m_receive.empty() && !m_fin_queued) {
        // RFC 2525 2.17 / RFC 9293 3.10.4: closing with unread data resets, so the peer
        // learns the data was lost.
        send_reset(now);
        enter_closed(static_cast<Errno>(0));
        return;
    }
    start_close(now);
}

void TcpSocket::abort(Instant now)
{
    Stack::Entry entry(m_stack, now);
    m_user_owned = false;
    m_observer = {};
    if (m_state == TcpState::Listen) {
        abort_children(now);
        m_state = TcpState::Closed;
        return;
    }
    if (synchronized() && m_state != TcpState::TimeWait)
        send_reset(now);
    enter_closed(static_cast<Errno>(0));
}

int TcpSocket::take_error()
{
    int e = m_error;
    m_error = 0;
    return e;
}

Result<Endpoint> TcpSocket::remote_endpoint() const
{
    switch (m_state) {
    case TcpState::Closed:
    case TcpState::Listen:
    case TcpState::SynSent:
        return Errno::NOTCONN;
    default:
        return m_remote;
    }
}

size_t TcpSocket::bytes_unsent() const { return m_send.size(); }

uint32_t TcpSocket::events() const
{
    using namespace socket_events;
    if (m_state == TcpState::Listen)
        return m_accept_count ? IN : 0;
    // Linux tcp_poll(): HUP when both directions are shut or the socket is closed; IN and
    // RDHUP once the peer's FIN arrived; OUT while send space exceeds a third.
    bool read_shut = m_fin_received || m_shut_read || m_done;
    bool write_shut = m_fin_queued || m_done;
    uint32_t mask = 0;
    if ((read_shut && write_shut) || m_state == TcpState::Closed)
        mask |= HUP;
    if (read_shut)
        mask |= IN | RDHUP;
    if (m_state != TcpState::SynSent && m_state != TcpState::SynReceived) {
        if (!m_receive.empty())
            mask |= IN;
        if (!write_shut) {
            size_t used = m_send.size();
            size_t free = m_send_capacity > used ? m_send_capacity - used : 0;
            if (free >= used / 2 && free > 0)
                mask |= OUT;
        } else {
            mask |= OUT;
        }
    }
    if (m_error)
        mask |= ERR;
    return mask;
}

void TcpSocket::set_nodelay(Instant now, bool on)
{
    Stack::Entry entry(m_stack, now);
    m_nodelay = on;
    if (on)
        output(now); // Linux pushes pending data when TCP_NODELAY is set
}

void TcpSocket::set_keepalive(Instant now, bool on)
{
    m_keepalive = on;
    restart_keepalive(now);
}

Result<void> TcpSocket::set_receive_buffer(size_t bytes)
{
    const TcpConfig& config = m_stack.m_config.tcp;
    bytes = bytes < config.min_buffer ? config.min_buffer : bytes > config.max_buffer ? config.max_buffer : bytes;
    if (m_state == TcpState::Closed && !m_done)
        m_receive_capacity = bytes;
    else if (m_state == TcpState::Listen)
        m_receive_capacity = bytes; // for connections accepted from now on
    return {};
}

Result<void> TcpSocket::set_send_buffer(size_t bytes)
{
    const TcpConfig& config = m_stack.m_config.tcp;
    bytes = bytes < config.min_buffer ? config.min_buffer : bytes > config.max_buffer ? config.max_buffer : bytes;
    if (!m_send.allocated())
        m_send_capacity = bytes;
    return {};
}

} // namespace kiln::net
