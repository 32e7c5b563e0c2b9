#include "net/wire/ipv4.h"

#include "net/wire/checksum.h"
#include "net/wire/endian.h"

namespace kiln::net {

Result<Ipv4Packet> parse_ipv4(std::span<const uint8_t> bytes, ChecksumCheck check)
{
    if (bytes.size() < IPV4_HEADER_SIZE)
        return Errno::INVAL;
    const uint8_t* p = bytes.data();
    if ((p[0] >> 4) != 4)
        return Errno::PROTONOSUPPORT;
    size_t header_length = static_cast<size_t>(p[0] & 0x0f) * 4;
    uint16_t total_length = load_be16(p + 2);
    if (header_length < IPV4_HEADER_SIZE || total_length < header_length || total_length > bytes.size())
        return Errno::INVAL;
    if (check == ChecksumCheck::Verify && internet_checksum(bytes.first(header_length)) != 0)
        return Errno::ILSEQ;
    Ipv4Packet packet;
    Ipv4Header& h = packet.header;
    h.tos = p[1];
    h.identification = load_be16(p + 4);
    uint16_t flags_offset = load_be16(p + 6);
    // RFC 791: bit 0 reserved (must be zero; tolerated), bit 1 DF, bit 2 MF.
    h.dont_fragment = (flags_offset & 0x4000) != 0;
    h.more_fragments = (flags_offset & 0x2000) != 0;
    h.fragment_offset = static_cast<uint16_t>((flags_offset & 0x1fff) * 8);
    h.ttl = p[8];
    h.protocol = p[9];
    h.source = Ipv4Address::from_bytes(p + 12);
    h.destination = Ipv4Address::from_bytes(p + 16);
    h.header_length = static_cast<uint8_t>(header_length);
    packet.payload = bytes.subspan(header_length, total_length - header_length);
    return packet;
}

size_t emit_ipv4(const Ipv4Header& h, uint16_t payload_length, std::span<uint8_t> out)
{
    uint8_t* p = out.data();
    p[0] = 0x45;
    p[1] = h.tos;
    store_be16(p + 2, static_cast<uint16_t>(IPV4_HEADER_SIZE + payload_length));
    store_be16(p + 4, h.identification);
    uint16_t flags_offset = static_cast<uint16_t>((h.fragment_offset / 8) & 0x1fff);
    if (h.dont_fragment)
        flags_offset |= 0x4000;
    if (h.more_fragments)
        flags_offset |= 0x2000;
    store_be16(p + 6, flags_offset);
    p[8] = h.ttl;
    p[9] = h.protocol;
    store_be16(p + 10, 0);
    h.source.to_bytes(p + 12);
    h.destination.to_bytes(p + 16);
    store_be16(p + 10, internet_checksum(out.first(IPV4_HEADER_SIZE)));
    return IPV4_HEADER_SIZE;
}

} // namespace kiln::net
