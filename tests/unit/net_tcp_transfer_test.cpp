// End to end: two stacks joined by a fake link that drops, duplicates and reorders
// frames (seeded, so every run is the same), moving megabytes both ways at once; the
// bytes must arrive intact and in order, and everything must be freed at the end.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "net_test_util.h"

using namespace kiln;
using namespace kiln::net;
using namespace kiln::net::test;

namespace {

size_t first_difference(const Bytes& a, const Bytes& b)
{
    size_t n = std::min(a.size(), b.size());
    for (size_t i = 0; i < n; ++i)
        if (a[i] != b[i])
            return i;
    return n;
}

struct LinkFaults {
    double loss = 0;
    double duplicate = 0;
    Duration delay = Duration::milliseconds(5);
    Duration jitter = Duration::milliseconds(0); // uniform extra delay: reorders
    double bit_flip = 0; // corrupt a byte (checksums must catch it)
};

// One direction of the link: frames in flight, ordered by delivery time.
class FaultyWire {
public:
    FaultyWire(uint64_t seed, LinkFaults faults)
        : m_random(seed)
        , m_faults(faults)
    {
    }
    static bool transmit(void* context, std::span<const uint8_t> frame)
    {
        static_cast<FaultyWire*>(context)->push(Bytes(frame.begin(), frame.end()));
        return true;
    }
    void push(Bytes frame)
    {
        ++transmitted;
        bool lost = chance(m_faults.loss);
        if (std::getenv("NET_TRACE")) {
            Parsed p = parse_frame(frame);
            if (p.tcp)
                std::fprintf(stderr, "%8ld %s %u>%u seq %u ack %u len %zu flags %02x win %u%s\n",
                    static_cast<long>(now.ns / 1000000), name, p.tcp->source_port, p.tcp->destination_port,
                    p.tcp->seq.raw(), p.tcp->ack.raw(), p.tcp->payload.size(), p.tcp->flags, p.tcp->window,
                    lost ? " LOST" : "");
        }
        if (lost)
            return;
        int copies = chance(m_faults.duplicate) ? 2 : 1;
        for (int i = 0; i < copies; ++i) {
            Bytes copy = frame;
            if (chance(m_faults.bit_flip) && copy.size() > 14)
                copy[14 + m_random() % (copy.size() - 14)] ^= static_cast<uint8_t>(1u << (m_random() % 8));
            int64_t jitter = m_faults.jitter.ns ? static_cast<int64_t>(m_random() % static_cast<uint64_t>(m_faults.jitter.ns)) : 0;
            m_queue.emplace(now + m_faults.delay + Duration::nanoseconds(jitter), std::move(copy));
        }
    }
    Instant next() const { return m_queue.empty() ? Instant::never() : m_queue.begin()->first; }
    // Delivers every frame due at `at`.
    void deliver(Instant at, Stack& to, Interface& interface)
    {
        while (!m_queue.empty() && m_queue.begin()->first <= at) {
            Bytes frame = std::move(m_queue.begin()->second);
            m_queue.erase(m_queue.begin());
            to.receive(at, interface, frame);
        }
    }
    Instant now;
    size_t transmitted = 0;
    const char* name = "";

private:
    bool chance(double p) { return p > 0 && (m_random() % 1000000) < p * 1000000; }
    std::mt19937_64 m_random;
    LinkFaults m_faults;
    std::multimap<Instant, Bytes> m_queue;
};

struct Side {
    Side(uint64_t seed, MacAddress mac, Ipv4Address address, FaultyWire& out, StackConfig config)
        : random(seed)
    {
        config.random = random.source();
        stack = Stack::try_create(config).release_value();
        eth = stack->add_ethernet(mac, 1500, &FaultyWire::transmit, &out).release_value();
        stack->set_address(*eth, { address, NETMASK_24, Ipv4Address::any() });
    }
    ~Side() { Stack::destroy(stack); }
    SeededRandom random;
    Stack* stack;
    Interface* eth;
};

// A bidirectional bulk transfer, driven like an event loop: run the application
// (write what fits, read what arrived), then jump to the next event (a frame's
// delivery or a stack timer).
struct Transfer {
    Transfer(uint64_t seed, LinkFaults faults, size_t bytes, StackConfig config = TestHost::default_config())
        : a_to_b(seed * 3 + 1, faults)
        , b_to_a(seed * 3 + 2, faults)
        , a(seed * 3 + 3, MAC_US, IP_US, a_to_b, config)
        , b(seed * 3 + 4, MAC_PEER, IP_PEER, b_to_a, config)
        , data_a(pattern(bytes, static_cast<uint32_t>(seed)))
        , data_b(pattern(bytes, static_cast<uint32_t>(seed) + 100))
    {
        a_to_b.name = "A>B";
        b_to_a.name = "B>A";
        EXPECT_TRUE(a.stack->add_static_neighbor(*a.eth, IP_PEER, MAC_PEER));
        EXPECT_TRUE(b.stack->add_static_neighbor(*b.eth, IP_US, MAC_US));
    }

