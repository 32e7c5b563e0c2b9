// TCP state machine tests, RFC 9293 section 3.10 and friends. One fixture per state,
// each built from the previous one; the stack under test talks to a scripted peer
// (net_tcp_harness.h). Adversarial tests are named after the RFC section they check.

#include <gtest/gtest.h>

#include "net_tcp_harness.h"

using namespace kiln;
using namespace kiln::net;
using namespace kiln::net::test;
using namespace kiln::net::tcp_flags;
namespace ev = kiln::net::socket_events;

namespace {

std::span<uint8_t> scratch(size_t n)
{
    static Bytes buffer;
    buffer.assign(n, 0);
    return buffer;
}

TcpOptions mss_option(uint16_t mss = 1460)
{
    TcpOptions o;
    o.mss = mss;
    return o;
}

// --- LISTEN ---

class NetTcpListen : public TcpHarness {
protected:
    explicit NetTcpListen(StackConfig config = TestHost::default_config())
        : TcpHarness(config)
    {
        listener = host.stack->tcp_socket().release_value();
        EXPECT_TRUE(listener->bind({ Ipv4Address::any(), 80 }));
        EXPECT_TRUE(listener->listen(8));
    }
    // Handshake from another peer port; returns our ISS for it.
    uint32_t handshake(uint16_t port)
    {
        uint16_t saved = peer_port;
        peer_port = port;
        send({ SYN, p(0), 0, 65535, {}, mss_option() });
        Parsed synack = next_segment();
        uint32_t their_iss = synack.tcp ? synack.tcp->seq.raw() : 0;
        send({ ACK, p(1), their_iss + 1 });
        peer_port = saved;
        return their_iss;
    }
};

TEST_F(NetTcpListen, SynIsAnsweredWithSynAckCarryingMss)
{
    send({ SYN, p(0), 0, 65535, {}, mss_option() });
    Parsed f = next_segment();
    ASSERT_TRUE(f.tcp);
    EXPECT_EQ(f.tcp->flags, SYN | ACK);
    EXPECT_EQ(f.tcp->ack.raw(), p(1));
    EXPECT_EQ(f.tcp->options.mss, 1460);
    EXPECT_EQ(f.tcp->options.window_scale, -1); // the SYN did not offer scaling
    EXPECT_EQ(f.tcp->window, 65535);
    EXPECT_EQ(listener->syn_queue_length(), 1u);
}

// RFC 9293 3.4.1 / RFC 6528: ISNs are not predictable.
TEST_F(NetTcpListen, InitialSequenceNumbersAreRandom)
{
    uint32_t a = handshake(40001);
    uint32_t b = handshake(40002);
    uint32_t c = handshake(40003);
    EXPECT_NE(a, b);
    EXPECT_NE(b, c);
    TestHost other(99);
    EXPECT_NE(a, 0u);
}

// RFC 9293 3.10.7.2: an ACK to a listener gets <SEQ=SEG.ACK><CTL=RST>.
TEST_F(NetTcpListen, Rfc9293AckInListenGetsReset)
{
    send({ ACK, p(5), 777 });
    expect_emitted(RST, 777, std::nullopt);
}

TEST_F(NetTcpListen, Rfc9293RstInListenIsIgnored)
{
    send({ RST, p(5), 0 });
    send({ RST | ACK, p(5), 9 });
    expect_nothing();
}

// RFC 9293 3.10.7.1: no socket → RST; for a segment without ACK it is
// <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
TEST_F(NetTcpListen, Rfc9293ClosedPortAnswersReset)
{
    our_port = 81;
    send({ SYN, p(0), 0 });
    expect_emitted(RST | ACK, 0, p(1));
    send({ ACK, p(1), 4242, 100, pattern(10) });
    expect_emitted(RST, 4242, std::nullopt);
    send({ RST, p(1), 0 });
    expect_nothing();
}

TEST_F(NetTcpListen, SynFinIsDropped)
{
    send({ SYN | FIN, p(0), 0 });
    expect_nothing();
}

// Linux: with the accept queue full, SYNs are dropped (not reset), until accept().
TEST_F(NetTcpListen, BacklogOverflowDropsSyns)
{
    ASSERT_TRUE(listener->listen(1)); // backlog 1: Linux queues backlog + 1
    handshake(40001);
    handshake(40002);
    EXPECT_EQ(listener->accept_queue_length(), 2u);
    peer_port = 40003;
    send({ SYN, p(0), 0, 65535, {}, mss_option() });
    expect_nothing();
    EXPECT_EQ(host.stack->stats().tcp_syn_dropped, 1u);
    EXPECT_NE(listener->events() & ev::IN, 0u);
    TcpSocket* a = listener->accept().release_value();
    EXPECT_EQ(a->remote_endpoint().value(), (Endpoint { IP_PEER, 40001 }));
    send({ SYN, p(0), 0, 65535, {}, mss_option() });
    EXPECT_TRUE(next_segment().tcp);
    a->abort(host.now);
}

TEST_F(NetTcpListen, SynQueueIsBounded)
{
    StackConfig config = TestHost::default_config();
    for (uint16_t port = 41000; port < 41000 + 200; ++port) {
        peer_port = port;
        send({ SYN, p(0), 0 });
    }
    EXPECT_EQ(listener->syn_queue_length(), config.tcp.max_syn_backlog);
    EXPECT_EQ(host.pending_frames(), config.tcp.max_syn_backlog);
    EXPECT_EQ(host.stack->stats().tcp_syn_dropped, 200u - config.tcp.max_syn_backlog);
}

TEST_F(NetTcpListen, CloseListenerResetsQueuedConnections)
{
    uint32_t theirs = handshake(40001);
    listener->close(host.now);
    peer_port = 40001;
    expect_emitted(RST | ACK, theirs + 1, p(1));
    EXPECT_EQ(host.stack->tcp_socket_count(), 0u);
    peer_port = 40005;
    send({ SYN, p(0), 0 });
    expect_emitted(RST | ACK, 0, p(1));
}

// --- SYN-RECEIVED ---

class NetTcpSynReceived : public NetTcpListen {
protected:
    explicit NetTcpSynReceived(StackConfig config = TestHost::default_config())
        : NetTcpListen(config)
    {
        send({ SYN, p(0), 0, 65535, {}, mss_option() });
        Parsed f = next_segment();
        iss = f.tcp ? f.tcp->seq.raw() : 0;
    }
};

TEST_F(NetTcpSynReceived, RetransmittedSynGetsTheSynAckAgain)
{
    send({ SYN, p(0), 0, 65535, {}, mss_option() });
    expect_emitted(SYN | ACK, u(0), p(1));
}

// RFC 6298 2.1 and 5.5: SYN-ACK retransmitted after 1 s, then 2 s later.
TEST_F(NetTcpSynReceived, SynAckIsRetransmittedWithBackoff)
{
    Instant start = host.now;
    expect_nothing_until(start + ms(999));
    host.run_until(start + ms(1000));
    expect_emitted(SYN | ACK, u(0), p(1));
    expect_nothing_until(start + ms(2999));
    host.run_until(start + ms(3000));
    expect_emitted(SYN | ACK, u(0), p(1));
}

TEST_F(NetTcpSynReceived, ChildIsDroppedAfterSynAckRetries)
{
    host.advance(Duration::seconds(200));
    size_t retransmissions = 0;
    while (host.next_frame())
        ++retransmissions;
    EXPECT_EQ(retransmissions, host.stack->config().tcp.synack_retries);
    EXPECT_EQ(listener->syn_queue_length(), 0u);
    EXPECT_EQ(host.stack->tcp_socket_count(), 1u);
}

TEST_F(NetTcpSynReceived, FinalAckEstablishesAndQueuesForAccept)
{
    int wakeups = 0;
    listener->set_observer({ &wakeups, [](void* c, uint32_t) { ++*static_cast<int*>(c); } });
    send({ ACK, p(1), u(1) });
    expect_nothing();
    EXPECT_EQ(wakeups, 1);
    EXPECT_EQ(listener->syn_queue_length(), 0u);
    TcpSocket* s = listener->accept().release_value();
    EXPECT_EQ(s->state(), TcpState::Established);
    EXPECT_EQ(s->local_endpoint(), (Endpoint { IP_US, 80 }));
    EXPECT_EQ(listener->accept().error(), Errno::AGAIN);
    s->abort(host.now);
}

// RFC 9293 3.10.7.4 / RFC 5961 3.2: RST at RCV.NXT removes the half-open connection.
TEST_F(NetTcpSynReceived, Rfc5961RstAtRcvNxtDropsTheChild)
{
    send({ RST, p(1), 0 });
    expect_nothing();
    EXPECT_EQ(listener->syn_queue_length(), 0u);
    EXPECT_EQ(host.stack->tcp_socket_count(), 1u);
    EXPECT_EQ(listener->accept().error(), Errno::AGAIN);
}

TEST_F(NetTcpSynReceived, Rfc5961RstInWindowGetsChallengeAck)
{
    send({ RST, p(100), 0 });
    expect_emitted(ACK, u(1), p(1));
    EXPECT_EQ(listener->syn_queue_length(), 1u);
}

TEST_F(NetTcpSynReceived, Rfc9293UnacceptableAckGetsReset)
{
    send({ ACK, p(1), u(5) });
    expect_emitted(RST, u(5), std::nullopt);
}

TEST_F(NetTcpSynReceived, FinalAckIsDroppedWhileAcceptQueueIsFull)
{
    ASSERT_TRUE(listener->listen(0)); // one connection fits (backlog + 1)
    handshake(40001);
    send({ ACK, p(1), u(1) });
    expect_nothing();
    EXPECT_EQ(listener->accept_queue_length(), 1u);
    EXPECT_EQ(listener->syn_queue_length(), 1u);
    listener->accept().release_value()->abort(host.now);
    host.nic.frames.clear();
    send({ ACK, p(1), u(1) });
    EXPECT_EQ(listener->accept_queue_length(), 1u);
}

// --- ESTABLISHED (passive open) ---

class NetTcpEstablished : public NetTcpSynReceived {
protected:
    explicit NetTcpEstablished(StackConfig config = TestHost::default_config())
        : NetTcpSynReceived(config)
    {
        send({ ACK, p(1), u(1) });
        conn = listener->accept().release_value();
    }
};

TEST_F(NetTcpEstablished, DataIsReceivedAndTheAckDelayed)
{
    int wakeups = 0;
    conn->set_observer({ &wakeups, [](void* c, uint32_t) { ++*static_cast<int*>(c); } });
    EXPECT_EQ(conn->events() & ev::IN, 0u);
    send({ ACK | PSH, p(1), u(1), 65535, pattern(100) });
    EXPECT_EQ(wakeups, 1);
    EXPECT_NE(conn->events() & ev::IN, 0u);
    // RFC 9293 3.8.6.3: the ACK may wait (here 40 ms) for data to piggyback on.
    expect_nothing_until(host.now + ms(39));
    host.advance(ms(1));
    expect_emitted(ACK, u(1), p(101));
    EXPECT_EQ(read_all(conn), pattern(100));
    EXPECT_EQ(conn->receive(host.now, scratch(10)).error(), Errno::AGAIN);
}

// RFC 5681 4.2: an ACK for at least every second full-sized segment.
TEST_F(NetTcpEstablished, Rfc5681AcksEverySecondFullSegment)
{
    send({ ACK, p(1), u(1), 65535, pattern(1460, 1) });
    expect_nothing();
    send({ ACK, p(1461), u(1), 65535, pattern(1460, 2) });
    expect_emitted(ACK, u(1), p(2921));
}

TEST_F(NetTcpEstablished, ResponseDataCarriesTheAck)
{
    send({ ACK | PSH, p(1), u(1), 65535, pattern(10) });
    ASSERT_EQ(conn->send(host.now, pattern(20)).value(), 20u);
    Parsed f = expect_emitted(ACK | PSH, u(1), p(11), 20);
    EXPECT_EQ(f.tcp_payload, pattern(20));
    expect_nothing_until(host.now + ms(100)); // the delayed ACK was absorbed
}

// RFC 9293 3.7.4: Nagle holds a small segment while data is unacknowledged.
TEST_F(NetTcpEstablished, Rfc9293NagleHoldsSmallSegmentsUntilAcked)
{
    ASSERT_TRUE(conn->send(host.now, pattern(10)));
    expect_emitted(ACK | PSH, u(1), p(1), 10);
    ASSERT_TRUE(conn->send(host.now, pattern(10)));
    ASSERT_TRUE(conn->send(host.now, pattern(10)));
    expect_nothing();
    send({ ACK, p(1), u(11) });
    expect_emitted(ACK | PSH, u(11), p(1), 20);
}

TEST_F(NetTcpEstablished, NoDelaySendsAtOnce)
{
    conn->set_nodelay(host.now, true);
    ASSERT_TRUE(conn->send(host.now, pattern(10)));
    ASSERT_TRUE(conn->send(host.now, pattern(10)));
    expect_emitted(ACK | PSH, u(1), p(1), 10);
    expect_emitted(ACK | PSH, u(11), p(1), 10);
}

TEST_F(NetTcpEstablished, SettingNoDelayFlushesHeldData)
{
    ASSERT_TRUE(conn->send(host.now, pattern(10)));
    ASSERT_TRUE(conn->send(host.now, pattern(10)));
    next_segment();
    expect_nothing();
    conn->set_nodelay(host.now, true);
    expect_emitted(ACK | PSH, u(11), p(1), 10);
}

TEST_F(NetTcpEstablished, LargeWritesAreSplitAtTheMss)
{
    ASSERT_EQ(conn->send(host.now, pattern(5000)).value(), 5000u);
    expect_emitted(ACK, u(1), p(1), 1460);
    expect_emitted(ACK, u(1461), p(1), 1460);
    expect_emitted(ACK, u(2921), p(1), 1460);
    expect_emitted(ACK | PSH, u(4381), p(1), 620);
}

TEST_F(NetTcpEstablished, PeerMssIsRespected)
{
    // A fresh connection whose SYN announced MSS 100.
    peer_port = 40100;
    send({ SYN, p(0), 0, 65535, {}, mss_option(100) });
    uint32_t their = next_segment().tcp->seq.raw();
    send({ ACK, p(1), their + 1 });
    TcpSocket* small = listener->accept().release_value();
    EXPECT_EQ(small->mss(), 100);
    ASSERT_TRUE(small->send(host.now, pattern(250)));
    expect_emitted(ACK, their + 1, p(1), 100);
    expect_emitted(ACK, their + 101, p(1), 100);
    small->abort(host.now);
}

// RFC 6298 5.1, 5.5: retransmission after RTO, then doubled.
TEST_F(NetTcpEstablished, Rfc6298RetransmitsAfterRtoWithBackoff)
{
    EXPECT_EQ(conn->retransmission_timeout(), ms(200)); // handshake sample ~0, clamped to rto_min
    Instant sent = host.now;
    ASSERT_TRUE(conn->send(host.now, pattern(100)));
    expect_emitted(ACK | PSH, u(1), p(1), 100);
    expect_nothing_until(sent + ms(199));
    host.run_until(sent + ms(200));
    expect_emitted(ACK | PSH, u(1), p(1), 100);
    expect_nothing_until(sent + ms(599));
    host.run_until(sent + ms(600));
    expect_emitted(ACK | PSH, u(1), p(1), 100);
    EXPECT_EQ(conn->retransmission_timeout(), ms(800));
    // The ACK stops the timer.
    send({ ACK, p(1), u(101) });
    expect_nothing_until(host.now + Duration::seconds(5));
}

// RFC 6298 2.2-2.3: SRTT/RTTVAR from a sample; RTO = SRTT + 4 RTTVAR.
TEST_F(NetTcpEstablished, Rfc6298RtoFollowsMeasuredRtt)
{
    // Reset the estimate with a fresh connection measured at 100 ms.
    ASSERT_TRUE(conn->send(host.now, pattern(10)));
    next_segment();
    host.advance(ms(100));
    send({ ACK, p(1), u(11) });
    // Second sample (first was ~0 in the handshake): SRTT = 12.5 ms, RTTVAR = 25 ms.
    EXPECT_EQ(conn->retransmission_timeout(), ms(200)); // 112.5 ms clamped up to rto_min
    for (int i = 0; i < 20; ++i) {
        ASSERT_TRUE(conn->send(host.now, pattern(10)));
        next_segment();
        host.advance(ms(400));
        send({ ACK, p(1), u(21 + 10 * i) });
    }
    EXPECT_GT(conn->retransmission_timeout(), ms(400));
    EXPECT_LT(conn->retransmission_timeout(), ms(700));
}

// RFC 6298 section 3 (Karn): an ACK for retransmitted data gives no RTT sample, and the
// backed-off RTO stays until a fresh sample.
TEST_F(NetTcpEstablished, Rfc6298KarnIgnoresRetransmittedSamples)
{
    ASSERT_TRUE(conn->send(host.now, pattern(10)));
    next_segment();
    host.advance(ms(200));
    next_segment(); // retransmission
    EXPECT_EQ(conn->retransmission_timeout(), ms(400));
    host.advance(ms(10));
    send({ ACK, p(1), u(11) });
    EXPECT_EQ(conn->retransmission_timeout(), ms(400));
    ASSERT_TRUE(conn->send(host.now, pattern(10)));
    next_segment();
    host.advance(ms(10));
    send({ ACK, p(1), u(21) });
    EXPECT_LT(conn->retransmission_timeout(), ms(400));
}

// RFC 5681 3.2: three duplicate ACKs retransmit before the timer; ssthresh halves.
TEST_F(NetTcpEstablished, Rfc5681FastRetransmitOnThreeDuplicateAcks)
{
    conn->set_nodelay(host.now, true);
    ASSERT_TRUE(conn->send(host.now, pattern(1460 * 6)));
    for (int i = 0; i < 6; ++i)
        next_segment();
    // Segment 2 is lost; segments 3..6 produce duplicate ACKs for 1461.
    send({ ACK, p(1), u(1461) });
    uint32_t cwnd_before = conn->congestion_window();
    send({ ACK, p(1), u(1461) });
    send({ ACK, p(1), u(1461) });
    expect_nothing();
    send({ ACK, p(1), u(1461) });
    expect_emitted(ACK, u(1461), p(1), 1460);
    EXPECT_EQ(conn->slow_start_threshold(), 1460u * 5 / 2);
    EXPECT_EQ(conn->congestion_window(), conn->slow_start_threshold() + 3 * 1460);
    EXPECT_LT(conn->slow_start_threshold(), cwnd_before);
    // The full ACK ends recovery with cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS)
    // (RFC 6582 3.2 step 3, first option); nothing is in flight any more.
    send({ ACK, p(1), u(1 + 1460 * 6) });
    EXPECT_EQ(conn->congestion_window(), 2u * 1460);
}

// RFC 6582 3.2 step 4: a partial ACK retransmits the next hole at once.
TEST_F(NetTcpEstablished, Rfc6582PartialAckRetransmitsNextHole)
{
    conn->set_nodelay(host.now, true);
    ASSERT_TRUE(conn->send(host.now, pattern(1460 * 6)));
    for (int i = 0; i < 6; ++i)
        next_segment();
    // Segments 1 and 3 lost.
    for (int i = 0; i < 3; ++i)
        send({ ACK, p(1), u(1) });
    expect_emitted(ACK, u(1), p(1), 1460);
    send({ ACK, p(1), u(2921) }); // partial: up to the second hole
    expect_emitted(ACK, u(2921), p(1), 1460);
}

TEST_F(NetTcpEstablished, Rfc5681OutOfOrderDataIsAckedAtOnceAndReassembled)
{
    send({ ACK, p(101), u(1), 65535, pattern(100, 2) });
    expect_emitted(ACK, u(1), p(1)); // duplicate ACK: still waiting for p(1)
    EXPECT_EQ(conn->bytes_readable(), 0u);
    send({ ACK, p(301), u(1), 65535, pattern(100, 4) });
    expect_emitted(ACK, u(1), p(1));
    send({ ACK, p(1), u(1), 65535, pattern(100, 1) });
    expect_emitted(ACK, u(1), p(201)); // the hole filled up to the next gap
    send({ ACK, p(201), u(1), 65535, pattern(100, 3) });
    expect_emitted(ACK, u(1), p(401));
    Bytes expected;
    for (uint32_t k = 1; k <= 4; ++k) {
        Bytes part = pattern(100, k);
        expected.insert(expected.end(), part.begin(), part.end());
    }
    EXPECT_EQ(read_all(conn), expected);
}

TEST_F(NetTcpEstablished, OverlappingRetransmissionsAreTrimmed)
{
    Bytes data = pattern(300);
    send({ ACK, p(1), u(1), 65535, Bytes(data.begin(), data.begin() + 200) });
    send({ ACK, p(101), u(1), 65535, Bytes(data.begin() + 100, data.end()) });
    host.advance(ms(50));
    while (host.next_frame()) {
    }
    EXPECT_EQ(read_all(conn), data);
    EXPECT_EQ(conn->rcv_nxt().raw(), p(301));
}

TEST_F(NetTcpEstablished, OldDuplicateIsAnsweredWithAnAck)
{
    send({ ACK, p(1), u(1), 65535, pattern(50) });
    host.advance(ms(40));
    expect_emitted(ACK, u(1), p(51));
    send({ ACK, p(1), u(1), 65535, pattern(50) });
    expect_emitted(ACK, u(1), p(51));
    EXPECT_EQ(read_all(conn).size(), 50u);
}

// RFC 9293 3.8.6: a slow reader closes the window; data beyond it is not stored.
class NetTcpSmallBuffer : public NetTcpEstablished {
protected:
    NetTcpSmallBuffer()
        : NetTcpEstablished(small_buffers())
    {
    }
    static StackConfig small_buffers()
    {
        StackConfig c = TestHost::default_config();
        c.tcp.receive_buffer = 4096;
        c.tcp.send_buffer = 4096;
        return c;
    }
};

TEST_F(NetTcpSmallBuffer, SlowReaderClosesTheWindowAndMemoryStaysBounded)
{
    EXPECT_EQ(conn->receive_buffer(), 4096u);
    send({ ACK, p(1), u(1), 65535, pattern(1460, 1) });
    send({ ACK, p(1461), u(1), 65535, pattern(1460, 2) });
    Parsed a = expect_emitted(ACK, u(1), p(2921));
    EXPECT_EQ(a.tcp->window, 4096 - 2920);
    send({ ACK, p(2921), u(1), 65535, pattern(1460, 3) }); // only 1176 bytes fit
    host.advance(ms(40));
    Parsed b = expect_emitted(ACK, u(1), p(4097));
    EXPECT_EQ(b.tcp->window, 0);
    // A zero-window probe: not accepted, answered with the same ACK.
    send({ ACK, p(4097), u(1), 65535, Bytes { 1 } });
    Parsed c = expect_emitted(ACK, u(1), p(4097));
    EXPECT_EQ(c.tcp->window, 0);
    EXPECT_EQ(host.stack->buffer_memory(), 4096u);
    // Reading reopens the window with an update (RFC 9293 3.8.6.2.2).
    Bytes buffer(4096);
    EXPECT_EQ(conn->receive(host.now, buffer).value(), 4096u);
    Parsed d = expect_emitted(ACK, u(1), p(4097));
    EXPECT_EQ(d.tcp->window, 4096);
}

// Receiver SWS avoidance: reading a few bytes does not advertise a tiny window.
TEST_F(NetTcpSmallBuffer, Rfc9293ReceiverSwsAvoidance)
{
    for (uint32_t off = 0; off < 4096; off += 1024)
        send({ ACK, p(1 + off), u(1), 65535, pattern(1024, off) });
    host.advance(ms(40));
    while (host.next_frame()) {
    }
    Bytes buffer(100);
    ASSERT_EQ(conn->receive(host.now, buffer).value(), 100u);
    expect_nothing();
    send({ ACK, p(4097), u(1), 65535, {} }); // a pure ACK: answerless
    host.advance(ms(100));
    expect_nothing();
}

TEST_F(NetTcpSmallBuffer, FullSendBufferSaysWouldBlockAndWakesOnAck)
{
    uint32_t last = 0;
    int wakeups = 0;
    struct Watch {
        uint32_t* last;
        int* wakeups;
    } watch { &last, &wakeups };
    conn->set_observer({ &watch, [](void* c, uint32_t events) {
                            auto* w = static_cast<Watch*>(c);
                            *w->last = events;
                            ++*w->wakeups;
                        } });
    EXPECT_NE(conn->events() & ev::OUT, 0u);
    EXPECT_EQ(conn->send(host.now, pattern(10000)).value(), 4096u);
    EXPECT_EQ(conn->send(host.now, pattern(10)).error(), Errno::AGAIN);
    EXPECT_EQ(conn->events() & ev::OUT, 0u);
    expect_emitted(ACK, u(1), p(1), 1460);
    expect_emitted(ACK, u(1461), p(1), 1460);
    expect_emitted(ACK | PSH, u(2921), p(1), 1176);
    EXPECT_EQ(conn->bytes_unsent(), 4096u);
    send({ ACK, p(1), u(2921) });
    EXPECT_GT(wakeups, 0);
    EXPECT_NE(last & ev::OUT, 0u);
    EXPECT_EQ(conn->bytes_unsent(), 1176u);
    EXPECT_EQ(conn->send(host.now, pattern(1000)).value(), 1000u);
}

// RFC 9293 3.8.6.2.1: with a window much smaller than the largest seen, a short
// segment waits (for the override timer) instead of going out at once.
TEST_F(NetTcpEstablished, Rfc9293SenderSwsAvoidanceWaitsForOverride)
{
    send({ ACK, p(1), u(1), 1000 });
    ASSERT_TRUE(conn->send(host.now, pattern(5000)));
    expect_nothing();
    host.advance(ms(200));
    expect_emitted(ACK, u(1), p(1), 1000);
}

// RFC 9293 3.8.6.1: a zero window is probed, with backoff, and never abandoned while
// the peer answers.
TEST_F(NetTcpEstablished, Rfc9293ZeroWindowIsProbed)
{
    send({ ACK, p(1), u(1), 0 });
    ASSERT_TRUE(conn->send(host.now, pattern(100)));
    expect_nothing();
    Instant start = host.now;
    expect_nothing_until(start + ms(199));
    host.run_until(start + ms(200));
    expect_emitted(ACK, u(1), p(1), 1); // one byte past the window
    send({ ACK, p(1), u(1), 0 });
    expect_nothing_until(start + ms(200 + 399));
    host.run_until(start + ms(600));
    expect_emitted(ACK, u(1), p(1), 1);
    for (int i = 0; i < 40; ++i) { // far more probes than max_retransmits: still alive
        host.advance(Duration::seconds(60));
        while (host.next_frame()) {
        }
        send({ ACK, p(1), u(1), 0 });
    }
    EXPECT_EQ(conn->state(), TcpState::Established);
    send({ ACK, p(1), u(1), 1000 }); // the window opens
    expect_emitted(ACK | PSH, u(1), p(1), 100);
}

TEST_F(NetTcpEstablished, Rfc9293ZeroWindowProbeAcceptedByPeerAdvancesTheStream)
{
    send({ ACK, p(1), u(1), 0 });
    ASSERT_TRUE(conn->send(host.now, pattern(100)));
    host.advance(ms(200));
    expect_emitted(ACK, u(1), p(1), 1);
    send({ ACK, p(1), u(2), 1000 }); // the peer had room after all
    expect_emitted(ACK | PSH, u(2), p(1), 99);
}

TEST_F(NetTcpEstablished, RetransmissionLimitTimesOut)
{
    ASSERT_TRUE(conn->send(host.now, pattern(10)));
    host.advance(Duration::seconds(3600));
    EXPECT_EQ(conn->state(), TcpState::Closed);
    EXPECT_EQ(conn->take_error(), static_cast<int>(Errno::TIMEDOUT));
    EXPECT_NE(conn->events() & ev::HUP, 0u);
}

// RFC 9293 3.10.7.4 / RFC 5961 3.2: RST exactly at RCV.NXT resets.
TEST_F(NetTcpEstablished, Rfc5961RstAtRcvNxtResets)
{
    send({ ACK, p(1), u(1), 65535, pattern(10) });
    send({ RST, p(11), 0 });
    expect_nothing();
    EXPECT_EQ(conn->state(), TcpState::Closed);
    EXPECT_EQ(conn->events() & (ev::ERR | ev::HUP), ev::ERR | ev::HUP);
    EXPECT_EQ(conn->receive(host.now, scratch(10)).error(), Errno::CONNRESET); // unread data is gone
    EXPECT_EQ(conn->receive(host.now, scratch(10)).value(), 0u);
    EXPECT_EQ(conn->send(host.now, pattern(1)).error(), Errno::PIPE);
}

TEST_F(NetTcpEstablished, Rfc5961RstInWindowGetsChallengeAck)
{
    send({ RST, p(500), 0 });
    expect_emitted(ACK, u(1), p(1));
    EXPECT_EQ(conn->state(), TcpState::Established);
}

TEST_F(NetTcpEstablished, Rfc5961RstOutsideWindowIsIgnored)
{
    send({ RST, p(0) - 100000, 0 });
    send({ RST, p(1) + 200000, 0 });
    expect_nothing();
    EXPECT_EQ(conn->state(), TcpState::Established);
}

// RFC 5961 4.2: a SYN in a synchronized state gets a challenge ACK, never a reset.
TEST_F(NetTcpEstablished, Rfc5961SynGetsChallengeAck)
{
    send({ SYN, p(50), 0 });
    expect_emitted(ACK, u(1), p(1));
    send({ SYN, p(0), 0 }); // the old SYN again: not acceptable → plain ACK
    expect_emitted(ACK, u(1), p(1));
    EXPECT_EQ(conn->state(), TcpState::Established);
}

// RFC 5961 5.2: an ACK for data never sent is answered and the segment dropped.
TEST_F(NetTcpEstablished, Rfc5961AckOfUnsentDataIsDropped)
{
    send({ ACK, p(1), u(5000), 65535, pattern(10) });
    expect_emitted(ACK, u(1), p(1));
    EXPECT_EQ(conn->bytes_readable(), 0u);
}

TEST_F(NetTcpEstablished, SegmentWithoutAckIsDropped)
{
    send({ PSH, p(1), 0, 65535, pattern(10) });
    expect_nothing();
    EXPECT_EQ(conn->bytes_readable(), 0u);
}

// RFC 9293 3.8.4: keepalive probes <SEQ=SND.UNA-1>, then ETIMEDOUT.
TEST_F(NetTcpEstablished, Rfc9293KeepaliveProbesThenTimesOut)
{
    conn->set_keepalive_parameters({ Duration::seconds(10), Duration::seconds(1), 3 });
    conn->set_keepalive(host.now, true);
    Instant start = host.now;
    expect_nothing_until(start + ms(9999));
    host.run_until(start + Duration::seconds(10));
    expect_emitted(ACK, u(0), p(1));
    send({ ACK, p(1), u(1) }); // answered: the idle period restarts
    expect_nothing_until(host.now + ms(9999));
    host.advance(Duration::seconds(20));
    expect_emitted(ACK, u(0), p(1));
    expect_emitted(ACK, u(0), p(1));
    expect_emitted(ACK, u(0), p(1));
    expect_emitted(RST | ACK, u(1), p(1));
    EXPECT_EQ(conn->take_error(), static_cast<int>(Errno::TIMEDOUT));
}

TEST_F(NetTcpEstablished, PeerFinGivesEndOfStreamAfterTheData)
{
    send({ ACK | FIN, p(1), u(1), 65535, pattern(10) });
    expect_emitted(ACK, u(1), p(12));
    EXPECT_EQ(conn->state(), TcpState::CloseWait);
    EXPECT_NE(conn->events() & ev::RDHUP, 0u);
    EXPECT_EQ(read_all(conn), pattern(10));
    EXPECT_EQ(conn->receive(host.now, scratch(10)).value(), 0u);
    EXPECT_NE(conn->events() & ev::OUT, 0u); // half-closed: still writable
}

TEST_F(NetTcpEstablished, FinBeforeMissingDataWaits)
{
    send({ ACK | FIN, p(11), u(1), 65535, pattern(10) });
    expect_emitted(ACK, u(1), p(1));
    EXPECT_EQ(conn->state(), TcpState::Established);
    send({ ACK, p(1), u(1), 65535, pattern(10) });
    expect_emitted(ACK, u(1), p(21));
    send({ ACK | FIN, p(11), u(1), 65535, pattern(10) });
    expect_emitted(ACK, u(1), p(22));
    EXPECT_EQ(conn->state(), TcpState::CloseWait);
}

TEST_F(NetTcpEstablished, CloseWithUnreadDataResets)
{
    send({ ACK, p(1), u(1), 65535, pattern(10) });
    conn->close(host.now);
    expect_emitted(RST | ACK, u(1), p(11));
    EXPECT_EQ(host.stack->tcp_socket_count(), 1u); // only the listener
}

TEST_F(NetTcpEstablished, WindowScalingIsNegotiatedWhenOffered)
{
    peer_port = 40200;
    TcpOptions o = mss_option();
    o.window_scale = 3;
    send({ SYN, p(0), 0, 65535, {}, o });
    Parsed synack = next_segment();
    ASSERT_TRUE(synack.tcp);
    EXPECT_EQ(synack.tcp->options.window_scale, 1); // 64 KiB buffer needs scale 1
    uint32_t their = synack.tcp->seq.raw();
    send({ ACK, p(1), their + 1, 100 }); // 100 << 3 = 800 bytes
    TcpSocket* s = listener->accept().release_value();
    EXPECT_EQ(s->send_window(), 800u);
    EXPECT_EQ(s->send_window_scale(), 3);
    ASSERT_TRUE(s->send(host.now, pattern(2000)));
    expect_emitted(ACK, their + 1, p(1), 800);
    expect_nothing();
    // Our windows are scaled down by 1.
    send({ ACK, p(1), their + 801, 100, pattern(10) });
    host.advance(ms(40));
    Parsed ack = next_segment();
    ASSERT_TRUE(ack.tcp);
    // The right edge moved by 10 bytes only: receiver SWS avoidance keeps it.
    EXPECT_EQ(ack.tcp->window, (65535 - 10) >> 1);
    s->abort(host.now);
}

// --- CLOSE-WAIT and LAST-ACK ---

class NetTcpCloseWait : public NetTcpEstablished {
protected:
    NetTcpCloseWait()
    {
        send({ ACK | FIN, p(1), u(1) });
        Parsed f = next_segment();
        EXPECT_EQ(f.tcp ? f.tcp->ack.raw() : 0, p(2));
    }
};

TEST_F(NetTcpCloseWait, CanStillSend)
{
    EXPECT_EQ(conn->state(), TcpState::CloseWait);
    ASSERT_TRUE(conn->send(host.now, pattern(5)));
    expect_emitted(ACK | PSH, u(1), p(2), 5);
}

TEST_F(NetTcpCloseWait, Rfc9293RstResets)
{
    send({ RST, p(2), 0 });
    EXPECT_EQ(conn->take_error(), static_cast<int>(Errno::CONNRESET));
}

class NetTcpLastAck : public NetTcpCloseWait {
protected:
    NetTcpLastAck()
    {
        conn->close(host.now); // the handle is gone; the stack finishes the connection
        conn = nullptr;
        expect_emitted(ACK | FIN, u(1), p(2));
    }
};

TEST_F(NetTcpLastAck, AckOfFinCloses)
{
    EXPECT_EQ(host.stack->tcp_socket_count(), 2u);
    send({ ACK, p(2), u(2) });
    EXPECT_EQ(host.stack->tcp_socket_count(), 1u);
    expect_nothing();
    // The 4-tuple is free again: another segment gets a reset.
    send({ ACK, p(2), u(2) });
    expect_emitted(RST, u(2), std::nullopt);
}

TEST_F(NetTcpLastAck, FinIsRetransmitted)
{
    host.advance(ms(200));
    expect_emitted(ACK | FIN, u(1), p(2));
}

TEST_F(NetTcpLastAck, Rfc9293RstCloses)
{
    send({ RST, p(2), 0 });
    EXPECT_EQ(host.stack->tcp_socket_count(), 1u);
}

TEST_F(NetTcpLastAck, GivesUpAfterRetries)
{
    host.advance(Duration::seconds(7200));
    EXPECT_EQ(host.stack->tcp_socket_count(), 1u);
    EXPECT_EQ(host.stack->buffer_memory(), 0u);
}

// --- FIN-WAIT-1, FIN-WAIT-2, CLOSING, TIME-WAIT ---

class NetTcpFinWait1 : public NetTcpEstablished {
protected:
    NetTcpFinWait1()
    {
        EXPECT_TRUE(conn->shutdown(host.now, Shutdown::Write));
        expect_emitted(ACK | FIN, u(1), p(1));
    }
};

TEST_F(NetTcpFinWait1, StateAndWriteSideShut)
{
    EXPECT_EQ(conn->state(), TcpState::FinWait1);
    EXPECT_EQ(conn->send(host.now, pattern(1)).error(), Errno::PIPE);
}

TEST_F(NetTcpFinWait1, FinIsRetransmittedOnTimeout)
{
    host.advance(ms(200));
    expect_emitted(ACK | FIN, u(1), p(1));
}

TEST_F(NetTcpFinWait1, HalfCloseStillReceives)
{
    send({ ACK, p(1), u(1), 65535, pattern(30) });
    EXPECT_EQ(read_all(conn), pattern(30));
}

TEST_F(NetTcpFinWait1, Rfc9293RstResets)
{
    send({ RST, p(1), 0 });
    EXPECT_EQ(conn->take_error(), static_cast<int>(Errno::CONNRESET));
}

// RFC 9293 3.10.7.4 eighth: FIN together with the ACK of our FIN goes straight to
// TIME-WAIT.
TEST_F(NetTcpFinWait1, FinWithAckOfOurFinEntersTimeWait)
{
    send({ ACK | FIN, p(1), u(2) });
    expect_emitted(ACK, u(2), p(2));
    EXPECT_EQ(conn->state(), TcpState::TimeWait);
}

TEST_F(NetTcpFinWait1, AckOfFinMovesToFinWait2)
{
    send({ ACK, p(1), u(2) });
    EXPECT_EQ(conn->state(), TcpState::FinWait2);
}

// RFC 9293 3.6 figure 13: simultaneous close goes through CLOSING.
class NetTcpClosing : public NetTcpFinWait1 {
protected:
    NetTcpClosing()
    {
        send({ ACK | FIN, p(1), u(1) });
        expect_emitted(ACK, u(2), p(2));
    }
};

TEST_F(NetTcpClosing, SimultaneousCloseEndsInTimeWait)
{
    EXPECT_EQ(conn->state(), TcpState::Closing);
    send({ ACK, p(2), u(2) });
    EXPECT_EQ(conn->state(), TcpState::TimeWait);
}

TEST_F(NetTcpClosing, Rfc9293RstCloses)
{
    send({ RST, p(2), 0 });
    EXPECT_EQ(conn->state(), TcpState::Closed);
    EXPECT_EQ(conn->take_error(), 0);
}

class NetTcpFinWait2 : public NetTcpFinWait1 {
protected:
    NetTcpFinWait2() { send({ ACK, p(1), u(2) }); }
};

TEST_F(NetTcpFinWait2, Rfc9293RstResets)
{
    send({ RST, p(1), 0 });
    EXPECT_EQ(conn->take_error(), static_cast<int>(Errno::CONNRESET));
}

TEST_F(NetTcpFinWait2, OrphanTimesOut)
{
    conn->close(host.now);
    conn = nullptr;
    EXPECT_EQ(host.stack->tcp_socket_count(), 2u);
    host.advance(Duration::seconds(59));
    EXPECT_EQ(host.stack->tcp_socket_count(), 2u);
    host.advance(Duration::seconds(2));
    EXPECT_EQ(host.stack->tcp_socket_count(), 1u);
}

TEST_F(NetTcpFinWait2, DataAfterCloseResets)
{
    conn->close(host.now);
    conn = nullptr;
    send({ ACK, p(1), u(2), 65535, pattern(10) });
    expect_emitted(RST | ACK, u(2), p(1));
    EXPECT_EQ(host.stack->tcp_socket_count(), 1u);
}

class NetTcpTimeWait : public NetTcpFinWait2 {
protected:
    NetTcpTimeWait()
    {
        send({ ACK | FIN, p(1), u(2) });
        expect_emitted(ACK, u(2), p(2));
        entered = host.now;
    }
    Instant entered;
};

// RFC 9293 3.6: TIME-WAIT lasts 2*MSL (2 s in tests), then the connection is gone.
TEST_F(NetTcpTimeWait, LastsTwoMsl)
{
    EXPECT_EQ(conn->state(), TcpState::TimeWait);
    expect_nothing_until(entered + ms(1999));
    EXPECT_EQ(conn->state(), TcpState::TimeWait);
    host.run_until(entered + ms(2000));
    EXPECT_EQ(conn->state(), TcpState::Closed);
    EXPECT_EQ(conn->take_error(), 0);
}

TEST_F(NetTcpTimeWait, RetransmittedFinIsAckedAndRestartsTheTimer)
{
    host.advance(ms(1500));
    send({ ACK | FIN, p(1), u(2) });
    expect_emitted(ACK, u(2), p(2));
    host.run_until(entered + ms(3000));
    EXPECT_EQ(conn->state(), TcpState::TimeWait);
    host.run_until(entered + ms(3500));
    EXPECT_EQ(conn->state(), TcpState::Closed);
}

TEST_F(NetTcpTimeWait, Rfc5961SynGetsChallengeAck)
{
    send({ SYN, p(100), 0 });
    expect_emitted(ACK, u(2), p(2));
    EXPECT_EQ(conn->state(), TcpState::TimeWait);
}

TEST_F(NetTcpTimeWait, RstCloses)
{
    send({ RST, p(2), 0 });
    EXPECT_EQ(conn->state(), TcpState::Closed);
}

TEST_F(NetTcpTimeWait, OrphanIsFreedAfterTwoMsl)
{
    conn->close(host.now);
    conn = nullptr;
    EXPECT_EQ(host.stack->tcp_socket_count(), 2u);
    host.run_until(entered + ms(2000));
    EXPECT_EQ(host.stack->tcp_socket_count(), 1u);
    EXPECT_EQ(host.stack->buffer_memory(), 0u);
}

// --- SYN-SENT (active open) ---

class NetTcpSynSent : public TcpHarness {
protected:
    explicit NetTcpSynSent(StackConfig config = TestHost::default_config())
        : TcpHarness(config)
    {
        conn = host.stack->tcp_socket().release_value();
        EXPECT_TRUE(conn->connect(host.now, { IP_PEER, 80 }));
        our_port = conn->local_endpoint().port;
        peer_port = 80;
        Parsed f = next_segment();
        if (f.tcp) {
            syn = *f.tcp;
            iss = f.tcp->seq.raw();
        }
    }
    TcpSegment syn;
};

TEST_F(NetTcpSynSent, SynOffersMssAndWindowScale)
{
    EXPECT_EQ(syn.flags, SYN);
    EXPECT_EQ(syn.options.mss, 1460);
    EXPECT_EQ(syn.options.window_scale, 1);
    EXPECT_GE(our_port, EPHEMERAL_PORT_FIRST);
    EXPECT_EQ(conn->local_endpoint().address, IP_US);
    EXPECT_EQ(conn->state(), TcpState::SynSent);
    EXPECT_EQ(conn->events() & ev::OUT, 0u);
    EXPECT_EQ(conn->send(host.now, pattern(1)).error(), Errno::AGAIN);
    EXPECT_EQ(conn->remote_endpoint().error(), Errno::NOTCONN);
    EXPECT_EQ(conn->connect(host.now, { IP_PEER, 80 }).error(), Errno::ALREADY);
}

TEST_F(NetTcpSynSent, SynAckCompletesTheHandshake)
{
    TcpOptions o = mss_option(1000);
    o.window_scale = 2;
    send({ SYN | ACK, p(0), u(1), 1000, {}, o });
    expect_emitted(ACK, u(1), p(1));
    EXPECT_EQ(conn->state(), TcpState::Established);
    EXPECT_NE(conn->events() & ev::OUT, 0u);
    EXPECT_EQ(conn->mss(), 1000);
    EXPECT_EQ(conn->send_window(), 1000u); // not scaled in the SYN-ACK (RFC 7323 2.2)
    EXPECT_EQ(conn->remote_endpoint().value(), (Endpoint { IP_PEER, 80 }));
    ASSERT_TRUE(conn->send(host.now, pattern(10)));
    expect_emitted(ACK | PSH, u(1), p(1), 10);
}

TEST_F(NetTcpSynSent, NoScalingWhenThePeerDoesNotOfferIt)
{
    send({ SYN | ACK, p(0), u(1), 65535, {}, mss_option() });
    Parsed ack = expect_emitted(ACK, u(1), p(1));
    EXPECT_EQ(ack.tcp->window, 65535);
    EXPECT_EQ(conn->receive_window_scale(), 0);
}

// RFC 9293 3.10.7.3: RST with an acceptable ACK refuses the connection.
TEST_F(NetTcpSynSent, Rfc9293RstWithAckRefuses)
{
    send({ RST | ACK, 0, u(1) });
    EXPECT_EQ(conn->state(), TcpState::Closed);
    EXPECT_NE(conn->events() & ev::ERR, 0u);
    EXPECT_NE(conn->events() & ev::HUP, 0u);
    EXPECT_EQ(conn->take_error(), static_cast<int>(Errno::CONNREFUSED));
    expect_nothing();
}

TEST_F(NetTcpSynSent, Rfc9293RstWithoutAckIsIgnored)
{
    send({ RST, 0, 0 });
    send({ RST | ACK, 0, u(5) }); // unacceptable ACK
    EXPECT_EQ(conn->state(), TcpState::SynSent);
}

TEST_F(NetTcpSynSent, Rfc9293BadAckGetsReset)
{
    send({ SYN | ACK, p(0), u(7) });
    expect_emitted(RST, u(7), std::nullopt);
    EXPECT_EQ(conn->state(), TcpState::SynSent);
}

// RFC 9293 3.5 figure 8: simultaneous open.
TEST_F(NetTcpSynSent, SimultaneousOpen)
{
    send({ SYN, p(0), 0, 65535, {}, mss_option() });
    expect_emitted(SYN | ACK, u(0), p(1));
    EXPECT_EQ(conn->state(), TcpState::SynReceived);
    send({ SYN | ACK, p(0), u(1), 65535, {}, mss_option() });
    // Their SYN-ACK repeats the SYN we already have: acknowledged, and it acks ours.
    EXPECT_EQ(conn->state(), TcpState::Established);
}

TEST_F(NetTcpSynSent, SynIsRetriedThenTimesOut)
{
    Instant start = host.now;
    expect_nothing_until(start + ms(999));
    host.run_until(start + ms(1000));
    expect_emitted(SYN, u(0));
    host.run_until(start + ms(3000));
    expect_emitted(SYN, u(0));
    host.advance(Duration::seconds(600));
    size_t more = 0;
    while (host.next_frame())
        ++more;
    EXPECT_EQ(more + 2, host.stack->config().tcp.syn_retries);
    EXPECT_EQ(conn->take_error(), static_cast<int>(Errno::TIMEDOUT));
}

TEST_F(NetTcpSynSent, CloseAbandonsTheAttempt)
{
    conn->close(host.now);
    conn = nullptr;
    EXPECT_EQ(host.stack->tcp_socket_count(), 0u);
    send({ SYN | ACK, p(0), u(1) });
    expect_emitted(RST, u(1), std::nullopt);
}

class NetTcpActiveEstablished : public NetTcpSynSent {
protected:
    NetTcpActiveEstablished()
    {
        send({ SYN | ACK, p(0), u(1), 65535, {}, mss_option() });
        expect_emitted(ACK, u(1), p(1));
    }
};

TEST_F(NetTcpActiveEstablished, ActiveCloseFullSequence)
{
    ASSERT_TRUE(conn->send(host.now, pattern(10)));
    expect_emitted(ACK | PSH, u(1), p(1), 10);
    conn->close(host.now);
    conn = nullptr;
    expect_emitted(ACK | FIN, u(11), p(1)); // the FIN follows the data at once
    send({ ACK, p(1), u(12) });
    send({ ACK | FIN, p(1), u(12) });
    expect_emitted(ACK, u(12), p(2));
    EXPECT_EQ(host.stack->tcp_socket_count(), 1u);
    host.advance(Duration::seconds(2));
    EXPECT_EQ(host.stack->tcp_socket_count(), 0u);
    EXPECT_EQ(host.stack->buffer_memory(), 0u);
}

TEST_F(NetTcpActiveEstablished, AbortSendsReset)
{
    conn->abort(host.now);
    conn = nullptr;
    expect_emitted(RST | ACK, u(1), p(1));
    EXPECT_EQ(host.stack->tcp_socket_count(), 0u);
}

TEST_F(NetTcpActiveEstablished, ShutdownReadGivesEof)
{
    ASSERT_TRUE(conn->shutdown(host.now, Shutdown::Read));
    EXPECT_EQ(conn->receive(host.now, scratch(4)).value(), 0u);
    EXPECT_NE(conn->events() & ev::RDHUP, 0u);
}

// --- Sockets API and loopback ---

TEST(NetTcpApi, BindConflictsAndReuse)
{
    TestHost host;
    TcpSocket* a = host.stack->tcp_socket().release_value();
    ASSERT_TRUE(a->bind({ Ipv4Address::any(), 8080 }));
    ASSERT_TRUE(a->listen(16));
    TcpSocket* b = host.stack->tcp_socket().release_value();
    EXPECT_EQ(b->bind({ Ipv4Address::any(), 8080 }).error(), Errno::ADDRINUSE);
    b->set_reuse_address(true);
    EXPECT_EQ(b->bind({ IP_US, 8080 }).error(), Errno::ADDRINUSE); // never beside a listener
    EXPECT_EQ(b->bind({ Ipv4Address(1, 2, 3, 4), 8081 }).error(), Errno::ADDRNOTAVAIL);
    ASSERT_TRUE(b->bind({ Ipv4Address::any(), 0 }));
    EXPECT_GE(b->local_endpoint().port, EPHEMERAL_PORT_FIRST);
    EXPECT_EQ(a->accept().error(), Errno::AGAIN);
    EXPECT_EQ(b->accept().error(), Errno::INVAL);
    EXPECT_EQ(b->receive(host.now, scratch(1)).error(), Errno::NOTCONN);
    EXPECT_EQ(b->send(host.now, Bytes(1)).error(), Errno::NOTCONN);
    EXPECT_EQ(b->remote_endpoint().error(), Errno::NOTCONN);
    // Linux reports OUT|HUP for a fresh socket.
    EXPECT_EQ(b->events(), ev::OUT | ev::HUP);
    a->close(host.now);
    b->close(host.now);
    EXPECT_EQ(host.stack->tcp_socket_count(), 0u);
}

TEST(NetTcpApi, ConnectWithoutRouteFails)
{
    TestHost host;
    host.stack->set_address(*host.eth, { IP_US, NETMASK_24, Ipv4Address::any() });
    TcpSocket* s = host.stack->tcp_socket().release_value();
    EXPECT_EQ(s->connect(host.now, { IP_FAR, 80 }).error(), Errno::NETUNREACH);
    s->close(host.now);
}

TEST(NetTcpLoopback, ConnectTransferAndCloseWithinOneStack)
{
    TestHost host;
    TcpSocket* server = host.stack->tcp_socket().release_value();
    ASSERT_TRUE(server->bind({ Ipv4Address::loopback(), 7000 }));
    ASSERT_TRUE(server->listen(4));
    TcpSocket* client = host.stack->tcp_socket().release_value();
    ASSERT_TRUE(client->connect(host.now, { Ipv4Address::loopback(), 7000 }));
    // Loopback packets are delivered before connect() returns to the caller.
    EXPECT_EQ(client->state(), TcpState::Established);
    TcpSocket* accepted = server->accept().release_value();
    EXPECT_EQ(accepted->remote_endpoint().value(), client->local_endpoint());
    EXPECT_EQ(accepted->mss(), LOOPBACK_MTU - 40);

    Bytes data = pattern(300000);
    size_t sent = 0;
    Bytes received;
    Bytes buffer(70000);
    for (int round = 0; round < 10000 && received.size() < data.size(); ++round) {
        if (sent < data.size()) {
            auto n = client->send(host.now, std::span(data).subspan(sent));
            if (n)
                sent += n.value();
        }
        auto r = accepted->receive(host.now, buffer);
        if (r)
            received.insert(received.end(), buffer.begin(), buffer.begin() + r.value());
        host.advance(ms(1));
    }
    EXPECT_EQ(received, data);
    EXPECT_EQ(host.pending_frames(), 0u); // nothing on the Ethernet wire

    client->close(host.now);
    EXPECT_EQ(accepted->receive(host.now, buffer).value(), 0u);
    accepted->close(host.now);
    server->close(host.now);
    host.advance(Duration::seconds(3));
    EXPECT_EQ(host.stack->tcp_socket_count(), 0u);
    EXPECT_EQ(host.stack->buffer_memory(), 0u);
}

TEST(NetTcpLoopback, ConnectToClosedPortIsRefused)
{
    TestHost host;
    TcpSocket* client = host.stack->tcp_socket().release_value();
    ASSERT_TRUE(client->connect(host.now, { Ipv4Address::loopback(), 7001 }));
    EXPECT_EQ(client->state(), TcpState::Closed);
    EXPECT_EQ(client->take_error(), static_cast<int>(Errno::CONNREFUSED));
    client->close(host.now);
}

TEST(NetTcpLoopback, ConnectToOwnAddressUsesLoopback)
{
    TestHost host;
    TcpSocket* server = host.stack->tcp_socket().release_value();
    ASSERT_TRUE(server->bind({ Ipv4Address::any(), 7002 }));
    ASSERT_TRUE(server->listen(4));
    TcpSocket* client = host.stack->tcp_socket().release_value();
    ASSERT_TRUE(client->connect(host.now, { IP_US, 7002 }));
    EXPECT_EQ(client->state(), TcpState::Established);
    EXPECT_EQ(client->local_endpoint().address, IP_US);
    EXPECT_EQ(host.pending_frames(), 0u);
    client->abort(host.now);
    server->close(host.now);
}

} // namespace
