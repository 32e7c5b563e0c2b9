// How `kiln run` reads the guest's exit status and builds the QEMU command line.

#include <gtest/gtest.h>

#include <algorithm>

#include "vm.h"

using namespace kiln::cli;

TEST(GuestExitStatus, ReadsTheStatusLine)
{
    EXPECT_EQ(guest_exit_status("kiln: exit status 0"), 0);
    EXPECT_EQ(guest_exit_status("kiln: exit status 139"), 139);
    EXPECT_EQ(guest_exit_status("kiln: exit status 255\r"), 255);
}

TEST(GuestExitStatus, AnythingElseIsNoStatus)
{
    EXPECT_EQ(guest_exit_status(""), -1);
    EXPECT_EQ(guest_exit_status("kiln: exit status"), -1);
    EXPECT_EQ(guest_exit_status("kiln: exit status 256"), -1);
    EXPECT_EQ(guest_exit_status("app: kiln: exit status 3"), -1);
    EXPECT_EQ(guest_exit_status("kiln: exit status 3 and more"), -1);
}

TEST(QemuCommand, TcgUsesCpuMaxAndDebugExit)
{
    VmConfig config;
    config.kernel = "/k";
    config.initrd = "/root.erofs";
    config.accel = Accel::Tcg;
    config.kernel_args = "kiln.test=pagefault";
    auto argv = qemu_command(config);
    auto has_pair = [&](const std::string& a, const std::string& b) {
        for (size_t i = 0; i + 1 < argv.size(); ++i)
            if (argv[i] == a && argv[i + 1] == b)
                return true;
        return false;
    };
    EXPECT_TRUE(has_pair("-accel", "tcg"));
    EXPECT_TRUE(has_pair("-cpu", "max"));
    EXPECT_TRUE(has_pair("-M", "microvm,acpi=off"));
    EXPECT_TRUE(has_pair("-global", "virtio-mmio.force-legacy=false"));
    EXPECT_TRUE(has_pair("-initrd", "/root.erofs"));
    EXPECT_TRUE(has_pair("-device", "isa-debug-exit,iobase=0xf4,iosize=4"));
    EXPECT_TRUE(has_pair("-append", "console=ttyS0 quiet kiln.test=pagefault"));
}

TEST(QemuCommand, VerboseDropsQuiet)
{
    VmConfig config;
    config.kernel = "/k";
    config.quiet = false;
    auto argv = qemu_command(config);
    EXPECT_NE(std::find(argv.begin(), argv.end(), "console=ttyS0"), argv.end());
}

TEST(QemuCommand, KvmUsesHostCpuAndNoInitrdFlagWhenNone)
{
    VmConfig config;
    config.kernel = "/k";
    config.accel = Accel::Kvm;
    auto argv = qemu_command(config);
    EXPECT_NE(std::find(argv.begin(), argv.end(), "host"), argv.end());
    EXPECT_EQ(std::find(argv.begin(), argv.end(), "-initrd"), argv.end());
}
