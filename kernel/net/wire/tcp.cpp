#include "net/wire/tcp.h"

#include "net/wire/checksum.h"
#include "net/wire/endian.h"

namespace kiln::net {

namespace {

constexpr uint8_t OPTION_EOL = 0;
constexpr uint8_t OPTION_NOP = 1;
constexpr uint8_t OPTION_MSS = 2;
constexpr uint8_t OPTION_WINDOW_SCALE = 3;
constexpr uint8_t OPTION_SACK_PERMITTED = 4;
constexpr uint8_t OPTION_SACK = 5;
constexpr uint8_t OPTION_TIMESTAMPS = 8;

void parse_options(std::span<const uint8_t> bytes, TcpOptions& o)
{
    size_t i = 0;
    while (i < bytes.size()) {
        uint8_t kind = bytes[i];
        if (kind == OPTION_EOL)
            return;
        if (kind == OPTION_NOP) {
            ++i;
            continue;
        }
        if (i + 1 >= bytes.size())
            return;
        size_t length = bytes[i + 1];
        if (length < 2 || i + length > bytes.size())
            return;
        const uint8_t* v = bytes.data() + i + 2;
        switch (kind) {
        case OPTION_MSS:
            if (length == 4)
                o.mss = load_be16(v);
            break;
        case OPTION_WINDOW_SCALE:
            if (length == 3)
                o.window_scale = static_cast<int8_t>(v[0] > 14 ? 14 : v[0]);
            break;
        case OPTION_SACK_PERMITTED:
            if (length == 2)
                o.sack_permitted = true;
            break;
        case OPTION_SACK:
            if (length >= 10 && (length - 2) % 8 == 0)
                o.sack_block_count = static_cast<uint8_t>((length - 2) / 8);
            break;
        case OPTION_TIMESTAMPS:
            if (length == 10) {
                o.has_timestamps = true;
                o.timestamp_value = load_be32(v);
                o.timestamp_echo = load_be32(v + 4);
            }
            break;
        default:
            break;
        }
        i += length;
    }
}

size_t options_size(const TcpOptions& o)
{
    size_t n = 0;
    if (o.mss)
        n += 4;
    if (o.window_scale >= 0)
        n += 4; // NOP + 3
    if (o.sack_permitted)
        n += 4; // NOP NOP + 2
    if (o.has_timestamps)
        n += 12; // NOP NOP + 10
    return n;
}

} // namespace

Result<TcpSegment> parse_tcp(std::span<const uint8_t> bytes, Ipv4Address source, Ipv4Address destination,
    ChecksumCheck check)
{
    if (bytes.size() < TCP_HEADER_SIZE)
        return Errno::INVAL;
    const uint8_t* p = bytes.data();
    size_t header_size = static_cast<size_t>(p[12] >> 4) * 4;
    if (header_size < TCP_HEADER_SIZE || header_size > bytes.size())
        return Errno::INVAL;
    if (check == ChecksumCheck::Verify) {
        Checksum sum;
        add_pseudo_header(sum, source, destination, IP_PROTOCOL_TCP, static_cast<uint16_t>(bytes.size()));
        sum.add(bytes);
        if (sum.folded() != 0xffff)
            return Errno::ILSEQ;
    }
    TcpSegment s;
    s.source_port = load_be16(p);
    s.destination_port = load_be16(p + 2);
    s.seq = SeqNumber(load_be32(p + 4));
    s.ack = SeqNumber(load_be32(p + 8));
    s.flags = p[13];
    s.window = load_be16(p + 14);
    s.urgent_pointer = load_be16(p + 18);
    parse_options(bytes.subspan(TCP_HEADER_SIZE, header_size - TCP_HEADER_SIZE), s.options);
    s.payload = bytes.subspan(header_size);
    return s;
}

size_t tcp_header_size(const TcpOptions& options) { return TCP_HEADER_SIZE + options_size(options); }

size_t emit_tcp_header(const TcpSegment& s, Ipv4Address source, Ipv4Address destination,
    std::span<const uint8_t> payload, std::span<const uint8_t> payload2, std::span<uint8_t> out)
{
    size_t header_size = tcp_header_size(s.options);
    uint8_t* p = out.data();
    store_be16(p, s.source_port);
    store_be16(p + 2, s.destination_port);
    store_be32(p + 4, s.seq.raw());
    store_be32(p + 8, s.ack.raw());
    p[12] = static_cast<uint8_t>((header_size / 4) << 4);
    p[13] = s.flags;
    store_be16(p + 14, s.window);
    store_be16(p + 16, 0);
    store_be16(p + 18, s.urgent_pointer);
    uint8_t* o = p + TCP_HEADER_SIZE;
    if (s.options.mss) {
        o[0] = OPTION_MSS;
        o[1] = 4;
        store_be16(o + 2, s.options.mss);
        o += 4;
    }
    if (s.options.window_scale >= 0) {
        o[0] = OPTION_NOP;
        o[1] = OPTION_WINDOW_SCALE;
        o[2] = 3;
        o[3] = static_cast<uint8_t>(s.options.window_scale);
        o += 4;
    }
    if (s.options.sack_permitted) {
        o[0] = OPTION_NOP;
        o[1] = OPTION_NOP;
        o[2] = OPTION_SACK_PERMITTED;
        o[3] = 2;
        o += 4;
    }
    if (s.options.has_timestamps) {
        o[0] = OPTION_NOP;
        o[1] = OPTION_NOP;
        o[2] = OPTION_TIMESTAMPS;
        o[3] = 10;
        store_be32(o + 4, s.options.timestamp_value);
        store_be32(o + 8, s.options.timestamp_echo);
        o += 12;
    }
    size_t length = header_size + payload.size() + payload2.size();
    Checksum sum;
    add_pseudo_header(sum, source, destination, IP_PROTOCOL_TCP, static_cast<uint16_t>(length));
    sum.add(out.first(header_size));
    sum.add(payload);
    sum.add(payload2);
    store_be16(p + 16, sum.finish());
    return header_size;
}

} // namespace kiln::net
