// TCP timers (retransmission, persist, delayed ACK, keepalive, TIME_WAIT) and the
// state transitions they share with input.

#include "net/stack.h"
#include "net/tcp/tcp_socket.h"

namespace kiln::net {

using namespace tcp_flags;

Instant TcpSocket::poll_at() const
{
    Instant at = earliest(m_retransmit_at, m_persist_at);
    at = earliest(at, m_delayed_ack_at);
    at = earliest(at, m_keepalive_at);
    return earliest(at, m_close_at);
}

void TcpSocket::on_timer(Instant now)
{
    if (m_close_at <= now) {
        m_close_at = Instant::never();
        enter_closed(static_cast<Errno>(0));
        notify(true);
        return;
    }
    if (m_retransmit_at <= now)
        on_retransmit_timeout(now);
    if (m_state == TcpState::Closed) {
        notify(true);
        return;
    }
    if (m_persist_at <= now)
        on_persist_timeout(now);
    if (m_delayed_ack_at <= now) {
        m_delayed_ack_at = Instant::never();
        m_ack_now = true;
    }
    if (m_keepalive_at <= now)
        on_keepalive_timeout(now);
    if (m_state != TcpState::Closed)
        output(now);
    notify(false);
}

void TcpSocket::on_retransmit_timeout(Instant now)
{
    m_retransmit_at = Instant::never();
    const TcpConfig& config = m_stack.m_config.tcp;
    bool handshake = m_state == TcpState::SynSent || m_state == TcpState::SynReceived;
    if (!handshake && m_snd_max == m_snd_una)
        return;
    ++m_retries;
    uint32_t limit = m_state == TcpState::SynSent ? config.syn_retries
        : m_state == TcpState::SynReceived       ? config.synack_retries
                                                 : config.max_retransmits;
    if (m_retries > limit) {
        // A half-open child just disappears (Linux drops it from the SYN queue);
        // everyone else reports ETIMEDOUT.
        enter_closed(m_parent ? static_cast<Errno>(0) : Errno::TIMEDOUT);
        return;
    }
    // RFC 6298 5.5 and 5.6: back off and retransmit the earliest unacknowledged segment.
    m_rto = shortest(m_rto * 2, config.rto_max);
    m_rtt_active = false; // Karn
    if (handshake) {
        ++m_stack.m_stats.tcp_retransmits;
        send_syn(now);
        return;
    }
    // RFC 5681 3.1 eqn. 4 and "loss window": ssthresh = max(FlightSize / 2, 2 SMSS),
    // cwnd = 1 SMSS; RFC 6582 4: recover = highest sequence sent.
    uint32_t flight = flight_size();
    m_ssthresh = flight / 2 > 2u * m_mss ? flight / 2 : 2u * m_mss;
    m_cwnd = m_mss;
    m_cwnd_bytes_acked = 0;
    m_in_recovery = false;
    m_dupacks = 0;
    m_recover = m_snd_max;
    m_snd_nxt = m_snd_una; // go back: resend from the first unacknowledged byte
    if (m_snd_wnd == 0) {
        // The peer closed its window with data outstanding: probe instead.
        m_persist_at = now;
        return;
    }
    send_data_segment(now, true);
    if (m_retransmit_at.is_never())
        arm_retransmit(now);
}

// RFC 9293 3.8.6.1: probe a zero window with one byte beyond it; the answering ACK
// keeps us alive (and reopens the window when the peer has room). Also ends a sender
// SWS-avoidance wait with nothing in flight by sending what the window allows.
void TcpSocket::on_persist_timeout(Instant now)
{
    m_persist_at = Instant::never();
    if (++m_retries > m_stack.m_config.tcp.max_retransmits) {
        enter_closed(Errno::TIMEDOUT);
        return;
    }
    size_t offset = static_cast<uint32_t>(m_snd_nxt - m_snd_una);
    if (offset >= m_send.size())
        return;
    if (m_snd_wnd == 0) {
        transmit(now, m_snd_nxt, ACK, m_send.view(offset, 1));
        m_snd_max = seq_max(m_snd_max, m_snd_nxt + 1);
        ++m_persist_backoff;
        Duration delay = m_rto;
        for (uint32_t i = 0; i < m_persist_backoff && delay < m_stack.m_config.tcp.persist_max; ++i)
            delay = delay * 2;
        m_persist_at = now + shortest(delay, m_stack.m_config.tcp.persist_max);
        return;
    }
    send_data_segment(now, true);
}

// RFC 9293 3.8.4 (RFC 1122 4.2.3.6): after keepalive_idle without anything received,
// send <SEQ=SND.UNA-1><ACK=RCV.NXT> every interval; `probes` unanswered ones end the
// connection with ETIMEDOUT (and a RST, as Linux sends).
void TcpSocket::on_keepalive_timeout(Instant now)
{
    m_keepalive_at = Instant::never();
    if (!m_keepalive || (m_state != TcpState::Established && m_state != TcpState::CloseWait))
        return;
    if (m_snd_max != m_snd_una) {
        // Data in flight: the retransmission timer watches the peer.
        m_keepalive_at = now + m_keepalive_parameters.interval;
        return;
    }
    if (m_keepalive_probes_sent >= m_keepalive_parameters.probes) {
        send_reset(now);
        enter_closed(Errno::TIMEDOUT);
        return;
    }
    transmit(now, m_snd_una - 1, ACK, {});
    ++m_keepalive_probes_sent;
    m_keepalive_at = now + m_keepalive_parameters.interval;
}

void TcpSocket::restart_keepalive(Instant now)
{
    m_keepalive_probes_sent = 0;
    if (m_keepalive && (m_state == TcpState::Established || m_state == TcpState::CloseWait))
        m_keepalive_at = now + m_keepalive_parameters.idle;
    else
        m_keepalive_at = Instant::never();
}

void TcpSocket::schedule_delayed_ack(Instant now, size_t bytes)
{
    // RFC 9293 3.8.6.3 / RFC 5681 4.2: ACK at least every second full-sized segment,
    // and never later than the delayed-ACK timeout.
    if (bytes > m_largest_segment)
        m_largest_segment = bytes < m_advertised_mss ? bytes : m_advertised_mss;
    m_unacked_bytes += bytes;
    if (m_unacked_bytes >= 2 * m_largest_segment)
        m_ack_now = true;
    else if (m_delayed_ack_at.is_never())
        m_delayed_ack_at = now + m_stack.m_config.tcp.delayed_ack;
}

void TcpSocket::enter_established(Instant now)
{
    m_state = TcpState::Established;
    // RFC 6928: IW = min(10 MSS, max(2 MSS, 14600)).
    uint32_t iw = 10u * m_mss;
    uint32_t cap = 2u * m_mss > 14600 ? 2u * m_mss : 14600;
    m_cwnd = iw < cap ? iw : cap;
    m_ssthresh = 0x7fffffff;
    m_recover = m_snd_una;
    restart_keepalive(now);
    if (m_parent) {
        TcpSocket* listener = m_parent;
        --listener->m_syn_count;
        m_in_accept_queue = true;
        m_accept_next = nullptr;
        if (listener->m_accept_tail)
            listener->m_accept_tail->m_accept_next = this;
        else
            listener->m_accept_head = this;
        listener->m_accept_tail = this;
        ++listener->m_accept_count;
        listener->notify(true);
    }
    notify(true);
}

void TcpSocket::enter_time_wait(Instant now)
{
    m_state = TcpState::TimeWait;
    m_retransmit_at = m_persist_at = m_keepalive_at = m_delayed_ack_at = Instant::never();
    m_close_at = now + m_stack.m_config.tcp.msl * 2;
    if (m_send.allocated()) {
        m_stack.release_buffer(m_send.capacity());
        m_send.release();
    }
    if (!m_user_owned && m_receive.allocated()) {
        m_stack.release_buffer(m_receive.capacity());
        m_receive.release();
    }
    m_done = true;
    notify(true);
}

void TcpSocket::enter_closed(Errno error)
{
    m_state = TcpState::Closed;
    m_done = true;
    if (static_cast<int>(error) != 0) {
        m_error = static_cast<int>(error);
        // After a reset or timeout unread data is gone (Linux purges the queue).
        if (m_receive.allocated()) {
            m_stack.release_buffer(m_receive.capacity());
            m_receive.release();
        }
    }
    m_retransmit_at = m_persist_at = m_keepalive_at = m_delayed_ack_at = m_close_at = Instant::never();
    if (m_send.allocated()) {
        m_stack.release_buffer(m_send.capacity());
        m_send.release();
    }
    m_out_of_order_count = 0;
    detach_from_listener();
    m_stack.tcp_hash_remove(*this);
}

void TcpSocket::notify(bool wake)
{
    uint32_t mask = events();
    if ((wake || mask != m_last_events) && m_observer.changed)
        m_observer.changed(m_observer.context, mask);
    m_last_events = mask;
}

} // namespace kiln::net
