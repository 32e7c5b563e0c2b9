// The DHCP client (RFC 2131) against a scripted server playing QEMU's slirp:
// 10.0.2.15/24, router 10.0.2.2, DNS 10.0.2.3.

#include <gtest/gtest.h>

#include "net/dhcp_client.h"
#include "net/wire/dhcp.h"
#include "net_test_util.h"

using namespace kiln;
using namespace kiln::net;
using namespace kiln::net::test;

namespace {

const Ipv4Address SERVER { 10, 0, 2, 2 };
const Ipv4Address OFFERED { 10, 0, 2, 15 };
const Ipv4Address DNS { 10, 0, 2, 3 };
const MacAddress SERVER_MAC { { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 } };

class NetDhcpTest : public ::testing::Test {
protected:
    NetDhcpTest()
        : host(5, TestHost::default_config(), MAC_US, IP_US)
    {
        host.stack->set_address(*host.eth, {}); // unconfigured, as at boot
        DhcpOptions options;
        options.context = this;
        options.lease_changed = [](void* context, const DhcpLease* lease) {
            auto* self = static_cast<NetDhcpTest*>(context);
            ++self->changes;
            self->last_lease = lease ? std::optional<DhcpLease>(*lease) : std::nullopt;
        };
        client = DhcpClient::try_create(*host.stack, *host.eth, options).release_value();
    }
    ~NetDhcpTest() override { DhcpClient::destroy(client); }

    // The next frame must be a DHCP request from the client; returns it.
    DhcpMessage expect_client_message(DhcpMessageType type)
    {
        auto f = host.next_frame();
        EXPECT_TRUE(f && f->udp) << "expected a DHCP message";
        if (!f || !f->udp)
            return {};
        EXPECT_TRUE(f->ethernet.destination.is_broadcast());
        EXPECT_EQ(f->ip->destination, Ipv4Address::broadcast());
        EXPECT_EQ(f->udp->source_port, DHCP_CLIENT_PORT);
        EXPECT_EQ(f->udp->destination_port, DHCP_SERVER_PORT);
        auto m = parse_dhcp(f->udp_payload);
        EXPECT_TRUE(m);
        if (!m)
            return {};
        EXPECT_EQ(m->type, type);
        EXPECT_EQ(m->op, 1);
        EXPECT_EQ(m->client_mac, MAC_US);
        return *m;
    }

    void reply(const DhcpMessage& request, DhcpMessageType type, uint32_t lease = 86400, bool unicast = false)
    {
        DhcpMessage m;
        m.op = 2;
        m.xid = request.xid;
        m.client_mac = request.client_mac;
        m.type = type;
        if (type != DhcpMessageType::Nak) {
            m.your_address = OFFERED;
            m.subnet_mask = Ipv4Address(255, 255, 255, 0);
            m.router = SERVER;
            m.dns[0] = DNS;
            m.dns_count = 1;
            m.lease_seconds = lease;
        }
        m.server_identifier = SERVER;
        Bytes payload(DHCP_MAX_EMIT_SIZE + 64);
        payload.resize(emit_dhcp(m, payload));
        Ipv4Address to = unicast ? OFFERED : Ipv4Address::broadcast();
        host.receive(ip_frame(ip_header(SERVER, to, IP_PROTOCOL_UDP),
            udp_bytes(SERVER, to, DHCP_SERVER_PORT, DHCP_CLIENT_PORT, payload), unicast ? MAC_US : MacAddress::broadcast(),
            SERVER_MAC));
        client->poll(host.now);
    }

    void step(Duration d)
    {
        Instant until = host.now + d;
        for (int i = 0; i < 1000; ++i) {
            Instant next = earliest(client->poll_at(), host.stack->poll_at());
            if (next > until)
                break;
            host.now = next > host.now ? next : host.now;
            host.stack->poll(host.now);
            client->poll(host.now);
        }
        host.now = until;
    }

    TestHost host;
    DhcpClient* client = nullptr;
    int changes = 0;
    std::optional<DhcpLease> last_lease;
};

} // namespace

TEST_F(NetDhcpTest, DiscoverOfferRequestAckConfiguresTheInterface)
{
    ASSERT_TRUE(client->start(host.now));
    DhcpMessage discover = expect_client_message(DhcpMessageType::Discover);
    EXPECT_EQ(client->state(), DhcpState::Selecting);
    reply(discover, DhcpMessageType::Offer, 86400, /*unicast=*/true); // slirp may unicast
    DhcpMessage request = expect_client_message(DhcpMessageType::Request);
    // RFC 2131 4.3.2: requested address and server identifier, same xid.
    EXPECT_EQ(request.xid, discover.xid);
    EXPECT_EQ(request.requested_address, OFFERED);
    EXPECT_EQ(request.server_identifier, SERVER);
    EXPECT_TRUE(request.client_address.is_any());
    reply(request, DhcpMessageType::Ack);
    EXPECT_EQ(client->state(), DhcpState::Bound);
    ASSERT_TRUE(client->lease());
    EXPECT_EQ(client->lease()->address, OFFERED);
    EXPECT_EQ(client->lease()->gateway, SERVER);
    EXPECT_EQ(client->lease()->dns_count, 1);
    EXPECT_EQ(client->lease()->dns[0], DNS);
    EXPECT_EQ(client->lease()->lease_time, Duration::seconds(86400));
    EXPECT_EQ(host.eth->address().address, OFFERED);
    EXPECT_EQ(host.eth->address().netmask, Ipv4Address(255, 255, 255, 0));
    EXPECT_EQ(host.eth->address().gateway, SERVER);
    EXPECT_EQ(changes, 1);
    // The stack now routes through the new gateway.
    auto route = host.stack->route(IP_FAR);
    ASSERT_TRUE(route);
    EXPECT_EQ(route->next_hop, SERVER);
    EXPECT_EQ(route->source, OFFERED);
}

