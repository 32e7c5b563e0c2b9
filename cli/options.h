#pragma once

// What `kiln run` and package.json's "kiln" section accept for memory, ports, disks
// and environment entries: one parser each, shared by flags and package.json so both
// take the same syntax. Each returns an error message that says what was expected.

#include <cstdint>
#include <optional>
#include <string>

namespace kiln::cli {

struct PortForward {
    uint16_t host = 0;
    uint16_t guest = 0;
};

struct DiskSpec {
    std::string file;
    std::optional<uint64_t> create_size; // bytes; create the file with this size when missing
    bool read_only = false;
};

template <typename T> struct Parsed {
    std::optional<T> value;
    std::string error;
};

// "512M", "2G", "128" (MiB, as QEMU reads -m): guest memory for QEMU's -m.
Parsed<std::string> parse_memory(const std::string& text);

// "64M", "1G", "512K", "1048576" (bytes), a multiple of 512 (virtio-blk sectors).
Parsed<uint64_t> parse_disk_size(const std::string& text);

// "HOST:GUEST" or "PORT" (the same on both sides); ports 1-65535.
Parsed<PortForward> parse_port(const std::string& text);

// "FILE", "FILE:SIZE", "FILE,ro", "FILE:SIZE,ro". SIZE creates FILE when it does not
// exist (a sparse file of that size); an existing file keeps its size.
Parsed<DiskSpec> parse_disk(const std::string& text);

// "KEY=value" with a non-empty KEY without '='.
std::string check_env_entry(const std::string& text);

} // namespace kiln::cli
