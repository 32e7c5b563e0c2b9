#pragma once

// A TCP socket: the user handle and the transmission control block (RFC 9293 3.3.1) in
// one object, owned by the Stack.
//
// The state machine does no I/O of its own and reads no clock: segments arrive through
// Stack::receive(now, ...), timers run from Stack::poll(now), and what it sends goes
// out through the stack. `poll_at()` says when the connection next needs attention.
//
// Implemented: RFC 9293 state machine (simultaneous open and close, TIME_WAIT of 2*MSL),
// MSS option, window scaling (RFC 7323 2), RTO per RFC 6298 with Karn's algorithm and
// exponential backoff, slow start / congestion avoidance / fast retransmit and NewReno
// fast recovery (RFC 5681, RFC 6582), delayed ACKs (RFC 9293 3.8.6.3, RFC 5681 4.2),
// Nagle (RFC 9293 3.7.4) with TCP_NODELAY, sender and receiver SWS avoidance
// (3.8.6.2), zero-window probing (3.8.6.1), keepalive (3.8.4), RFC 5961 challenge ACKs
// for in-window RST and SYN and the ACK acceptance test, bounded SYN and accept queues.
// Not implemented: SACK (parsed, not offered), timestamps (parsed, not offered), urgent
// data (URG ignored, data delivered inline), ECN, PMTU discovery.

#include <stddef.h>
#include <stdint.h>

#include <span>

#include "lib/kalloc.h"
#include "lib/result.h"
#include "net/config.h"
#include "net/ring_buffer.h"
#include "net/socket_events.h"
#include "net/time.h"
#include "net/wire/address.h"
#include "net/wire/ipv4.h"
#include "net/wire/sequence.h"
#include "net/wire/tcp.h"

namespace kiln::net {

class Stack;

enum class TcpState : uint8_t {
    Closed,
    Listen,
    SynSent,
    SynReceived,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
};

const char* tcp_state_name(TcpState state);

struct TcpKeepalive {
    Duration idle;
    Duration interval;
    uint32_t probes;
};

class TcpSocket {
public:
    // --- The socket layer's API. Calls that may send take `now`. ---

    // Port 0 picks an ephemeral port. ADDRINUSE / ADDRNOTAVAIL / INVAL as Linux.
    Result<void> bind(Endpoint local);
    // Binds an ephemeral port first when unbound. backlog is clamped to
    // [1, max_accept_backlog]; calling it again on a listener updates the backlog.
    Result<void> listen(uint32_t backlog);
    // A connection off the accept queue, owned by the caller; AGAIN when empty.
    Result<TcpSocket*> accept();
    // Starts the handshake (the caller reports EINPROGRESS for non-blocking sockets);
    // completion or failure shows in events() and take_error().
    Result<void> connect(Instant now, Endpoint remote);
    // Copies what fits in the send buffer; AGAIN when full, PIPE after shutdown or
    // reset, NOTCONN before connect; AGAIN while the handshake is in progress.
    Result<size_t> send(Instant now, std::span<const uint8_t> data);
    // 0 at end of stream; AGAIN when no data yet; a pending error first (CONNRESET...).
    Result<size_t> receive(Instant now, std::span<uint8_t> out, bool peek = false);
    Result<void> shutdown(Instant now, Shutdown how);
    // Releases the caller's handle; the stack finishes the connection (FIN, or RST
    // when unread data is discarded, RFC 2525 2.17) and frees it. The pointer is dead.
    void close(Instant now);
    // Sends RST when synchronized and releases the handle (SO_LINGER 0 + close).
    void abort(Instant now);

    // socket_events bits, as Linux's tcp_poll computes them.
    uint32_t events() const;
    // SO_ERROR: the pending error, cleared; 0 when none.
    int take_error();
    Endpoint local_endpoint() const { return m_local; }
    Result<Endpoint> remote_endpoint() const;
    TcpState state() const { return m_state; }
    size_t bytes_readable() const { return m_receive.size(); } // FIONREAD
    size_t bytes_unsent() const; // SIOCOUTQ-like: queued and not yet acknowledged