// RFC 2131 4.1: retransmission with exponential backoff (first timeout 2 s here).
TEST_F(NetDhcpTest, DiscoverIsRetransmittedWithBackoff)
{
    Instant start = host.now;
    ASSERT_TRUE(client->start(host.now));
    expect_client_message(DhcpMessageType::Discover);
    for (int i = 0; i < 4; ++i) {
        step(Duration::seconds(40));
        while (host.pending_frames()) {
            expect_client_message(DhcpMessageType::Discover);
        }
    }
    // Reconstruct the gaps from the client's schedule: ~2, ~4, ~8, ~16, ~32, ~64 s (±1 s).
    EXPECT_GE(client->transmissions(), 5u);
    EXPECT_LE(client->transmissions(), 7u);
    (void)start;
}

TEST_F(NetDhcpTest, IgnoresRepliesForOtherTransactions)
{
    ASSERT_TRUE(client->start(host.now));
    DhcpMessage discover = expect_client_message(DhcpMessageType::Discover);
    DhcpMessage other = discover;
    other.xid ^= 1;
    reply(other, DhcpMessageType::Offer);
    EXPECT_EQ(host.pending_frames(), 0u);
    EXPECT_EQ(client->state(), DhcpState::Selecting);
}

TEST_F(NetDhcpTest, NakRestartsDiscovery)
{
    ASSERT_TRUE(client->start(host.now));
    DhcpMessage discover = expect_client_message(DhcpMessageType::Discover);
    reply(discover, DhcpMessageType::Offer);
    DhcpMessage request = expect_client_message(DhcpMessageType::Request);
    reply(request, DhcpMessageType::Nak);
    DhcpMessage again = expect_client_message(DhcpMessageType::Discover);
    EXPECT_NE(again.xid, discover.xid);
    EXPECT_FALSE(client->lease());
}

TEST_F(NetDhcpTest, UnansweredRequestsFallBackToDiscover)
{
    ASSERT_TRUE(client->start(host.now));
    DhcpMessage discover = expect_client_message(DhcpMessageType::Discover);
    reply(discover, DhcpMessageType::Offer);
    expect_client_message(DhcpMessageType::Request);
    bool rediscovered = false;
    for (int i = 0; i < 10 && !rediscovered; ++i) {
        step(Duration::seconds(70));
        while (auto f = host.next_frame()) {
            auto m = parse_dhcp(f->udp_payload);
            if (m && m->type == DhcpMessageType::Discover)
                rediscovered = true;
        }
    }
    EXPECT_TRUE(rediscovered);
}

TEST_F(NetDhcpTest, RenewsAtT1AndLosesTheLeaseAtExpiry)
{
    ASSERT_TRUE(client->start(host.now));
    DhcpMessage discover = expect_client_message(DhcpMessageType::Discover);
    reply(discover, DhcpMessageType::Offer);
    reply(expect_client_message(DhcpMessageType::Request), DhcpMessageType::Ack, 100);
    ASSERT_EQ(client->state(), DhcpState::Bound);
    step(Duration::seconds(49));
    EXPECT_EQ(host.pending_frames(), 0u);
    step(Duration::seconds(2));
    DhcpMessage renew = expect_client_message(DhcpMessageType::Request);
    EXPECT_EQ(client->state(), DhcpState::Renewing);
    EXPECT_EQ(renew.client_address, OFFERED); // RFC 2131 4.3.2 RENEWING: ciaddr set
    EXPECT_TRUE(renew.requested_address.is_any());
    reply(renew, DhcpMessageType::Ack, 100);
    EXPECT_EQ(client->state(), DhcpState::Bound);
    EXPECT_EQ(changes, 2);
    // No answers any more: rebinding at T2, then the address goes at expiry.
    step(Duration::seconds(101));
    while (host.next_frame()) {
    }
    EXPECT_FALSE(client->lease());
    EXPECT_FALSE(host.eth->configured());
    EXPECT_FALSE(last_lease.has_value());
    EXPECT_EQ(client->state(), DhcpState::Selecting);
}

TEST_F(NetDhcpTest, MalformedRepliesAreIgnored)
{
    ASSERT_TRUE(client->start(host.now));
    DhcpMessage discover = expect_client_message(DhcpMessageType::Discover);
    Bytes junk = pattern(300);
    host.receive(ip_frame(ip_header(SERVER, Ipv4Address::broadcast(), IP_PROTOCOL_UDP),
        udp_bytes(SERVER, Ipv4Address::broadcast(), DHCP_SERVER_PORT, DHCP_CLIENT_PORT, junk), MacAddress::broadcast(),
        SERVER_MAC));
    client->poll(host.now);
    EXPECT_EQ(client->state(), DhcpState::Selecting);
    reply(discover, DhcpMessageType::Offer);
    EXPECT_EQ(client->state(), DhcpState::Requesting);
}
