#include <gtest/gtest.h>

#include "dev/virtio/discovery.h"

using namespace kiln;
using namespace kiln::virtio;

TEST(VirtioMmioCmdline, ParsesWhatQemuMicrovmAppends)
{
    MmioDeviceSpec spec;
    ASSERT_TRUE(parse_mmio_device("512@0xfeb00e00:12", spec));
    EXPECT_EQ(spec.size, 512u);
    EXPECT_EQ(spec.base, 0xfeb00e00u);
    EXPECT_EQ(spec.irq, 12);
}

TEST(VirtioMmioCmdline, ParsesLinuxFormatVariants)
{
    MmioDeviceSpec spec;
    // Firecracker: "4K@0xd0000000:5"; Linux's optional trailing platform device ID.
    ASSERT_TRUE(parse_mmio_device("4K@0xd0000000:5", spec));
    EXPECT_EQ(spec.size, 4096u);
    EXPECT_EQ(spec.base, 0xd0000000u);
    EXPECT_EQ(spec.irq, 5);
    ASSERT_TRUE(parse_mmio_device("0x200@0xFEB00C00:11:3", spec));
    EXPECT_EQ(spec.size, 0x200u);
    EXPECT_EQ(spec.base, 0xfeb00c00u);
    ASSERT_TRUE(parse_mmio_device("1M@4G:40", spec));
    EXPECT_EQ(spec.size, 1u << 20);
    EXPECT_EQ(spec.base, 4ULL << 30);
    EXPECT_EQ(spec.irq, 40);
}

TEST(VirtioMmioCmdline, RejectsMalformedValues)
{
    MmioDeviceSpec spec;
    for (const char* bad : { "", "512", "512@", "512@0xfeb00e00", "512@0xfeb00e00:", "@0x1000:5", "0@0x1000:5",
             "512@0xfeb00e00:12x", "512@0xfeb00e00:12:", "512@0xzz:1", "512@0x:1", "x@0x1000:5",
             "0x1000@0xfffffffffffff800:5", "512@99999999999999999999:1", "512@0x1000:99999999999" })
        EXPECT_FALSE(parse_mmio_device(bad, spec)) << bad;
}

TEST(VirtioMmioCmdline, CollectsEveryDeviceInOrder)
{
    Cmdline c("console=ttyS0 virtio_mmio.device=512@0xfeb00e00:12 quiet "
              "virtio_mmio.device=512@0xfeb00c00:11 virtio_mmio.device=junk xvirtio_mmio.device=512@0x1:1");
    MmioDeviceSpec specs[4];
    size_t malformed = 0;
    ASSERT_EQ(mmio_devices_from_cmdline(c, specs, malformed), 2u);
    EXPECT_EQ(malformed, 1u);
    EXPECT_EQ(specs[0].base, 0xfeb00e00u);
    EXPECT_EQ(specs[1].base, 0xfeb00c00u);
    EXPECT_EQ(specs[1].irq, 11);

    MmioDeviceSpec one[1];
    EXPECT_EQ(mmio_devices_from_cmdline(c, one, malformed), 2u) << "counts past the output";
    EXPECT_EQ(one[0].base, 0xfeb00e00u);
    EXPECT_EQ(mmio_devices_from_cmdline(Cmdline("console=ttyS0"), specs, malformed), 0u);
}

TEST(VirtioMicrovm, TransportLayoutAndInterrupts)
{
    EXPECT_EQ(microvm::transport_base(0), 0xfeb00000u);
    EXPECT_EQ(microvm::transport_base(7), 0xfeb00e00u);
    // acpi=off: 8 transports on GSI 5..12 (matches "virtio_mmio.device=512@0xfeb00e00:12").
    EXPECT_EQ(microvm::transport_irq(7, 8, false), 12);
    // ACPI with one IOAPIC: GSI 16..23. With the second IOAPIC (default): 24 on, 24 slots.
    EXPECT_EQ(microvm::transport_irq(0, 8, true), 16);
    EXPECT_EQ(microvm::transport_irq(23, 24, true), 47);
}