    // Returns the simulated time the transfer took.
    Duration run(Duration limit)
    {
        TcpSocket* listener = b.stack->tcp_socket().release_value();
        EXPECT_TRUE(listener->bind({ Ipv4Address::any(), 9000 }));
        EXPECT_TRUE(listener->listen(4));
        TcpSocket* client = a.stack->tcp_socket().release_value();
        Instant start = now;
        set_now(now);
        EXPECT_TRUE(client->connect(now, { IP_PEER, 9000 }));
        TcpSocket* server = nullptr;
        Bytes buffer(32768);
        bool a_closed = false;
        bool b_closed = false;
        size_t sent_a = 0, sent_b = 0;
        Bytes got_a, got_b; // got_a: what A received (B's data)
        bool a_eof = false, b_eof = false;
        Instant deadline = start + limit;
        for (size_t iteration = 0; iteration < 20000000 && now < deadline; ++iteration) {
            set_now(now);
            if (!server) {
                auto accepted = listener->accept();
                if (accepted)
                    server = accepted.value();
            }
            // Application: A writes data_a, reads into got_a; B mirrors.
            if (client->state() == TcpState::Established || client->state() == TcpState::CloseWait) {
                while (sent_a < data_a.size()) {
                    auto n = client->send(now, std::span(data_a).subspan(sent_a, std::min<size_t>(20000, data_a.size() - sent_a)));
                    if (!n)
                        break;
                    sent_a += n.value();
                }
                if (sent_a == data_a.size() && !a_closed) {
                    EXPECT_TRUE(client->shutdown(now, Shutdown::Write));
                    a_closed = true;
                }
            }
            for (;;) {
                auto r = client->receive(now, buffer);
                if (!r && r.error() != Errno::AGAIN)
                    ADD_FAILURE() << "client error " << errno_name(r.error()) << " at " << (now - start).to_milliseconds();
                if (!r || r.value() == 0) {
                    if (r && r.value() == 0)
                        a_eof = true;
                    break;
                }
                got_a.insert(got_a.end(), buffer.begin(), buffer.begin() + r.value());
            }
            if (server) {
                while (sent_b < data_b.size()) {
                    auto n = server->send(now, std::span(data_b).subspan(sent_b, std::min<size_t>(20000, data_b.size() - sent_b)));
                    if (!n)
                        break;
                    sent_b += n.value();
                }
                if (sent_b == data_b.size() && !b_closed && (server->state() == TcpState::Established || server->state() == TcpState::CloseWait)) {
                    EXPECT_TRUE(server->shutdown(now, Shutdown::Write));
                    b_closed = true;
                }
                for (;;) {
                    auto r = server->receive(now, buffer);
                    if (!r && r.error() != Errno::AGAIN)
                        ADD_FAILURE() << "server error " << errno_name(r.error()) << " at " << (now - start).to_milliseconds();
                    if (!r || r.value() == 0) {
                        if (r && r.value() == 0)
                            b_eof = true;
                        break;
                    }
                    got_b.insert(got_b.end(), buffer.begin(), buffer.begin() + r.value());
                }
            }
            if (a_eof && b_eof)
                break;
            // Next event.
            Instant next = std::min({ a_to_b.next(), b_to_a.next(), a.stack->poll_at(), b.stack->poll_at() });
            if (next.is_never())
                break;
            if (next > now)
                now = next;
            set_now(now);
            a_to_b.deliver(now, *b.stack, *b.eth);
            b_to_a.deliver(now, *a.stack, *a.eth);
            if (a.stack->poll_at() <= now)
                a.stack->poll(now);
            if (b.stack->poll_at() <= now)
                b.stack->poll(now);
        }
        EXPECT_TRUE(a_eof) << "A never saw B's FIN; client " << tcp_state_name(client->state()) << " error "
                           << client->take_error() << ", server "
                           << (server ? tcp_state_name(server->state()) : "none") << " error "
                           << (server ? server->take_error() : 0) << ", at " << (now - start).to_milliseconds() << " ms";
        EXPECT_TRUE(b_eof) << "B never saw A's FIN";
        EXPECT_EQ(got_b.size(), data_a.size());
        EXPECT_EQ(got_a.size(), data_b.size());
        EXPECT_TRUE(got_b == data_a) << "A→B bytes differ at " << first_difference(got_b, data_a);
        EXPECT_TRUE(got_a == data_b) << "B→A bytes differ at " << first_difference(got_a, data_b);
        Duration took = now - start;

        // Close everything and let TIME_WAIT and the links drain: nothing may leak.
        client->close(now);
        if (server)
            server->close(now);
        listener->close(now);
        for (int i = 0; i < 100000; ++i) {
            Instant next = std::min({ a_to_b.next(), b_to_a.next(), a.stack->poll_at(), b.stack->poll_at() });
            if (next.is_never())
                break;
            now = std::max(now, next);
            set_now(now);
            a_to_b.deliver(now, *b.stack, *b.eth);
            b_to_a.deliver(now, *a.stack, *a.eth);
            a.stack->poll(now);
            b.stack->poll(now);
        }
        EXPECT_EQ(a.stack->tcp_socket_count(), 0u);
        EXPECT_EQ(b.stack->tcp_socket_count(), 0u);
        EXPECT_EQ(a.stack->buffer_memory(), 0u);
        EXPECT_EQ(b.stack->buffer_memory(), 0u);
        return took;
    }
    void set_now(Instant t)
    {
        a_to_b.now = t;
        b_to_a.now = t;
    }

