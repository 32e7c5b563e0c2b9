#pragma once

// DHCP messages (RFC 2131 section 2, options from RFC 2132): the BOOTP fixed part, the
// magic cookie and the options a client needs. Option overload (52) is not honoured:
// options in `sname`/`file` are ignored.

#include <stddef.h>
#include <stdint.h>

#include <span>

#include "lib/result.h"
#include "net/wire/address.h"

namespace kiln::net {

constexpr uint16_t DHCP_SERVER_PORT = 67;
constexpr uint16_t DHCP_CLIENT_PORT = 68;
constexpr size_t DHCP_FIXED_SIZE = 236; // up to and including `file`
constexpr size_t DHCP_MIN_SIZE = DHCP_FIXED_SIZE + 4; // plus the magic cookie
constexpr size_t DHCP_MAX_DNS = 3;

enum class DhcpMessageType : uint8_t {
    None = 0,
    Discover = 1,
    Offer = 2,
    Request = 3,
    Decline = 4,
    Ack = 5,
    Nak = 6,
    Release = 7,
};

struct DhcpMessage {
    uint8_t op = 1; // 1 BOOTREQUEST, 2 BOOTREPLY
    uint32_t xid = 0;
    uint16_t secs = 0;
    bool broadcast_flag = false;
    Ipv4Address client_address; // ciaddr
    Ipv4Address your_address; // yiaddr
    Ipv4Address server_address; // siaddr
    Ipv4Address relay_address; // giaddr
    MacAddress client_mac; // chaddr (htype 1, hlen 6)

    DhcpMessageType type = DhcpMessageType::None; // option 53
    Ipv4Address subnet_mask; // option 1; any() when absent
    Ipv4Address router; // option 3 (first router)
    Ipv4Address dns[DHCP_MAX_DNS]; // option 6
    uint8_t dns_count = 0;
    uint32_t lease_seconds = 0; // option 51
    uint32_t renewal_seconds = 0; // option 58 (T1)
    uint32_t rebinding_seconds = 0; // option 59 (T2)
    Ipv4Address server_identifier; // option 54
    Ipv4Address requested_address; // option 50
    bool request_parameters = false; // emit option 55 (subnet, router, DNS, lease, T1, T2)
};

Result<DhcpMessage> parse_dhcp(std::span<const uint8_t> bytes);
// Returns the size written; out needs DHCP_MIN_SIZE + 64 bytes at most (callers size it
// with DHCP_MAX_EMIT_SIZE).
constexpr size_t DHCP_MAX_EMIT_SIZE = 300; // BOOTP's 300-byte minimum, padded
size_t emit_dhcp(const DhcpMessage& message, std::span<uint8_t> out);

} // namespace kiln::net
