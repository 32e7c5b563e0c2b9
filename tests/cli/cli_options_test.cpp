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
    config.network = false;
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
