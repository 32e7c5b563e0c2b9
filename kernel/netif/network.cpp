#include "netif/network.h"

#include "dev/console.h"
#include "dev/virtio/net.h"
#include "dev/virtio/probe.h"
#include "lib/format.h"
#include "net/dhcp_client.h"
#include "proc/stats.h"
#include "random/entropy.h"
#include "time/clock.h"
#include "time/wait.h"

#include <optional>

namespace kiln {
namespace {

constexpr size_t MAX_LINKS = 4;
constexpr uint64_t DHCP_BOOT_WAIT_NS = 5ULL * 1000 * 1000 * 1000;

struct Link {
    virtio::VirtioNet* device = nullptr;
    net::Interface* interface = nullptr;
    net::DhcpClient* dhcp = nullptr;
};

net::Stack* g_stack = nullptr;
Link g_links[MAX_LINKS];
size_t g_link_count = 0;
net::Ipv4Address g_dns;

net::Instant now() { return net::Instant::from_nanoseconds(monotonic_ns()); }

void fill_random(void*, uint8_t* out, size_t length) { random_fill(out, length); }

bool transmit(void* context, std::span<const uint8_t> frame)
{
    auto* device = static_cast<virtio::VirtioNet*>(context);
    auto sent = device->transmit(frame);
    if (sent.is_error() && sent.error() == Errno::AGAIN) {
        // The transmit ring is full of finished frames more often than of pending ones:
        // reclaim and try once more before dropping (a drop costs TCP a retransmit).
        device->reclaim_transmitted();
        sent = device->transmit(frame);
    }
    return !sent.is_error();
}

// "10.0.2.15" → the address; nullopt for anything else.
std::optional<net::Ipv4Address> parse_ipv4(std::string_view text)
{
    uint32_t value = 0;
    uint32_t octet = 0;
    int octets = 0;
    bool digits = false;
    for (size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            octet = octet * 10 + static_cast<uint32_t>(text[i] - '0');
            digits = true;
            if (octet > 255)
                return std::nullopt;
            continue;
        }
        if (!digits || (i < text.size() && text[i] != '.') || octets == 4)
            return std::nullopt;
        value = value << 8 | octet;
        ++octets;
        octet = 0;
        digits = false;
    }
    if (octets != 4)
        return std::nullopt;
    return net::Ipv4Address::from_u32(value);
}

// "10.0.2.15/24,10.0.2.2,10.0.2.3": address/prefix, then optional gateway and DNS.
bool parse_static_address(std::string_view text, net::InterfaceAddress& out, net::Ipv4Address& dns)
{
    std::string_view fields[3];
    size_t count = 0;
    size_t start = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == ',') {
            if (count == 3)
                return false;
            fields[count++] = std::string_view(text.data() + start, i - start);
            start = i + 1;
        }
    }
    size_t slash = 0;
    while (slash < fields[0].size() && fields[0][slash] != '/')
        ++slash;
    if (slash + 1 >= fields[0].size() || fields[0].size() - slash > 3)
        return false;
    uint32_t prefix = 0;
    for (size_t i = slash + 1; i < fields[0].size(); ++i) {
        if (fields[0][i] < '0' || fields[0][i] > '9')
            return false;
        prefix = prefix * 10 + static_cast<uint32_t>(fields[0][i] - '0');
    }
    auto address = parse_ipv4(std::string_view(fields[0].data(), slash));
    if (!address || prefix > 32)
        return false;
    out.address = *address;
    out.netmask = net::Ipv4Address::from_u32(prefix == 0 ? 0 : ~0u << (32 - prefix));
    out.gateway = net::Ipv4Address();
    dns = net::Ipv4Address();
    if (count > 1) {
        auto gateway = parse_ipv4(fields[1]);
        if (!gateway)
            return false;
        out.gateway = *gateway;
    }
    if (count > 2) {
        auto server = parse_ipv4(fields[2]);
        if (!server)
            return false;
        dns = *server;
    }
    return true;
}