    void set_nodelay(Instant now, bool on);
    bool nodelay() const { return m_nodelay; }
    void set_keepalive(Instant now, bool on);
    bool keepalive() const { return m_keepalive; }
    void set_keepalive_parameters(const TcpKeepalive& parameters) { m_keepalive_parameters = parameters; }
    const TcpKeepalive& keepalive_parameters() const { return m_keepalive_parameters; }
    // Clamped to [min_buffer, max_buffer]. The receive size fixes the window scale, so
    // it takes effect only before connect/listen (Linux has the same rule); the send size
    // before the first send.
    Result<void> set_receive_buffer(size_t bytes);
    Result<void> set_send_buffer(size_t bytes);
    size_t receive_buffer() const { return m_receive_capacity; }
    size_t send_buffer() const { return m_send_capacity; }
    void set_reuse_address(bool on) { m_reuse_address = on; }
    void set_observer(SocketObserver observer) { m_observer = observer; }

    // --- Stack internals (public for tests that inspect the TCB). ---
    Instant poll_at() const;
    SeqNumber snd_una() const { return m_snd_una; }
    SeqNumber snd_nxt() const { return m_snd_nxt; }
    SeqNumber rcv_nxt() const { return m_rcv_nxt; }
    SeqNumber iss() const { return m_iss; }
    uint32_t congestion_window() const { return m_cwnd; }
    uint32_t slow_start_threshold() const { return m_ssthresh; }
    Duration retransmission_timeout() const { return m_rto; }
    uint16_t mss() const { return m_mss; }
    uint8_t send_window_scale() const { return m_snd_wscale; }
    uint8_t receive_window_scale() const { return m_rcv_wscale; }
    uint32_t send_window() const { return m_snd_wnd; }
    size_t accept_queue_length() const { return m_accept_count; }
    size_t syn_queue_length() const { return m_syn_count; }

private:
    friend class Stack;
    template <typename T, typename... Args> friend T* kiln::make(Args&&... args);
    template <typename T> friend void kiln::destroy(T* object);

    explicit TcpSocket(Stack& stack);
    ~TcpSocket();

    // Input (tcp_input.cpp).
    void listen_input(Instant now, const Ipv4Header& ip, const TcpSegment& segment);
    void segment_arrives(Instant now, const TcpSegment& segment);
    void syn_sent_input(Instant now, const TcpSegment& segment);
    bool rst_input(Instant now, const TcpSegment& segment);
    bool ack_input(Instant now, const TcpSegment& segment);
    void data_input(Instant now, SeqNumber seq, std::span<const uint8_t> payload);
    void fin_input(Instant now);
    void process_ack(Instant now, const TcpSegment& segment);
    void update_rtt(Duration sample);
    void apply_syn_options(const TcpSegment& segment);

    // Output (tcp_output.cpp).
    void output(Instant now);
    bool send_data_segment(Instant now, bool force);
    void send_syn(Instant now);
    void send_ack(Instant now);
    void send_challenge_ack(Instant now);
    void send_reset(Instant now);
    void retransmit_first(Instant now);
    void transmit(Instant now, SeqNumber seq, uint8_t flags, ByteSpans data);
    uint16_t window_to_advertise(bool syn);
    void arm_retransmit(Instant now);

    // Timers and transitions (tcp_timers.cpp).
    void on_timer(Instant now);
    void on_retransmit_timeout(Instant now);
    void on_persist_timeout(Instant now);
    void on_keepalive_timeout(Instant now);
    void enter_established(Instant now);
    void enter_time_wait(Instant now);
    void enter_closed(Errno error);
    void restart_keepalive(Instant now);
    void notify(bool wake);
    void schedule_delayed_ack(Instant now, size_t bytes);

    // API helpers (tcp_socket.cpp).
    bool ensure_receive_buffer();
    bool ensure_send_buffer();
    void release_buffers();
    void start_close(Instant now);
    void detach_from_listener();
    void abort_children(Instant now);
    bool synchronized() const;
    bool syn_acked() const { return m_snd_una != m_iss || m_state == TcpState::Established; }
    uint32_t flight_size() const { return static_cast<uint32_t>(m_snd_max - m_snd_una); }
    size_t receive_free() const { return m_receive_capacity - m_receive.size(); }

    Stack& m_stack;

    // Stack lists.
    TcpSocket* m_all_next = nullptr;
    TcpSocket* m_all_prev = nullptr;
    TcpSocket* m_hash_next = nullptr;
    bool m_hashed = false;

