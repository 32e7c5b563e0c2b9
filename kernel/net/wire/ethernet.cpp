#include "net/wire/ethernet.h"

#include "net/wire/endian.h"

namespace kiln::net {

Result<EthernetFrame> parse_ethernet(std::span<const uint8_t> frame)
{
    if (frame.size() < ETHERNET_HEADER_SIZE)
        return Errno::INVAL;
    EthernetFrame f;
    f.header.destination = MacAddress::from_bytes(frame.data());
    f.header.source = MacAddress::from_bytes(frame.data() + 6);
    f.header.ethertype = load_be16(frame.data() + 12);
    f.payload = frame.subspan(ETHERNET_HEADER_SIZE);
    return f;
}

size_t emit_ethernet(const EthernetHeader& header, std::span<uint8_t> out)
{
    header.destination.to_bytes(out.data());
    header.source.to_bytes(out.data() + 6);
    store_be16(out.data() + 12, header.ethertype);
    return ETHERNET_HEADER_SIZE;
}

Result<ArpPacket> parse_arp(std::span<const uint8_t> bytes)
{
    if (bytes.size() < ARP_PACKET_SIZE)
        return Errno::INVAL;
    const uint8_t* p = bytes.data();
    if (load_be16(p) != 1 || load_be16(p + 2) != ETHERTYPE_IPV4 || p[4] != 6 || p[5] != 4)
        return Errno::PROTONOSUPPORT;
    ArpPacket a;
    a.operation = load_be16(p + 6);
    a.sender_mac = MacAddress::from_bytes(p + 8);
    a.sender_ip = Ipv4Address::from_bytes(p + 14);
    a.target_mac = MacAddress::from_bytes(p + 18);
    a.target_ip = Ipv4Address::from_bytes(p + 24);
    return a;
}

size_t emit_arp(const ArpPacket& a, std::span<uint8_t> out)
{
    uint8_t* p = out.data();
    store_be16(p, 1);
    store_be16(p + 2, ETHERTYPE_IPV4);
    p[4] = 6;
    p[5] = 4;
    store_be16(p + 6, a.operation);
    a.sender_mac.to_bytes(p + 8);
    a.sender_ip.to_bytes(p + 14);
    a.target_mac.to_bytes(p + 18);
    a.target_ip.to_bytes(p + 24);
    return ARP_PACKET_SIZE;
}

} // namespace kiln::net