void print_address(const char* how, const net::InterfaceAddress& a)
{
    auto octets = [](net::Ipv4Address ip, char* out) {
        uint32_t v = ip.to_u32();
        format(out, 16, "%u.%u.%u.%u", v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
    };
    char address[16], netmask[16], gateway[16];
    octets(a.address, address);
    octets(a.netmask, netmask);
    octets(a.gateway, gateway);
    kinfo("kiln: eth0 %s netmask %s gateway %s (%s)\n", address, netmask, gateway, how);
}

void lease_changed(void*, const net::DhcpLease* lease)
{
    if (lease && lease->dns_count > 0)
        g_dns = lease->dns[0];
}

bool has_lease(void*)
{
    for (size_t i = 0; i < g_link_count; ++i) {
        if (g_links[i].dhcp && !g_links[i].dhcp->lease())
            return false;
    }
    return true;
}

// The `kiln.stats` lines: where frames and segments were dropped.
void report_network_stats()
{
    for (size_t i = 0; i < g_link_count; ++i) {
        const auto& device = g_links[i].device->stats();
        const auto& interface = g_links[i].interface->stats();
        kprintf("kiln: stats: eth%zu: virtio rx %lu frames (%lu bad), tx %lu frames (ring full %lu times), %lu "
                "interrupts; interface rx dropped %lu, tx dropped %lu\n",
            i, device.rx_frames, device.rx_errors, device.tx_frames, device.tx_ring_full, device.interrupts,
            interface.rx_dropped, interface.tx_dropped);
    }
    const net::StackStats& stack = g_stack->stats();
    kprintf("kiln: stats: tcp %lu retransmits, %lu resets sent, %lu SYNs dropped (accept queue full), %lu bad; udp "
            "%lu dropped; ip %lu bad\n",
        stack.tcp_retransmits, stack.tcp_resets_sent, stack.tcp_syn_dropped, stack.tcp_bad, stack.udp_dropped,
        stack.ip_bad);
}

}  // namespace

Result<void> network_init(const Cmdline& cmdline)
{
    net::StackConfig config;
    config.random = net::RandomSource { nullptr, fill_random };
    TRY(g_stack, net::Stack::try_create(config));
    stats_add_reporter(report_network_stats);

    for (size_t i = 0; g_link_count < MAX_LINKS; ++i) {
        virtio::VirtioNet* device = virtio::virtio_net(i);
        if (!device)
            break;
        net::MacAddress mac = net::MacAddress::from_bytes(device->mac().data());
        TRY(net::Interface * interface, g_stack->add_ethernet(mac, 1500, transmit, device));
        g_links[g_link_count++] = Link { device, interface, nullptr };
    }
    if (g_link_count == 0)
        return {};

    Link& first = g_links[0];
    if (auto text = cmdline.value("kiln.ip")) {
        net::InterfaceAddress address;
        if (!parse_static_address(*text, address, g_dns)) {
            kprintf("kiln: kiln.ip=%.*s: expected ADDRESS/PREFIX[,GATEWAY[,DNS]]\n", static_cast<int>(text->size()),
                text->data());
            return Errno::INVAL;
        }
        g_stack->set_address(*first.interface, address);
        print_address("static", address);
        return {};
    }

    net::DhcpOptions options;
    options.lease_changed = lease_changed;
    TRY(first.dhcp, net::DhcpClient::try_create(*g_stack, *first.interface, options));
    TRY_VOID(first.dhcp->start(now()));
    if (wait_until(monotonic_ns() + DHCP_BOOT_WAIT_NS, has_lease, nullptr) == WaitResult::TimedOut) {
        kprintf("kiln: no DHCP answer on eth0 within 5 s; still trying in the background\n");
        return {};
    }
    print_address("DHCP", first.interface->address());
    return {};
}

net::Stack* network_stack() { return g_stack; }

void network_service()
{
    if (!g_stack)
        return;
    net::Instant t = now();
    for (size_t i = 0; i < g_link_count; ++i) {
        Link& link = g_links[i];
        struct Context {
            net::Interface* interface;
            net::Instant t;
        } context { link.interface, t };
        link.device->poll_receive(
            [](void* c, std::span<const uint8_t> frame) {
                auto* ctx = static_cast<Context*>(c);
                g_stack->receive(ctx->t, *ctx->interface, frame);
            },
            &context);
        link.device->reclaim_transmitted();
        if (link.dhcp)
            link.dhcp->poll(t);
    }
    g_stack->poll(t);
}

uint64_t network_deadline()
{
    if (!g_stack)
        return WAIT_FOREVER;
    uint64_t deadline = g_stack->poll_at().ns;
    for (size_t i = 0; i < g_link_count; ++i) {
        if (g_links[i].dhcp && g_links[i].dhcp->poll_at().ns < deadline)
            deadline = g_links[i].dhcp->poll_at().ns;
    }
    return deadline;
}

void network_flush_transmit(uint64_t timeout_ns)
{
    if (!g_stack)
        return;
    auto pending = [] {
        if (g_stack->frames_awaiting_arp() > 0)
            return true;
        for (size_t i = 0; i < g_link_count; ++i)
            if (g_links[i].device->transmit_pending())
                return true;
        return false;
    };
    // Polling, not halting: with EVENT_IDX the device need not interrupt for finished
    // transmissions. network_service() takes in the ARP answers and runs ARP's retries.
    uint64_t deadline = monotonic_ns() + timeout_ns;
    while (pending() && monotonic_ns() < deadline) {
        network_service();
        asm volatile("pause");
    }
}

size_t network_resolv_conf(char* out, size_t capacity)
{
    if (g_dns.is_any())
        return format(out, capacity, "# no DNS server: none from DHCP or kiln.ip\n");
    uint32_t v = g_dns.to_u32();
    return format(out, capacity, "nameserver %u.%u.%u.%u\n", v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
}

}  // namespace kiln
