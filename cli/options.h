#pragma once

// What `kiln run` and package.json's "kiln" section accept for memory, ports, disks,
// environment entries and the network: one parser each, shared by flags and package.json
// so both take the same syntax. Each returns an error message that says what was expected.

#include <cstdint>
#include <optional>
#include <string>

namespace kiln::cli {

enum class Protocol { Tcp, Udp };

struct PortForward {
    uint16_t host = 0;
    uint16_t guest = 0;
    Protocol protocol = Protocol::Tcp;
};

// How the VM's one NIC reaches the world.
enum class NetworkMode {
    None, // no network device
    User, // QEMU's user network (slirp): NAT, DHCP, DNS, forwarded ports on 127.0.0.1
    Tap, // a host tap device: the guest is a real host on the tap's link
};

struct NetworkSpec {
    NetworkMode mode = NetworkMode::User;
    std::string tap; // the tap's interface name (Tap only)
};

// A static IPv4 configuration for the kernel's `kiln.ip=` (else the guest uses DHCP).
struct StaticIp {
    std::string text; // ADDRESS/PREFIX[,GATEWAY[,DNS]] as given, checked
    std::string address; // ADDRESS alone
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

// "HOST:GUEST" or "PORT" (the same on both sides), then optionally "/tcp" (the default)
// or "/udp"; ports 1-65535.
Parsed<PortForward> parse_port(const std::string& text);

// "HOST:GUEST" with "/udp" when it is UDP: how `kiln run` reports a forward.
std::string describe_port(const PortForward& port);

// "user", "tap:IFNAME" or "none". IFNAME follows Linux's rules for interface names
// (1-15 bytes, no '/', ':', whitespace, not "." or "..").
Parsed<NetworkSpec> parse_network(const std::string& text);

// "ADDRESS/PREFIX[,GATEWAY[,DNS]]" with dotted-quad IPv4 addresses, PREFIX 1-32, and a
// gateway inside ADDRESS/PREFIX that is not ADDRESS itself.
Parsed<StaticIp> parse_static_ip(const std::string& text);

// "FILE", "FILE:SIZE", "FILE,ro", "FILE:SIZE,ro". SIZE creates FILE when it does not
// exist (a sparse file of that size); an existing file keeps its size.
Parsed<DiskSpec> parse_disk(const std::string& text);

// "KEY=value" with a non-empty KEY without '='.
std::string check_env_entry(const std::string& text);

} // namespace kiln::cli
