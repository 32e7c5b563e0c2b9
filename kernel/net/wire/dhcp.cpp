#include "net/wire/dhcp.h"

#include <string.h>

#include "net/wire/endian.h"

namespace kiln::net {

namespace {

constexpr uint8_t MAGIC_COOKIE[4] = { 99, 130, 83, 99 };
constexpr uint8_t OPTION_PAD = 0;
constexpr uint8_t OPTION_SUBNET_MASK = 1;
constexpr uint8_t OPTION_ROUTER = 3;
constexpr uint8_t OPTION_DNS = 6;
constexpr uint8_t OPTION_REQUESTED_ADDRESS = 50;
constexpr uint8_t OPTION_LEASE_TIME = 51;
constexpr uint8_t OPTION_MESSAGE_TYPE = 53;
constexpr uint8_t OPTION_SERVER_IDENTIFIER = 54;
constexpr uint8_t OPTION_PARAMETER_REQUEST = 55;
constexpr uint8_t OPTION_RENEWAL_TIME = 58;
constexpr uint8_t OPTION_REBINDING_TIME = 59;
constexpr uint8_t OPTION_END = 255;

} // namespace

Result<DhcpMessage> parse_dhcp(std::span<const uint8_t> bytes)
{
    if (bytes.size() < DHCP_MIN_SIZE)
        return Errno::INVAL;
    const uint8_t* p = bytes.data();
    if (memcmp(p + DHCP_FIXED_SIZE, MAGIC_COOKIE, 4) != 0)
        return Errno::PROTONOSUPPORT;
    DhcpMessage m;
    m.op = p[0];
    if (p[1] != 1 || p[2] != 6)
        return Errno::PROTONOSUPPORT;
    m.xid = load_be32(p + 4);
    m.secs = load_be16(p + 8);
    m.broadcast_flag = (load_be16(p + 10) & 0x8000) != 0;
    m.client_address = Ipv4Address::from_bytes(p + 12);
    m.your_address = Ipv4Address::from_bytes(p + 16);
    m.server_address = Ipv4Address::from_bytes(p + 20);
    m.relay_address = Ipv4Address::from_bytes(p + 24);
    m.client_mac = MacAddress::from_bytes(p + 28);

    size_t i = DHCP_MIN_SIZE;
    while (i < bytes.size()) {
        uint8_t code = p[i];
        if (code == OPTION_END)
            break;
        if (code == OPTION_PAD) {
            ++i;
            continue;
        }
        if (i + 1 >= bytes.size())
            break;
        size_t length = p[i + 1];
        if (i + 2 + length > bytes.size())
            break; // truncated option: keep what we have
        const uint8_t* v = p + i + 2;
        switch (code) {
        case OPTION_MESSAGE_TYPE:
            if (length == 1)
                m.type = static_cast<DhcpMessageType>(v[0]);
            break;
        case OPTION_SUBNET_MASK:
            if (length == 4)
                m.subnet_mask = Ipv4Address::from_bytes(v);
            break;
        case OPTION_ROUTER:
            if (length >= 4)
                m.router = Ipv4Address::from_bytes(v);
            break;
        case OPTION_DNS:
            for (size_t k = 0; k + 4 <= length && m.dns_count < DHCP_MAX_DNS; k += 4)
                m.dns[m.dns_count++] = Ipv4Address::from_bytes(v + k);
            break;
        case OPTION_LEASE_TIME:
            if (length == 4)
                m.lease_seconds = load_be32(v);
            break;
        case OPTION_RENEWAL_TIME:
            if (length == 4)
                m.renewal_seconds = load_be32(v);
            break;
        case OPTION_REBINDING_TIME:
            if (length == 4)
                m.rebinding_seconds = load_be32(v);
            break;
        case OPTION_SERVER_IDENTIFIER:
            if (length == 4)
                m.server_identifier = Ipv4Address::from_bytes(v);
            break;
        case OPTION_REQUESTED_ADDRESS:
            if (length == 4)
                m.requested_address = Ipv4Address::from_bytes(v);
            break;
        default:
            break;
        }
        i += 2 + length;
    }
    return m;
}

size_t emit_dhcp(const DhcpMessage& m, std::span<uint8_t> out)
{
    uint8_t* p = out.data();
    memset(p, 0, DHCP_MAX_EMIT_SIZE);
    p[0] = m.op;
    p[1] = 1;
    p[2] = 6;
    store_be32(p + 4, m.xid);
    store_be16(p + 8, m.secs);
    store_be16(p + 10, m.broadcast_flag ? 0x8000 : 0);
    m.client_address.to_bytes(p + 12);
    m.your_address.to_bytes(p + 16);
    m.server_address.to_bytes(p + 20);
    m.relay_address.to_bytes(p + 24);
    m.client_mac.to_bytes(p + 28);
    memcpy(p + DHCP_FIXED_SIZE, MAGIC_COOKIE, 4);
    uint8_t* o = p + DHCP_MIN_SIZE;
    auto put_address = [&](uint8_t code, Ipv4Address a) {
        o[0] = code;
        o[1] = 4;
        a.to_bytes(o + 2);
        o += 6;
    };
    auto put_u32 = [&](uint8_t code, uint32_t v) {
        o[0] = code;
        o[1] = 4;
        store_be32(o + 2, v);
        o += 6;
    };
    if (m.type != DhcpMessageType::None) {
        o[0] = OPTION_MESSAGE_TYPE;
        o[1] = 1;
        o[2] = static_cast<uint8_t>(m.type);
        o += 3;
    }
    if (!m.requested_address.is_any())
        put_address(OPTION_REQUESTED_ADDRESS, m.requested_address);
    if (!m.server_identifier.is_any())
        put_address(OPTION_SERVER_IDENTIFIER, m.server_identifier);
    if (!m.subnet_mask.is_any())
        put_address(OPTION_SUBNET_MASK, m.subnet_mask);
    if (!m.router.is_any())
        put_address(OPTION_ROUTER, m.router);
    if (m.dns_count) {
        size_t count = m.dns_count > DHCP_MAX_DNS ? DHCP_MAX_DNS : m.dns_count;
        o[0] = OPTION_DNS;
        o[1] = static_cast<uint8_t>(4 * count);
        for (size_t k = 0; k < count; ++k)
            m.dns[k].to_bytes(o + 2 + 4 * k);
        o += 2 + 4 * count;
    }
    if (m.lease_seconds)
        put_u32(OPTION_LEASE_TIME, m.lease_seconds);
    if (m.renewal_seconds)
        put_u32(OPTION_RENEWAL_TIME, m.renewal_seconds);
    if (m.rebinding_seconds)
        put_u32(OPTION_REBINDING_TIME, m.rebinding_seconds);
    if (m.request_parameters) {
        static constexpr uint8_t wanted[] = { OPTION_SUBNET_MASK, OPTION_ROUTER, OPTION_DNS, OPTION_LEASE_TIME,
            OPTION_RENEWAL_TIME, OPTION_REBINDING_TIME };
        o[0] = OPTION_PARAMETER_REQUEST;
        o[1] = sizeof(wanted);
        memcpy(o + 2, wanted, sizeof(wanted));
        o += 2 + sizeof(wanted);
    }
    *o++ = OPTION_END;
    size_t size = static_cast<size_t>(o - p);
    return size < DHCP_MAX_EMIT_SIZE ? DHCP_MAX_EMIT_SIZE : size;
}

} // namespace kiln::net