    Instant now = at_ms(1000);
    FaultyWire a_to_b;
    FaultyWire b_to_a;
    Side a;
    Side b;
    Bytes data_a;
    Bytes data_b;
};

} // namespace

TEST(NetTcpTransfer, CleanLinkMovesDataBothWays)
{
    Transfer t(1, {}, 2 * 1024 * 1024);
    Duration took = t.run(Duration::seconds(600));
    // 2 MiB each way over a 10 ms RTT with 64 KiB windows: about 32 RTTs plus slow start.
    EXPECT_LT(took, Duration::seconds(3));
    EXPECT_EQ(t.a.stack->stats().tcp_retransmits, 0u);
}

TEST(NetTcpTransfer, TenMegabytesBothWaysThroughLossDuplicationAndReordering)
{
    LinkFaults faults;
    faults.loss = 0.02;
    faults.duplicate = 0.01;
    faults.jitter = Duration::milliseconds(4);
    Transfer t(2, faults, 10 * 1024 * 1024);
    t.run(Duration::seconds(3600));
    EXPECT_GT(t.a.stack->stats().tcp_retransmits, 0u);
    EXPECT_GT(t.b.stack->stats().tcp_retransmits, 0u);
}

TEST(NetTcpTransfer, SurvivesHeavyLossAndCorruption)
{
    LinkFaults faults;
    faults.loss = 0.15;
    faults.duplicate = 0.05;
    faults.jitter = Duration::milliseconds(20);
    faults.bit_flip = 0.02;
    Transfer t(3, faults, 256 * 1024);
    t.run(Duration::seconds(3600));
    EXPECT_GT(t.a.stack->stats().tcp_bad + t.b.stack->stats().tcp_bad + t.a.stack->stats().ip_bad
            + t.b.stack->stats().ip_bad,
        0u);
}

TEST(NetTcpTransfer, ManySeedsOfModerateFaults)
{
    for (uint64_t seed = 10; seed < 20; ++seed) {
        SCOPED_TRACE(seed);
        LinkFaults faults;
        faults.loss = 0.05;
        faults.duplicate = 0.02;
        faults.jitter = Duration::milliseconds(8);
        Transfer t(seed, faults, 64 * 1024 + seed * 1000);
        t.run(Duration::seconds(3600));
    }
}

TEST(NetTcpTransfer, TinyBuffersStillFlow)
{
    StackConfig config = TestHost::default_config();
    config.tcp.receive_buffer = 2048;
    config.tcp.send_buffer = 2048;
    LinkFaults faults;
    faults.loss = 0.03;
    faults.jitter = Duration::milliseconds(3);
    Transfer t(4, faults, 200 * 1024, config);
    t.run(Duration::seconds(3600));
}

TEST(NetTcpTransfer, ManySeedsOfHeavyFaults)
{
    int seeds = std::getenv("NET_SEEDS") ? std::atoi(std::getenv("NET_SEEDS")) : 12;
    for (int seed = 100; seed < 100 + seeds; ++seed) {
        SCOPED_TRACE(seed);
        LinkFaults faults;
        faults.loss = 0.05 + (seed % 5) * 0.04;
        faults.duplicate = 0.05;
        faults.jitter = Duration::milliseconds(1 + seed % 30);
        faults.bit_flip = 0.01;
        StackConfig config = TestHost::default_config();
        if (seed % 3 == 0) {
            config.tcp.receive_buffer = 3000 + seed * 7;
            config.tcp.send_buffer = 2500 + seed * 11;
        }
        Transfer t(static_cast<uint64_t>(seed), faults, 30000 + static_cast<size_t>(seed) * 997, config);
        t.run(Duration::seconds(36000));
        if (::testing::Test::HasFailure())
            break;
    }
}
