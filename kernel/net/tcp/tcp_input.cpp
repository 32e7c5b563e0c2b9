// Segment arrival, RFC 9293 section 3.10.7 ("Event Processing: SEGMENT ARRIVES"), step
// by step, with the RFC 5961 mitigations for blind RST, SYN and ACK injection.

#include "lib/kalloc.h"
#include "net/stack.h"
#include "net/tcp/tcp_socket.h"

namespace kiln::net {

using namespace tcp_flags;

namespace {

uint8_t window_scale_for(size_t buffer)
{
    uint8_t scale = 0;
    while (scale < 14 && (buffer >> scale) > 65535)
        ++scale;
    return scale;
}

} // namespace

// RFC 9293 3.7.1 (MSS) and RFC 7323 2.2-2.3 (window scale) from a SYN or SYN-ACK.
void TcpSocket::apply_syn_options(const TcpSegment& segment)
{
    auto r = m_stack.route(m_remote.address);
    uint16_t mtu = r ? r->interface->mtu() : ETHERNET_DEFAULT_MTU;
    m_advertised_mss = static_cast<uint16_t>(mtu - IPV4_HEADER_SIZE - TCP_HEADER_SIZE);
    uint16_t peer = segment.options.mss ? segment.options.mss : 536;
    // Linux's tcp_min_snd_mss: a tiny MSS would make us send a flood of tiny segments.
    if (peer < 48)
        peer = 48;
    m_mss = peer < m_advertised_mss ? peer : m_advertised_mss;
    if (segment.options.window_scale >= 0 && (m_window_scaling || !m_active_open)) {
        m_window_scaling = true;
        m_snd_wscale = static_cast<uint8_t>(segment.options.window_scale);
        m_rcv_wscale = window_scale_for(m_receive_capacity);
    } else {
        m_window_scaling = false;
        m_snd_wscale = 0;
        m_rcv_wscale = 0;
    }
}

// RFC 9293 3.10.7.2, LISTEN.
void TcpSocket::listen_input(Instant now, const Ipv4Header& ip, const TcpSegment& segment)
{
    if (segment.has(RST))
        return;
    if (segment.has(ACK)) {
        m_stack.tcp_reset_for(ip, segment);
        return;
    }
    if (!segment.has(SYN) || segment.has(FIN))
        return; // Linux drops SYN+FIN too
    // Bounded backlog: Linux drops the SYN when the accept queue is full
    // (sk_acceptq_is_full) or the SYN queue is; the peer retries.
    uint32_t syn_limit = m_stack.m_config.tcp.max_syn_backlog;
    if (m_accept_count > m_backlog || m_syn_count >= syn_limit
        || m_stack.m_tcp_count >= m_stack.m_config.tcp.max_sockets) {
        ++m_stack.m_stats.tcp_syn_dropped;
        return;
    }
    TcpSocket* child = make<TcpSocket>(m_stack);
    if (!child) {
        ++m_stack.m_stats.tcp_syn_dropped;
        return;
    }
    child->m_local = { ip.destination, m_local.port };
    child->m_remote = { ip.source, segment.source_port };
    child->m_bound = true;
    child->m_parent = this;
    child->m_nodelay = m_nodelay;
    child->m_keepalive = m_keepalive;
    child->m_keepalive_parameters = m_keepalive_parameters;
    child->m_receive_capacity = m_receive_capacity;
    child->m_send_capacity = m_send_capacity;
    ++m_syn_count;
    m_stack.tcp_link(*child);
    m_stack.tcp_hash_insert(*child);

    child->m_state = TcpState::SynReceived;
    child->m_irs = segment.seq;
    child->m_rcv_nxt = segment.seq + 1;
    child->m_rcv_adv = child->m_rcv_nxt;
    child->apply_syn_options(segment);
    child->m_snd_wnd = segment.window; // RFC 7323 2.2: not scaled in a SYN
    child->m_max_snd_wnd = segment.window;
    child->m_snd_wl1 = segment.seq;
    child->m_iss = SeqNumber(m_stack.random32()); // RFC 9293 3.4.1: unpredictable
    child->m_snd_una = child->m_snd_nxt = child->m_snd_max = child->m_snd_wl2 = child->m_iss;
    child->m_recover = child->m_short_end = child->m_iss;
    child->m_last_received = now;
    child->send_syn(now);
}

// RFC 9293 3.10.7.3, SYN-SENT.
void TcpSocket::syn_sent_input(Instant now, const TcpSegment& segment)
{
    bool has_ack = segment.has(ACK);
    if (has_ack && (segment.ack <= m_iss || segment.ack > m_snd_max)) {
        if (!segment.has(RST))
            transmit(now, segment.ack, RST, {});
        return;
    }
    if (segment.has(RST)) {
        // RFC 5961 3.2 leaves SYN-SENT as RFC 793 had it: an RST that acknowledges
        // our SYN refuses the connection.
        if (has_ack) {
            enter_closed(Errno::CONNREFUSED);
            notify(true);
        }
        return;
    }
    if (!segment.has(SYN))
        return;
    m_irs = segment.seq;
    m_rcv_nxt = segment.seq + 1;
    m_rcv_adv = m_rcv_nxt;
    apply_syn_options(segment);
    m_snd_wnd = segment.window;
    m_max_snd_wnd = segment.window;
    m_snd_wl1 = segment.seq;
    m_snd_wl2 = segment.ack;
    m_last_received = now;
    if (has_ack) {
        m_snd_una = segment.ack;
        if (m_rtt_active) {
            update_rtt(now - m_rtt_start);
            m_rtt_active = false;
        }
        m_retransmit_at = Instant::never();
        m_retries = 0;
        enter_established(now);
        // Data or FIN in a SYN-ACK is not queued: the peer sends it again.
        m_ack_now = true;
        output(now);
        return;
    }
    // Simultaneous open (RFC 9293 figure 8): SYN-RECEIVED, and SYN-ACK with our ISS.
    m_state = TcpState::SynReceived;
    transmit(now, m_iss, SYN | ACK, {});
}

// RFC 9293 3.10.7.4 second check, with RFC 5961 3.2: only an RST at exactly RCV.NXT
// resets; one elsewhere in the window gets a challenge ACK; others are dropped.
bool TcpSocket::rst_input(Instant now, const TcpSegment& segment)
{
    size_t window = receive_free();
    int32_t offset = segment.seq - m_rcv_nxt;
    if (offset == 0) {
        Errno error = static_cast<Errno>(0);
        switch (m_state) {
        case TcpState::SynReceived:
            // From a passive open the child just goes away ("return to LISTEN").
            error = m_parent ? static_cast<Errno>(0) : Errno::CONNREFUSED;
            break;
        case TcpState::Established:
        case TcpState::FinWait1:
        case TcpState::FinWait2:
        case TcpState::CloseWait:
            error = Errno::CONNRESET;
            break;
        default: // CLOSING, LAST-ACK, TIME-WAIT (RFC 1337 hazard accepted, as Linux)
            break;
        }
        enter_closed(error);
        notify(true);
        return true;
    }
    if (offset > 0 && static_cast<size_t>(offset) < (window ? window : 1))
        send_challenge_ack(now);
    return false;
}

void TcpSocket::segment_arrives(Instant now, const TcpSegment& segment)
{
    if (m_state == TcpState::SynSent) {
        syn_sent_input(now, segment);
        return;
    }
    if (segment.has(RST)) {
        rst_input(now, segment);
        return;
    }
    if (m_state == TcpState::SynReceived && segment.has(SYN) && segment.seq == m_irs) {
        // A retransmitted SYN while our SYN-ACK is unacknowledged: answer with SYN-ACK.
        if (!segment.has(ACK)) {
            transmit(now, m_iss, SYN | ACK, {});
            return;
        }
        // Simultaneous open (RFC 9293 figure 8, line 5): the peer's SYN-ACK repeats the
        // SYN we have and acknowledges ours; take it as the ACK it carries.
        TcpSegment ack_only = segment;
        ack_only.flags = static_cast<uint8_t>(segment.flags & ~SYN);
        ack_only.seq = segment.seq + 1;
        segment_arrives(now, ack_only);
        return;
    }

    // First: sequence number (RFC 9293 3.10.7.4, the four acceptability cases).
    uint32_t length = segment.sequence_length();
    size_t free = receive_free();
    uint32_t window = free > 0x7fffffff ? 0x7fffffff : static_cast<uint32_t>(free);
    SeqNumber seq = segment.seq;
    auto in_window = [&](SeqNumber s) { return m_rcv_nxt <= s && s < m_rcv_nxt + window; };
    bool acceptable;
    if (length == 0)
        acceptable = window == 0 ? seq == m_rcv_nxt : in_window(seq);
    else
        acceptable = window != 0 && (in_window(seq) || in_window(seq + (length - 1)));
    bool ack_only = false;
    if (!acceptable) {
        // "Special allowance" for a zero window: still take the ACK of a segment at
        // RCV.NXT (a window probe from a peer that is also receiving).
        if (window == 0 && seq == m_rcv_nxt && segment.has(ACK)) {
            ack_only = true;
            m_ack_now = true; // the data is refused: tell the peer the window is still 0
        } else {
            if (m_state == TcpState::TimeWait && segment.has(FIN))
                m_close_at = now + m_stack.m_config.tcp.msl * 2; // RFC 9293 3.10.7.4 eighth
            send_ack(now);
            return;
        }
    }
    m_last_received = now;
    restart_keepalive(now);

    // Trim to the window: drop what we already have from the front and what does not
    // fit from the back (RFC 9293 3.10.7.4, "segments with higher beginning sequence
    // numbers ... may be held"; here trimmed).
    std::span<const uint8_t> payload = ack_only ? std::span<const uint8_t> {} : segment.payload;
    bool syn = segment.has(SYN);
    bool fin = segment.has(FIN) && !ack_only;
    if (seq < m_rcv_nxt) {
        uint32_t duplicate = static_cast<uint32_t>(m_rcv_nxt - seq);
        if (syn) {
            syn = false;
            --duplicate;
            seq += 1;
        }
        size_t cut = duplicate < payload.size() ? duplicate : payload.size();
        payload = payload.subspan(cut);
        seq += static_cast<uint32_t>(cut);
        if (duplicate > cut)
            fin = false; // the FIN was a duplicate too
    }
    if (payload.size() > window - static_cast<uint32_t>(seq - m_rcv_nxt)) {
        payload = payload.first(window - static_cast<uint32_t>(seq - m_rcv_nxt));
        fin = false;
    }

    // Fourth: SYN in a synchronized state (RFC 5961 4.2): challenge ACK, drop.
    if (syn) {
        send_challenge_ack(now);
        return;
    }
    // Fifth: ACK.
    if (!segment.has(ACK))
        return;
    if (!ack_input(now, segment))
        return;

    // Seventh: segment text.
    if (!payload.empty()) {
        switch (m_state) {
        case TcpState::Established:
        case TcpState::FinWait1:
        case TcpState::FinWait2:
            if (!m_user_owned && !m_parent && !m_in_accept_queue) {
                // Data for a socket nobody can read any more: Linux resets
                // (tcp_rcv_state_process, "data after close").
                send_reset(now);
                enter_closed(static_cast<Errno>(0));
                return;
            }
            data_input(now, seq, payload);
            break;
        default:
            break; // after a FIN: ignored (RFC 9293 3.10.7.4 seventh)
        }
    }
    // Eighth: FIN, once everything before it is in.
    if (fin && seq + static_cast<uint32_t>(payload.size()) == m_rcv_nxt)
        fin_input(now);
    output(now);
    notify(false);
}

// Fifth step for every synchronized state; false when the segment is finished with.
bool TcpSocket::ack_input(Instant now, const TcpSegment& segment)
{
    if (m_state == TcpState::SynReceived) {
        if (!(m_snd_una < segment.ack && segment.ack <= m_snd_max)) {
            transmit(now, segment.ack, RST, {});
            return false;
        }
        // Linux drops the completing ACK while the accept queue is full; our SYN-ACK
        // retransmission gives the peer another chance later.
        if (m_parent && m_parent->m_accept_count > m_parent->m_backlog) {
            ++m_stack.m_stats.tcp_syn_dropped;
            return false;
        }
        m_snd_wnd = static_cast<uint32_t>(segment.window) << m_snd_wscale;
        m_max_snd_wnd = m_snd_wnd;
        m_snd_wl1 = segment.seq;
        m_snd_wl2 = segment.ack;
        enter_established(now);
    }
    // RFC 5961 5.2: acceptable iff SND.UNA - MAX.SND.WND <= SEG.ACK <= SND.NXT (here the
    // highest sent); anything else is answered with an ACK and dropped.
    if (segment.ack > m_snd_max || segment.ack < m_snd_una - m_max_snd_wnd) {
        send_ack(now);
        return false;
    }
    process_ack(now, segment);
    return m_state != TcpState::Closed;
}

void TcpSocket::update_rtt(Duration sample)
{
    // RFC 6298 2.2 and 2.3 (alpha = 1/8, beta = 1/4, K = 4, G = 1 ms).
    if (sample.ns < 0)
        sample = {};
    if (!m_have_rtt) {
        m_srtt = sample;
        m_rttvar = sample / 2;
        m_have_rtt = true;
    } else {
        Duration delta = m_srtt > sample ? m_srtt - sample : sample - m_srtt;
        m_rttvar = (m_rttvar * 3 + delta) / 4;
        m_srtt = (m_srtt * 7 + sample) / 8;
    }
    const TcpConfig& config = m_stack.m_config.tcp;
    Duration rto = m_srtt + longest(Duration::milliseconds(1), m_rttvar * 4);
    // 2.4 / 2.5: clamp to [min, max].
    m_rto = longest(config.rto_min, shortest(rto, config.rto_max));
}

void TcpSocket::process_ack(Instant now, const TcpSegment& segment)
{
    SeqNumber ack = segment.ack;
    uint32_t window = static_cast<uint32_t>(segment.window) << m_snd_wscale;
    bool window_changed = window != m_snd_wnd;
    if (m_snd_una < ack) {
        uint32_t acked = static_cast<uint32_t>(ack - m_snd_una);
        if (m_rtt_active && ack > m_rtt_seq) {
            update_rtt(now - m_rtt_start);
            m_rtt_active = false;
        }
        uint32_t remaining = acked;
        if (m_snd_una == m_iss && remaining)
            --remaining; // our SYN
        size_t data = remaining < m_send.size() ? remaining : m_send.size();
        m_send.consume(data);
        remaining -= static_cast<uint32_t>(data);
        if (remaining && m_fin_queued)
            m_fin_acked = true;
        m_snd_una = ack;
        if (m_snd_nxt < m_snd_una)
            m_snd_nxt = m_snd_una;
        m_retries = 0;
        m_persist_backoff = 0;

        // Congestion control: RFC 5681 3.1 and RFC 6582 3.2.
        if (m_in_recovery) {
            if (ack >= m_recover) {
                uint32_t flight = flight_size();
                uint32_t deflated = (flight > m_mss ? flight : m_mss) + m_mss;
                m_cwnd = m_ssthresh < deflated ? m_ssthresh : deflated;
                m_in_recovery = false;
                m_dupacks = 0;
            } else {
                retransmit_first(now);
                m_cwnd = m_cwnd > acked ? m_cwnd - acked : 0;
                if (acked >= m_mss)
                    m_cwnd += m_mss;
                if (m_cwnd < m_mss)
                    m_cwnd = m_mss;
            }
        } else {
            m_dupacks = 0;
            if (m_cwnd < m_ssthresh) {
                m_cwnd += acked < m_mss ? acked : m_mss; // slow start, eqn. 2
            } else {
                m_cwnd_bytes_acked += acked; // congestion avoidance, 3.1 byte counting
                if (m_cwnd_bytes_acked >= m_cwnd) {
                    m_cwnd_bytes_acked -= m_cwnd;
                    m_cwnd += m_mss;
                }
            }
        }
        if (m_cwnd > (1u << 30))
            m_cwnd = 1u << 30;
        // RFC 6298 5.2 and 5.3.
        if (m_snd_una == m_snd_max)
            m_retransmit_at = Instant::never();
        else
            arm_retransmit(now);
        if (data)
            notify(true); // send space freed
    } else if (ack == m_snd_una && segment.payload.empty() && !segment.has(SYN) && !segment.has(FIN)
        && !window_changed && m_snd_max != m_snd_una) {
        // A duplicate ACK by RFC 5681 section 2's definition.
        ++m_dupacks;
        if (m_dupacks == 3 && !m_in_recovery && m_snd_una >= m_recover) {
            // RFC 5681 3.2 steps 2-4 (fast retransmit), RFC 6582 3.2 step 2.
            uint32_t flight = flight_size();
            m_ssthresh = flight / 2 > 2u * m_mss ? flight / 2 : 2u * m_mss;
            m_recover = m_snd_max;
            m_in_recovery = true;
            retransmit_first(now);
            m_cwnd = m_ssthresh + 3u * m_mss;
        } else if (m_in_recovery && m_dupacks > 3) {
            m_cwnd += m_mss; // step 5: inflate for each segment that left the network
        }
    }
    // Window update (RFC 9293 3.10.7.4, fifth, ESTABLISHED): only from a newer segment.
    if (m_snd_wl1 < segment.seq || (m_snd_wl1 == segment.seq && m_snd_wl2 <= ack)) {
        m_snd_wnd = window;
        m_snd_wl1 = segment.seq;
        m_snd_wl2 = ack;
        if (window > m_max_snd_wnd)
            m_max_snd_wnd = window;
        if (window) {
            m_persist_at = Instant::never();
            m_persist_backoff = 0;
        } else {
            m_retries = 0; // a zero-window ACK is still an answer from a live peer
        }
    }
    if (!m_fin_acked)
        return;
    switch (m_state) {
    case TcpState::FinWait1:
        m_state = TcpState::FinWait2;
        if (!m_user_owned)
            m_close_at = now + m_stack.m_config.tcp.fin_wait2_timeout;
        notify(true);
        break;
    case TcpState::Closing:
        enter_time_wait(now);
        break;
    case TcpState::LastAck:
        enter_closed(static_cast<Errno>(0));
        notify(true);
        break;
    default:
        break;
    }
}

void TcpSocket::data_input(Instant now, SeqNumber seq, std::span<const uint8_t> payload)
{
    if (!ensure_receive_buffer())
        return; // no memory: drop; the peer retransmits
    uint32_t offset = static_cast<uint32_t>(seq - m_rcv_nxt);
    size_t free = receive_free();
    if (offset >= free) {
        m_ack_now = true;
        return;
    }
    size_t length = payload.size() < free - offset ? payload.size() : free - offset;
    m_receive.write_at(offset, payload.first(length));
    if (offset != 0) {
        // Out of order: remember the range (merging neighbours) and ACK at once so the
        // sender sees duplicate ACKs (RFC 5681 4.2).
        SeqNumber start = seq;
        SeqNumber end = seq + static_cast<uint32_t>(length);
        size_t i = 0;
        while (i < m_out_of_order_count && m_out_of_order[i].end < start)
            ++i;
        size_t j = i;
        while (j < m_out_of_order_count && m_out_of_order[j].start <= end) {
            start = seq_min(start, m_out_of_order[j].start);
            end = seq_max(end, m_out_of_order[j].end);
            ++j;
        }
        if (i == j && m_out_of_order_count == TCP_OUT_OF_ORDER_RANGES) {
            m_ack_now = true; // no room to remember it; the peer will send it again
            return;
        }
        // Replace ranges [i, j) with the merged one.
        size_t removed = j - i;
        if (removed == 0) {
            for (size_t k = m_out_of_order_count; k > i; --k)
                m_out_of_order[k] = m_out_of_order[k - 1];
            ++m_out_of_order_count;
        } else {
            for (size_t k = j; k < m_out_of_order_count; ++k)
                m_out_of_order[k - removed + 1] = m_out_of_order[k];
            m_out_of_order_count -= removed - 1;
        }
        m_out_of_order[i] = { start, end };
        m_ack_now = true;
        return;
    }
    m_receive.commit(length);
    m_rcv_nxt += static_cast<uint32_t>(length);
    bool filled = false;
    while (m_out_of_order_count && m_out_of_order[0].start <= m_rcv_nxt) {
        if (m_out_of_order[0].end > m_rcv_nxt) {
            uint32_t extra = static_cast<uint32_t>(m_out_of_order[0].end - m_rcv_nxt);
            m_receive.commit(extra);
            m_rcv_nxt += extra;
        }
        for (size_t k = 1; k < m_out_of_order_count; ++k)
            m_out_of_order[k - 1] = m_out_of_order[k];
        --m_out_of_order_count;
        filled = true;
    }
    if (filled || m_out_of_order_count)
        m_ack_now = true; // RFC 5681 4.2: ACK at once when a hole fills
    else
        schedule_delayed_ack(now, length);
    notify(true);
}

// Eighth step: the FIN, RFC 9293 3.10.7.4.
void TcpSocket::fin_input(Instant now)
{
    m_rcv_nxt += 1;
    m_fin_received = true;
    m_ack_now = true;
    switch (m_state) {
    case TcpState::SynReceived:
    case TcpState::Established:
        m_state = TcpState::CloseWait;
        break;
    case TcpState::FinWait1:
        // Our FIN is not acknowledged yet (else we would be in FIN-WAIT-2): simultaneous
        // close.
        m_state = TcpState::Closing;
        break;
    case TcpState::FinWait2:
        send_ack(now);
        enter_time_wait(now);
        break;
    case TcpState::TimeWait:
        m_close_at = now + m_stack.m_config.tcp.msl * 2;
        break;
    default:
        break;
    }
    notify(true);
}

} // namespace kiln::net
