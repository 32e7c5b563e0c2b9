#include "options.h"

#include <regex>

namespace kiln::cli {

Parsed<std::string> parse_memory(const std::string& text)
{
    static const std::regex size(R"(([1-9][0-9]{0,6})([MG]?))");
    std::smatch m;
    if (!std::regex_match(text, m, size))
        return { std::nullopt, "memory " + text + ": expected a size like 512M or 2G" };
    uint64_t mib = std::stoull(m[1]) * (m[2] == "G" ? 1024 : 1);
    if (mib < 16)
        return { std::nullopt, "memory " + text + ": at least 16M" };
    return { text, {} };
}

Parsed<uint64_t> parse_disk_size(const std::string& text)
{
    static const std::regex size(R"(([1-9][0-9]{0,15})([KMGT]?))");
    std::smatch m;
    if (!std::regex_match(text, m, size))
        return { std::nullopt, "disk size " + text + ": expected a size like 64M or 1G" };
    uint64_t n = std::stoull(m[1]);
    int shift = m[2] == "K" ? 10 : m[2] == "M" ? 20 : m[2] == "G" ? 30 : m[2] == "T" ? 40 : 0;
    if (shift && n > (uint64_t { 1 } << (63 - shift)))
        return { std::nullopt, "disk size " + text + ": too large" };
    n <<= shift;
    if (n % 512)
        return { std::nullopt, "disk size " + text + ": must be a multiple of 512 bytes (virtio-blk sectors)" };
    return { n, {} };
}

Parsed<PortForward> parse_port(const std::string& text)
{
    static const std::regex spec(R"((?:([0-9]{1,5}):)?([0-9]{1,5})(?:/(tcp|udp))?)");
    std::smatch m;
    if (!std::regex_match(text, m, spec))
        return { std::nullopt,
            "port " + text + ": expected HOST:GUEST (e.g. 8080:80) or one port for both, then /udp for UDP" };
    unsigned long guest = std::stoul(m[2]);
    unsigned long host = m[1].matched ? std::stoul(m[1]) : guest;
    if (host < 1 || host > 65535 || guest < 1 || guest > 65535)
        return { std::nullopt, "port " + text + ": ports are 1-65535" };
    Protocol protocol = m[3] == "udp" ? Protocol::Udp : Protocol::Tcp;
    return { PortForward { static_cast<uint16_t>(host), static_cast<uint16_t>(guest), protocol }, {} };
}

std::string describe_port(const PortForward& port)
{
    return std::to_string(port.host) + ":" + std::to_string(port.guest) + (port.protocol == Protocol::Udp ? "/udp" : "");
}

Parsed<NetworkSpec> parse_network(const std::string& text)
{
    if (text == "user")
        return { NetworkSpec { NetworkMode::User, {} }, {} };
    if (text == "none")
        return { NetworkSpec { NetworkMode::None, {} }, {} };
    if (text.rfind("tap:", 0) != 0)
        return { std::nullopt, "network " + text + ": expected user, tap:IFNAME or none" };
    std::string name = text.substr(4);
    // Linux's dev_valid_name(): what the kernel would refuse, QEMU would fail on later.
    constexpr size_t IFNAMSIZ = 16;
    bool bad_char = name.find_first_of("/: \t\n\r\v\f") != std::string::npos;
    if (name.empty() || name.size() >= IFNAMSIZ || name == "." || name == ".." || bad_char)
        return { std::nullopt,
            "network " + text + ": the tap's name must be 1-15 characters without '/', ':' or spaces (e.g. tap:kiln0)" };
    return { NetworkSpec { NetworkMode::Tap, name }, {} };
}

namespace {

std::optional<uint32_t> parse_ipv4(const std::string& text)
{
    static const std::regex quad(R"(([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3}))");
    std::smatch m;
    if (!std::regex_match(text, m, quad))
        return std::nullopt;
    uint32_t value = 0;
    for (int i = 1; i <= 4; ++i) {
        unsigned long octet = std::stoul(m[i]);
        if (octet > 255)
            return std::nullopt;
        value = value << 8 | static_cast<uint32_t>(octet);
    }
    return value;
}

} // namespace

Parsed<StaticIp> parse_static_ip(const std::string& text)
{
    auto fail = [&](const std::string& why) -> Parsed<StaticIp> {
        return { std::nullopt, "ip " + text + ": " + why };
    };
    static const std::regex spec(R"(([^/,]+)/([0-9]{1,2})(?:,([^,]+)(?:,([^,]+))?)?)");
    std::smatch m;
    if (!std::regex_match(text, m, spec))
        return fail("expected ADDRESS/PREFIX[,GATEWAY[,DNS]], e.g. 192.168.77.2/24,192.168.77.1");
    auto address = parse_ipv4(m[1]);
    if (!address)
        return fail(m[1].str() + " is not an IPv4 address (a.b.c.d)");
    unsigned long prefix = std::stoul(m[2]);
    if (prefix < 1 || prefix > 32)
        return fail("the prefix length must be 1-32");
    if (m[3].matched) {
        auto gateway = parse_ipv4(m[3]);
        if (!gateway)
            return fail("gateway " + m[3].str() + " is not an IPv4 address");
        uint32_t mask = ~0u << (32 - prefix);
        if ((*gateway & mask) != (*address & mask))
            return fail("gateway " + m[3].str() + " is not in " + m[1].str() + "/" + m[2].str());
        if (*gateway == *address)
            return fail("the gateway cannot be the guest's own address");
    }
    if (m[4].matched && !parse_ipv4(m[4]))
        return fail("DNS server " + m[4].str() + " is not an IPv4 address");
    return { StaticIp { text, m[1] }, {} };
}

Parsed<DiskSpec> parse_disk(const std::string& text)
{
    DiskSpec disk;
    std::string rest = text;
    size_t comma = rest.rfind(',');
    if (comma != std::string::npos) {
        std::string option = rest.substr(comma + 1);
        if (option == "ro" || option == "readonly")
            disk.read_only = true;
        else if (option != "rw")
            return { std::nullopt, "disk " + text + ": unknown option '" + option + "' (expected ro or rw)" };
        rest.erase(comma);
    }
    size_t colon = rest.rfind(':');
    if (colon != std::string::npos) {
        auto size = parse_disk_size(rest.substr(colon + 1));
        if (!size.value)
            return { std::nullopt, "disk " + text + ": " + size.error };
        disk.create_size = size.value;
        rest.erase(colon);
    }
    if (rest.empty())
        return { std::nullopt, "disk " + text + ": expected FILE[:SIZE][,ro], e.g. data.img:64M" };
    disk.file = rest;
    return { disk, {} };
}

std::string check_env_entry(const std::string& text)
{
    size_t equals = text.find('=');
    if (equals == std::string::npos || equals == 0)
        return "environment entry '" + text + "': expected KEY=value";
    return {};
}

} // namespace kiln::cli
