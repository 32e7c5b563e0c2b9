// `kiln run`'s flag syntax and the QEMU command line it becomes.

#include <gtest/gtest.h>

#include <algorithm>

#include "options.h"
#include "vm.h"

using namespace kiln::cli;

namespace {

bool has_pair(const std::vector<std::string>& argv, const std::string& a, const std::string& b)
{
    for (size_t i = 0; i + 1 < argv.size(); ++i)
        if (argv[i] == a && argv[i + 1] == b)
            return true;
    return false;
}

} // namespace

TEST(Ports, HostGuestOrOneForBoth)
{
    auto both = parse_port("8080:80");
    ASSERT_TRUE(both.value) << both.error;
    EXPECT_EQ(both.value->host, 8080);
    EXPECT_EQ(both.value->guest, 80);
    auto same = parse_port("3000");
    ASSERT_TRUE(same.value);
    EXPECT_EQ(same.value->host, 3000);
    EXPECT_EQ(same.value->guest, 3000);
}

TEST(Ports, RejectsWhatIsNotAPort)
{
    for (const char* bad : { "", "0", "65536", "80:", ":80", "a:b", "1:2:3", "8080:99999", "-1" }) {
        auto parsed = parse_port(bad);
        EXPECT_FALSE(parsed.value) << bad;
        EXPECT_NE(parsed.error.find("port"), std::string::npos) << bad;
    }
}

TEST(Ports, TcpByDefaultUdpWhenAsked)
{
    auto tcp = parse_port("8080:80/tcp");
    ASSERT_TRUE(tcp.value) << tcp.error;
    EXPECT_EQ(tcp.value->protocol, Protocol::Tcp);
    EXPECT_EQ(parse_port("8080:80").value->protocol, Protocol::Tcp);
    auto udp = parse_port("5353:53/udp");
    ASSERT_TRUE(udp.value) << udp.error;
    EXPECT_EQ(udp.value->host, 5353);
    EXPECT_EQ(udp.value->guest, 53);
    EXPECT_EQ(udp.value->protocol, Protocol::Udp);
    auto one = parse_port("53/udp");
    ASSERT_TRUE(one.value) << one.error;
    EXPECT_EQ(one.value->host, 53);
    EXPECT_EQ(one.value->guest, 53);
    EXPECT_EQ(describe_port(*udp.value), "5353:53/udp");
    EXPECT_EQ(describe_port(*tcp.value), "8080:80");
    for (const char* bad : { "53/UDP", "53/sctp", "53/", "/udp", "53:/udp", "53/udp/udp", "0/udp", "70000:1/udp" }) {
        auto parsed = parse_port(bad);
        EXPECT_FALSE(parsed.value) << bad;
        EXPECT_NE(parsed.error.find(bad), std::string::npos) << parsed.error;
    }
}

TEST(Network, UserTapOrNone)
{
    EXPECT_EQ(parse_network("user").value->mode, NetworkMode::User);
    EXPECT_EQ(parse_network("none").value->mode, NetworkMode::None);
    auto tap = parse_network("tap:kiln0");
    ASSERT_TRUE(tap.value) << tap.error;
    EXPECT_EQ(tap.value->mode, NetworkMode::Tap);
    EXPECT_EQ(tap.value->tap, "kiln0");
    EXPECT_TRUE(parse_network("tap:abcdefghijklmno").value); // 15 bytes: Linux's longest name
}

TEST(Network, RejectsWhatLinuxWouldNotNameATap)
{
    for (const char* bad : { "", "tap", "tap:", "bridge:br0", "User", "tap:abcdefghijklmnop", "tap:a/b", "tap:a:b",
             "tap:a b", "tap:.", "tap:.." }) {
        auto parsed = parse_network(bad);
        EXPECT_FALSE(parsed.value) << bad;
        EXPECT_NE(parsed.error.find("network"), std::string::npos) << parsed.error;
    }
    EXPECT_NE(parse_network("slirp").error.find("expected user, tap:IFNAME or none"), std::string::npos);
}

TEST(StaticIp, AddressPrefixGatewayDns)
{
    auto plain = parse_static_ip("192.168.77.2/24");
    ASSERT_TRUE(plain.value) << plain.error;
    EXPECT_EQ(plain.value->text, "192.168.77.2/24");
    EXPECT_EQ(plain.value->address, "192.168.77.2");
    auto full = parse_static_ip("10.0.2.15/24,10.0.2.2,10.0.2.3");
    ASSERT_TRUE(full.value) << full.error;
    EXPECT_EQ(full.value->text, "10.0.2.15/24,10.0.2.2,10.0.2.3");
    EXPECT_EQ(full.value->address, "10.0.2.15");
    EXPECT_TRUE(parse_static_ip("10.1.2.3/8,10.255.255.254").value);
    EXPECT_TRUE(parse_static_ip("172.16.0.9/32").value);
}

