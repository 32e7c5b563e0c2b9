#include "net/wire/icmp.h"

#include <string.h>

#include "net/wire/checksum.h"
#include "net/wire/endian.h"

namespace kiln::net {

Result<IcmpMessage> parse_icmp(std::span<const uint8_t> bytes)
{
    if (bytes.size() < ICMP_HEADER_SIZE)
        return Errno::INVAL;
    if (internet_checksum(bytes) != 0)
        return Errno::ILSEQ;
    IcmpMessage m;
    m.type = bytes[0];
    m.code = bytes[1];
    m.rest = load_be32(bytes.data() + 4);
    m.payload = bytes.subspan(ICMP_HEADER_SIZE);
    return m;
}

size_t emit_icmp(const IcmpMessage& m, std::span<uint8_t> out)
{
    uint8_t* p = out.data();
    p[0] = m.type;
    p[1] = m.code;
    store_be16(p + 2, 0);
    store_be32(p + 4, m.rest);
    if (!m.payload.empty())
        memmove(p + ICMP_HEADER_SIZE, m.payload.data(), m.payload.size());
    size_t size = ICMP_HEADER_SIZE + m.payload.size();
    store_be16(p + 2, internet_checksum(out.first(size)));
    return size;
}

} // namespace kiln::net
