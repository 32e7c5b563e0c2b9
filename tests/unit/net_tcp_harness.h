#pragma once

// A scripted TCP peer for state-machine tests: the stack under test is 10.0.0.1, the
// peer 10.0.0.2 with a fixed ISS; `send` injects a segment, `expect_emitted` checks the
// next one the stack sent, `expect_nothing_until` runs timers up to a time and checks
// that nothing went out. Sequence numbers are written relative to the two ISSs.

#include <gtest/gtest.h>

#include <source_location>

#include "net_test_util.h"

namespace kiln::net::test {

struct Seg {
    Seg(uint8_t flags_, uint32_t seq_, uint32_t ack_, uint16_t window_ = 65535, Bytes data_ = {},
        TcpOptions options_ = {})
        : flags(flags_)
        , seq(seq_)
        , ack(ack_)
        , window(window_)
        , data(std::move(data_))
        , options(options_)
    {
    }
    uint8_t flags;
    uint32_t seq;
    uint32_t ack;
    uint16_t window;
    Bytes data;
    TcpOptions options;
};

class TcpHarness : public ::testing::Test {
protected:
    static constexpr uint32_t PEER_ISS = 1000;

    explicit TcpHarness(StackConfig config = TestHost::default_config())
        : host(7, config)
    {
        EXPECT_TRUE(host.stack->add_static_neighbor(*host.eth, IP_PEER, MAC_PEER));
    }

    // Peer-relative and our-relative sequence numbers.
    uint32_t p(uint32_t n) const { return PEER_ISS + n; }
    uint32_t u(uint32_t n) const { return iss + n; }

    void send(const Seg& s)
    {
        TcpSegment t;
        t.source_port = peer_port;
        t.destination_port = our_port;
        t.seq = SeqNumber(s.seq);
        t.ack = SeqNumber(s.ack);
        t.flags = s.flags;
        t.window = s.window;
        t.options = s.options;
        host.receive(ip_frame(ip_header(IP_PEER, IP_US, IP_PROTOCOL_TCP), tcp_bytes(IP_PEER, IP_US, t, s.data)));
    }

    // The next frame must be a TCP segment of this connection.
    Parsed next_segment(std::source_location where = std::source_location::current())
    {
        auto f = host.next_frame();
        if (!f || !f->tcp) {
            ADD_FAILURE() << "line " << where.line() << ": expected a TCP segment, got "
                          << (f ? "another frame" : "nothing");
            return Parsed {};
        }
        EXPECT_EQ(f->ip->destination, IP_PEER);
        EXPECT_TRUE(f->ip->dont_fragment);
        EXPECT_EQ(f->tcp->source_port, our_port);
        EXPECT_EQ(f->tcp->destination_port, peer_port);
        return *f;
    }

    Parsed expect_emitted(uint8_t flags, uint32_t seq, std::optional<uint32_t> ack = std::nullopt,
        std::optional<size_t> length = 0, std::source_location where = std::source_location::current())
    {
        Parsed f = next_segment(where);
        if (!f.tcp) {
            f.tcp = TcpSegment {}; // callers may look at fields; the failure is reported
            return f;
        }
        EXPECT_EQ(f.tcp->flags, flags) << "line " << where.line() << ": flags";
        EXPECT_EQ(f.tcp->seq.raw(), seq) << "line " << where.line() << ": seq";
        if (ack) {
            EXPECT_EQ(f.tcp->ack.raw(), *ack) << "line " << where.line() << ": ack";
        }
        if (length) {
            EXPECT_EQ(f.tcp->payload.size(), *length) << "line " << where.line() << ": payload length";
        }
        return f;
    }

    void expect_nothing(std::source_location where = std::source_location::current())
    {
        EXPECT_EQ(host.pending_frames(), 0u) << "line " << where.line() << ": unexpected frame";
    }
    void expect_nothing_until(Instant t, std::source_location where = std::source_location::current())
    {
        host.run_until(t);
        EXPECT_EQ(host.pending_frames(), 0u) << "line " << where.line() << ": frame before the deadline";
    }
    std::span<uint8_t> scratch(size_t n)
    {
        m_scratch.assign(n, 0);
        return m_scratch;
    }
    Bytes m_scratch;
    Bytes read_all(TcpSocket* s)
    {
        Bytes out;
        Bytes buffer(65536);
        for (;;) {
            auto r = s->receive(host.now, buffer);
            if (!r || r.value() == 0)
                break;
            out.insert(out.end(), buffer.begin(), buffer.begin() + r.value());
        }
        return out;
    }

    TestHost host;
    uint32_t iss = 0;
    uint16_t our_port = 80;
    uint16_t peer_port = 40000;
    TcpSocket* listener = nullptr;
    TcpSocket* conn = nullptr;
};

} // namespace kiln::net::test