TEST(StaticIp, RejectsWithTheReason)
{
    auto why = [](const char* text) {
        auto parsed = parse_static_ip(text);
        EXPECT_FALSE(parsed.value) << text;
        return parsed.error;
    };
    for (const char* bad : { "", "192.168.77.2", "192.168.77.2/", "/24", "192.168.77.2/24,", "a/b,c,d,e",
             "192.168.77.2/24,192.168.77.1,8.8.8.8,1.1.1.1", "192.168.77.2/24 " })
        EXPECT_NE(why(bad).find("expected ADDRESS/PREFIX"), std::string::npos) << bad;
    EXPECT_NE(why("192.168.77.256/24").find("not an IPv4 address"), std::string::npos);
    EXPECT_NE(why("192.168.77/24").find("not an IPv4 address"), std::string::npos);
    EXPECT_NE(why("kiln.local/24").find("not an IPv4 address"), std::string::npos);
    EXPECT_NE(why("192.168.77.2/0").find("prefix length must be 1-32"), std::string::npos);
    EXPECT_NE(why("192.168.77.2/33").find("prefix length must be 1-32"), std::string::npos);
    EXPECT_NE(why("192.168.77.2/24,192.168.78.1").find("gateway 192.168.78.1 is not in 192.168.77.2/24"),
        std::string::npos);
    EXPECT_NE(why("192.168.77.2/24,192.168.77.2").find("gateway cannot be the guest's own address"), std::string::npos);
    EXPECT_NE(why("192.168.77.2/24,192.168.77.1,dns").find("DNS server dns is not an IPv4 address"), std::string::npos);
}

TEST(Disks, FileSizeAndReadOnly)
{
    auto plain = parse_disk("data.img");
    ASSERT_TRUE(plain.value);
    EXPECT_EQ(plain.value->file, "data.img");
    EXPECT_FALSE(plain.value->create_size);
    EXPECT_FALSE(plain.value->read_only);

    auto sized = parse_disk("/var/data.img:64M");
    ASSERT_TRUE(sized.value) << sized.error;
    EXPECT_EQ(sized.value->file, "/var/data.img");
    EXPECT_EQ(*sized.value->create_size, 64ull << 20);

    auto ro = parse_disk("seed.img,ro");
    ASSERT_TRUE(ro.value);
    EXPECT_TRUE(ro.value->read_only);

    auto both = parse_disk("a:b.img:1G,ro");
    ASSERT_TRUE(both.value) << both.error;
    EXPECT_EQ(both.value->file, "a:b.img");
    EXPECT_EQ(*both.value->create_size, 1ull << 30);
    EXPECT_TRUE(both.value->read_only);
}

TEST(Disks, RejectsBadSizesAndOptions)
{
    EXPECT_FALSE(parse_disk("").value);
    EXPECT_FALSE(parse_disk(":64M").value);
    EXPECT_FALSE(parse_disk("x.img:64Q").value);
    EXPECT_FALSE(parse_disk("x.img:100").value); // not whole sectors
    EXPECT_FALSE(parse_disk("x.img,rw,ro,bogus").value);
    auto opt = parse_disk("x.img,fast");
    EXPECT_NE(opt.error.find("unknown option 'fast'"), std::string::npos) << opt.error;
    EXPECT_EQ(*parse_disk_size("512").value, 512u);
    EXPECT_EQ(*parse_disk_size("4K").value, 4096u);
}

TEST(Memory, SizesQemuUnderstands)
{
    EXPECT_TRUE(parse_memory("512M").value);
    EXPECT_TRUE(parse_memory("2G").value);
    EXPECT_TRUE(parse_memory("256").value);
    for (const char* bad : { "", "512MB", "1.5G", "-1", "8M", "G" })
        EXPECT_FALSE(parse_memory(bad).value) << bad;
}

TEST(Env, KeyEqualsValue)
{
    EXPECT_EQ(check_env_entry("A=1"), "");
    EXPECT_EQ(check_env_entry("A="), "");
    EXPECT_NE(check_env_entry("A"), "");
    EXPECT_NE(check_env_entry("=1"), "");
}