    // Ownership: the user holds a handle (from tcp_socket() or accept()), or a listener
    // holds it (SYN queue / accept queue), or nobody does (orphan: freed when Closed).
    bool m_user_owned = false;
    TcpSocket* m_parent = nullptr; // listener, while in its SYN or accept queue
    bool m_in_accept_queue = false;
    TcpSocket* m_accept_next = nullptr;

    // Listener.
    TcpSocket* m_accept_head = nullptr;
    TcpSocket* m_accept_tail = nullptr;
    size_t m_accept_count = 0;
    size_t m_syn_count = 0;
    uint32_t m_backlog = 0;

    TcpState m_state = TcpState::Closed;
    Endpoint m_local;
    Endpoint m_remote;
    bool m_bound = false;
    bool m_reuse_address = false;
    bool m_active_open = false;

    // Send sequence space (RFC 9293 3.3.1). Data byte 0 of m_send is at m_snd_una once
    // the SYN is acknowledged. m_snd_max is the highest sequence number sent so far
    // (snd_nxt goes back to snd_una on a timeout).
    SeqNumber m_iss;
    SeqNumber m_snd_una;
    SeqNumber m_snd_nxt;
    SeqNumber m_snd_max;
    SeqNumber m_short_end; // end of the last segment shorter than the MSS (Nagle)
    SeqNumber m_snd_wl1;
    SeqNumber m_snd_wl2;
    uint32_t m_snd_wnd = 0; // already scaled
    uint32_t m_max_snd_wnd = 0;
    RingBuffer m_send;
    size_t m_send_capacity = 0;
    bool m_fin_queued = false; // the user shut down writing: FIN after the data
    bool m_fin_acked = false;

    // Receive sequence space. m_rcv_adv is the right edge last advertised, which never
    // moves left (RFC 9293 3.8.6.2.2).
    SeqNumber m_irs;
    SeqNumber m_rcv_nxt;
    SeqNumber m_rcv_adv;
    RingBuffer m_receive;
    size_t m_receive_capacity = 0;
    struct Range {
        SeqNumber start;
        SeqNumber end;
    };
    Range m_out_of_order[TCP_OUT_OF_ORDER_RANGES];
    size_t m_out_of_order_count = 0;
    bool m_fin_received = false;
    bool m_shut_read = false;

    // Options.
    uint16_t m_mss = 536; // send MSS (RFC 9293 3.7.1 default without the option)
    uint16_t m_advertised_mss = 536;
    uint8_t m_snd_wscale = 0;
    uint8_t m_rcv_wscale = 0;
    bool m_window_scaling = false;
    bool m_nodelay = false;
    bool m_keepalive = false;
    TcpKeepalive m_keepalive_parameters;

    // Congestion control (RFC 5681, RFC 6582).
    uint32_t m_cwnd = 0;
    uint32_t m_ssthresh = 0xffffffff;
    uint32_t m_cwnd_bytes_acked = 0;
    uint32_t m_dupacks = 0;
    SeqNumber m_recover;
    bool m_in_recovery = false;

    // Round-trip time (RFC 6298).
    Duration m_srtt;
    Duration m_rttvar;
    Duration m_rto;
    bool m_have_rtt = false;
    bool m_rtt_active = false;
    SeqNumber m_rtt_seq;
    Instant m_rtt_start;
    uint32_t m_retries = 0; // consecutive timeouts / unanswered probes

    // Timers (Instant::never() when off).
    Instant m_retransmit_at = Instant::never();
    Instant m_persist_at = Instant::never();
    Instant m_delayed_ack_at = Instant::never();
    Instant m_keepalive_at = Instant::never();
    Instant m_close_at = Instant::never(); // TIME_WAIT, or an orphan's FIN_WAIT_2 timeout
    uint32_t m_persist_backoff = 0;
    uint32_t m_keepalive_probes_sent = 0;
    Instant m_last_received;

    bool m_ack_now = false;
    size_t m_unacked_bytes = 0; // received in order since our last ACK
    size_t m_largest_segment = 0; // largest payload received, our estimate of the peer's MSS
    bool m_done = false; // the connection ended (Linux tcp_done): both directions shut

    int m_error = 0; // pending errno for the user (SO_ERROR)
    SocketObserver m_observer;
    uint32_t m_last_events = 0;
};

} // namespace kiln::net
