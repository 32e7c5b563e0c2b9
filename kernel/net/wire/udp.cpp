#include "net/wire/udp.h"

#include "net/wire/checksum.h"
#include "net/wire/endian.h"

namespace kiln::net {

Result<UdpDatagram> parse_udp(std::span<const uint8_t> bytes, Ipv4Address source, Ipv4Address destination,
    ChecksumCheck check)
{
    if (bytes.size() < UDP_HEADER_SIZE)
        return Errno::INVAL;
    const uint8_t* p = bytes.data();
    uint16_t length = load_be16(p + 4);
    if (length < UDP_HEADER_SIZE || length > bytes.size())
        return Errno::INVAL;
    UdpDatagram d;
    d.source_port = load_be16(p);
    d.destination_port = load_be16(p + 2);
    d.had_checksum = load_be16(p + 6) != 0;
    if (d.had_checksum && check == ChecksumCheck::Verify) {
        Checksum sum;
        add_pseudo_header(sum, source, destination, IP_PROTOCOL_UDP, length);
        sum.add(bytes.first(length));
        if (sum.folded() != 0xffff)
            return Errno::ILSEQ;
    }
    d.payload = bytes.subspan(UDP_HEADER_SIZE, length - UDP_HEADER_SIZE);
    return d;
}

size_t emit_udp_header(uint16_t source_port, uint16_t destination_port, Ipv4Address source, Ipv4Address destination,
    std::span<const uint8_t> payload, std::span<const uint8_t> payload2, std::span<uint8_t> out)
{
    uint8_t* p = out.data();
    auto length = static_cast<uint16_t>(UDP_HEADER_SIZE + payload.size() + payload2.size());
    store_be16(p, source_port);
    store_be16(p + 2, destination_port);
    store_be16(p + 4, length);
    store_be16(p + 6, 0);
    Checksum sum;
    add_pseudo_header(sum, source, destination, IP_PROTOCOL_UDP, length);
    sum.add(out.first(UDP_HEADER_SIZE));
    sum.add(payload);
    sum.add(payload2);
    uint16_t c = sum.finish();
    store_be16(p + 6, c == 0 ? 0xffff : c);
    return UDP_HEADER_SIZE;
}

} // namespace kiln::net