TEST(QemuDevices, ANetworkByDefaultWithoutForwardedPorts)
{
    VmConfig config;
    config.kernel = "/k";
    auto argv = qemu_command(config);
    EXPECT_TRUE(has_pair(argv, "-netdev", "user,id=n0"));
    EXPECT_TRUE(has_pair(argv, "-device", "virtio-net-device,netdev=n0"));
    EXPECT_EQ(std::find(argv.begin(), argv.end(), "-drive"), argv.end());
}

TEST(QemuDevices, NoNetNoDevices)
{
    VmConfig config;
    config.kernel = "/k";
    config.network.mode = NetworkMode::None;
    auto argv = qemu_command(config);
    EXPECT_EQ(std::find(argv.begin(), argv.end(), "-netdev"), argv.end());
    EXPECT_EQ(std::find(argv.begin(), argv.end(), "-drive"), argv.end());
    EXPECT_EQ(std::count(argv.begin(), argv.end(), "-device"), 1); // only isa-debug-exit
}

TEST(QemuDevices, PortsShareOneUserNetdevOnLoopback)
{
    VmConfig config;
    config.kernel = "/k";
    config.ports = { { 8080, 80 }, { 2222, 22 } };
    auto argv = qemu_command(config);
    EXPECT_TRUE(has_pair(argv, "-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=tcp:127.0.0.1:2222-:22"));
    EXPECT_TRUE(has_pair(argv, "-device", "virtio-net-device,netdev=n0"));
    EXPECT_TRUE(has_pair(argv, "-global", "virtio-mmio.force-legacy=false"));
    EXPECT_EQ(std::count(argv.begin(), argv.end(), "-netdev"), 1);
    EXPECT_TRUE(has_pair(argv, "-M", "microvm,acpi=off"));
}

TEST(QemuDevices, UdpForwardsAndTheStaticAddress)
{
    VmConfig config;
    config.kernel = "/k";
    config.ports = { { 5353, 53, Protocol::Udp }, { 8080, 80, Protocol::Tcp } };
    config.ip = parse_static_ip("10.0.2.20/24,10.0.2.2,10.0.2.3").value;
    auto argv = qemu_command(config);
    // The forwards go to the static address: slirp's default is its DHCP address.
    EXPECT_TRUE(has_pair(argv, "-netdev",
        "user,id=n0,hostfwd=udp:127.0.0.1:5353-10.0.2.20:53,hostfwd=tcp:127.0.0.1:8080-10.0.2.20:80"));
    EXPECT_EQ(argv[argv.size() - 1], "console=ttyS0 quiet kiln.ip=10.0.2.20/24,10.0.2.2,10.0.2.3");
}

TEST(QemuDevices, TapWithoutScriptsAndAMacFromItsName)
{
    VmConfig config;
    config.kernel = "/k";
    config.network = *parse_network("tap:kiln0").value;
    config.ip = parse_static_ip("192.168.77.2/24").value;
    config.kernel_args = "kiln.stats";
    auto argv = qemu_command(config);
    EXPECT_TRUE(has_pair(argv, "-netdev", "tap,id=n0,ifname=kiln0,script=no,downscript=no"));
    EXPECT_EQ(std::count(argv.begin(), argv.end(), "-netdev"), 1);
    // The MAC's last bytes are FNV-1a of "kiln0" (golden value).
    EXPECT_TRUE(has_pair(argv, "-device", "virtio-net-device,netdev=n0,mac=52:54:00:05:4f:79"));
    EXPECT_EQ(argv[argv.size() - 1], "console=ttyS0 quiet kiln.ip=192.168.77.2/24 kiln.stats");

    // Another tap, another MAC; none is QEMU's default.
    EXPECT_NE(tap_mac("kiln0"), tap_mac("kiln1"));
    EXPECT_NE(tap_mac("tap0"), "52:54:00:12:34:56");
}

TEST(QemuDevices, DisksInOrderWithReadOnlyAndEscapedCommas)
{
    VmConfig config;
    config.kernel = "/k";
    DiskSpec data { "/d/data.img", std::nullopt, false };
    DiskSpec seed { "/d/a,b.img", std::nullopt, true };
    config.disks = { data, seed };
    auto argv = qemu_command(config);
    EXPECT_TRUE(has_pair(argv, "-drive", "file=/d/data.img,if=none,format=raw,id=d0"));
    EXPECT_TRUE(has_pair(argv, "-device", "virtio-blk-device,drive=d0"));
    EXPECT_TRUE(has_pair(argv, "-drive", "file=/d/a,,b.img,if=none,format=raw,id=d1,readonly=on"));
    EXPECT_TRUE(has_pair(argv, "-device", "virtio-blk-device,drive=d1"));
    // The kernel command line stays last.
    EXPECT_EQ(argv[argv.size() - 2], "-append");
}
