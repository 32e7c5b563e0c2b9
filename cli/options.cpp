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
    static const std::regex spec(R"((?:([0-9]{1,5}):)?([0-9]{1,5}))");
    std::smatch m;
    if (!std::regex_match(text, m, spec))
        return { std::nullopt, "port " + text + ": expected HOST:GUEST (e.g. 8080:80) or one port for both" };
    unsigned long guest = std::stoul(m[2]);
    unsigned long host = m[1].matched ? std::stoul(m[1]) : guest;
    if (host < 1 || host > 65535 || guest < 1 || guest > 65535)
        return { std::nullopt, "port " + text + ": ports are 1-65535" };
    return { PortForward { static_cast<uint16_t>(host), static_cast<uint16_t>(guest) }, {} };
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
