// What a TCP connection sends: data segments (with Nagle and SWS avoidance), SYNs,
// ACKs, RSTs, retransmissions, and the window it advertises.

#include "net/stack.h"
#include "net/tcp/tcp_socket.h"

namespace kiln::net {

using namespace tcp_flags;

uint16_t TcpSocket::window_to_advertise(bool syn)
{
    size_t free = receive_free();
    if (syn) {
        // RFC 7323 2.2: the window in a SYN is never scaled.
        uint32_t window = free < 65535 ? static_cast<uint32_t>(free) : 65535;
        m_rcv_adv = m_rcv_nxt + window;
        return static_cast<uint16_t>(window);
    }
    uint64_t max_window = static_cast<uint64_t>(65535) << m_rcv_wscale;
    uint64_t available = free < max_window ? free : max_window;
    uint32_t fresh = static_cast<uint32_t>((available >> m_rcv_wscale) << m_rcv_wscale);
    int32_t previous = m_rcv_adv - m_rcv_nxt;
    uint32_t old_window = previous > 0 ? static_cast<uint32_t>(previous) : 0;
    // RFC 9293 3.8.6.2.2 (receiver SWS avoidance): move the right edge only by at least
    // min(buffer / 2, MSS); never move it left (3.8.6.2.2 and RFC 7323 2.4).
    size_t threshold = m_receive_capacity / 2 < m_advertised_mss ? m_receive_capacity / 2 : m_advertised_mss;
    uint32_t window = fresh;
    if (fresh < old_window + threshold)
        window = old_window;
    uint32_t field = window >> m_rcv_wscale;
    if (field > 65535)
        field = 65535;
    SeqNumber edge = m_rcv_nxt + (field << m_rcv_wscale);
    m_rcv_adv = seq_max(m_rcv_adv, edge);
    return static_cast<uint16_t>(field);
}

void TcpSocket::transmit(Instant now, SeqNumber seq, uint8_t flags, ByteSpans data)
{
    TcpSegment s;
    s.source_port = m_local.port;
    s.destination_port = m_remote.port;
    s.seq = seq;
    s.flags = flags;
    if (flags & ACK)
        s.ack = m_rcv_nxt;
    bool syn = (flags & SYN) != 0;
    if (!(flags & RST))
        s.window = window_to_advertise(syn);
    if (syn) {
        // RFC 9293 3.7.1: MSS in the SYN; RFC 7323 2.2: window scale offered in the
        // SYN, and in the SYN-ACK only if the SYN carried it.
        s.options.mss = m_advertised_mss;
        if (m_window_scaling)
            s.options.window_scale = static_cast<int8_t>(m_rcv_wscale);
    }
    m_stack.tcp_emit(*this, s, data);
    if (flags & ACK) {
        m_ack_now = false;
        m_delayed_ack_at = Instant::never();
        m_unacked_bytes = 0;
    }
}

void TcpSocket::arm_retransmit(Instant now) { m_retransmit_at = now + m_rto; }

void TcpSocket::send_syn(Instant now)
{
    uint8_t flags = m_state == TcpState::SynReceived ? (SYN | ACK) : SYN;
    bool first = m_snd_max == m_iss;
    transmit(now, m_iss, flags, {});
    m_snd_nxt = m_iss + 1;
    m_snd_max = seq_max(m_snd_max, m_snd_nxt);
    if (first) {
        m_rtt_active = true;
        m_rtt_seq = m_iss;
        m_rtt_start = now;
    }
    if (m_retransmit_at.is_never())
        arm_retransmit(now);
}

// Pure ACKs and RSTs carry the highest sequence number sent (Linux's snd_nxt), not our
// snd_nxt, which a timeout rewinds: the peer may already hold data up to SND.MAX, and
// an ACK below its RCV.NXT fails the acceptability test (RFC 9293 3.10.7.4), so two
// stacks recovering from loss at once would ignore each other's ACKs for good.
void TcpSocket::send_ack(Instant now) { transmit(now, m_snd_max, ACK, {}); }

// RFC 5961 3.2 / 4.2: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> (SND.NXT as above). FIXME: no rate limit
// (section 7 suggests one per stack).
void TcpSocket::send_challenge_ack(Instant now) { send_ack(now); }

void TcpSocket::send_reset(Instant now) { transmit(now, m_snd_max, RST | ACK, {}); }

bool TcpSocket::send_data_segment(Instant now, bool force)
{
    switch (m_state) {
    case TcpState::Established:
    case TcpState::CloseWait:
    case TcpState::FinWait1:
    case TcpState::Closing:
    case TcpState::LastAck:
        break;
    default:
        return false;
    }
    if (!syn_acked())
        return false;
    size_t offset = static_cast<uint32_t>(m_snd_nxt - m_snd_una);
    size_t buffered = m_send.size();
    if (offset > buffered)
        return false; // only the FIN is beyond, and it was sent
    size_t available = buffered - offset;
    uint32_t window = m_snd_wnd < m_cwnd ? m_snd_wnd : m_cwnd;
    size_t usable = window > offset ? window - offset : 0;
    size_t length = available;
    if (length > usable)
        length = usable;
    if (length > m_mss)
        length = m_mss;
    // The FIN goes with the last data (or alone); it does not wait for window space.
    bool fin = m_fin_queued && length == available;
    if (length == 0 && !fin)
        return false;
    if (length < m_mss && !fin && !force) {
        bool retransmission = m_snd_nxt < m_snd_max;
        bool outstanding = m_snd_max != m_snd_una;
        // Nagle as Minshall refined it (RFC 9293 3.7.4 mentions the variant): hold a
        // short segment only while an earlier short one is unacknowledged, so the tail
        // of a large write is not held back for a delayed ACK.
        bool short_outstanding = m_snd_una < m_short_end;
        bool all_data = length == available;
        // RFC 9293 3.8.6.2.1 (sender SWS avoidance): a window-limited short segment only
        // when nothing is in flight and it is at least half the largest window seen.
        bool ok = retransmission || (all_data && (m_nodelay || !short_outstanding))
            || (!outstanding && length >= m_max_snd_wnd / 2);
        if (!ok)
            return false;
    }
    uint8_t flags = ACK;
    if (length && length == available)
        flags |= PSH;
    if (fin)
        flags |= FIN;
    bool new_data = m_snd_nxt == m_snd_max;
    if (!new_data)
        ++m_stack.m_stats.tcp_retransmits;
    transmit(now, m_snd_nxt, flags, m_send.view(offset, length));
    if (new_data && length && !m_rtt_active) {
        m_rtt_active = true;
        m_rtt_seq = m_snd_nxt;
        m_rtt_start = now;
    }
    m_snd_nxt += static_cast<uint32_t>(length) + (fin ? 1 : 0);
    m_snd_max = seq_max(m_snd_max, m_snd_nxt);
    if (length < m_mss)
        m_short_end = seq_max(m_short_end, m_snd_nxt);
    if (fin) {
        if (m_state == TcpState::Established)
            m_state = TcpState::FinWait1;
        else if (m_state == TcpState::CloseWait)
            m_state = TcpState::LastAck;
    }
    if (m_retransmit_at.is_never())
        arm_retransmit(now);
    m_persist_at = Instant::never();
    return !fin;
}

// Fast retransmit and NewReno partial ACKs: the first unacknowledged segment again.
void TcpSocket::retransmit_first(Instant now)
{
    size_t length = m_send.size() < m_mss ? m_send.size() : m_mss;
    bool fin = m_fin_queued && length == m_send.size() && m_snd_max == m_snd_una + static_cast<uint32_t>(length) + 1;
    if (length == 0 && !fin)
        return;
    ++m_stack.m_stats.tcp_retransmits;
    transmit(now, m_snd_una, ACK | (fin ? FIN : 0), m_send.view(0, length));
    m_rtt_active = false; // Karn's algorithm: no sample from retransmitted data
}

void TcpSocket::output(Instant now)
{
    switch (m_state) {
    case TcpState::Closed:
    case TcpState::Listen:
    case TcpState::SynSent:
        return;
    case TcpState::SynReceived:
    case TcpState::TimeWait:
        if (m_ack_now)
            send_ack(now);
        return;
    default:
        break;
    }
    // Bounded by the window and the buffer; the count is a guard, not a policy.
    for (int i = 0; i < 4096 && send_data_segment(now, false); ++i) {
    }
    if (m_ack_now)
        send_ack(now);
    // Data waits but nothing is in flight to bring an ACK: the persist timer (RFC 9293
    // 3.8.6.1) probes a zero window and also ends a sender-SWS wait.
    size_t offset = static_cast<uint32_t>(m_snd_nxt - m_snd_una);
    bool waiting = syn_acked() && offset < m_send.size();
    if (waiting && m_snd_max == m_snd_una && m_retransmit_at.is_never() && m_persist_at.is_never()) {
        Duration delay = m_rto;
        for (uint32_t i = 0; i < m_persist_backoff && delay < m_stack.m_config.tcp.persist_max; ++i)
            delay = delay * 2;
        m_persist_at = now + shortest(delay, m_stack.m_config.tcp.persist_max);
    }
}

} // namespace kiln::net
