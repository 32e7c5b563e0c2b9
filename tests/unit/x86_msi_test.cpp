#include <gtest/gtest.h>

#include "arch/x86_64/msi.h"

using namespace kiln;
using namespace kiln::x86;

// Intel SDM vol. 3, 11.11: address 0xFEE0_0000 | destination ID << 12 (physical mode, no
// redirection hint); data = the vector, fixed delivery, edge-triggered.
TEST(X86Msi, AddressNamesTheApicAndDataTheVector)
{
    auto boot_cpu = msi_encode(0, 0x50);
    ASSERT_FALSE(boot_cpu.is_error());
    EXPECT_EQ(boot_cpu->address, 0xfee00000u);
    EXPECT_EQ(boot_cpu->data, 0x0050u);

    auto other = msi_encode(0x2a, 0xef);
    ASSERT_FALSE(other.is_error());
    EXPECT_EQ(other->address, 0xfee2a000u);
    EXPECT_EQ(other->data, 0x00efu);
    EXPECT_EQ(other->data & MSI_DATA_TRIGGER_LEVEL, 0u) << "edge";
    EXPECT_EQ(other->data & 0x700u, 0u) << "fixed delivery";

    EXPECT_EQ(msi_encode(0xff, 0x50)->address, 0xfeeff000u);
}

TEST(X86Msi, RefusesWhatTheMessageCannotCarry)
{
    EXPECT_EQ(msi_encode(0x100, 0x50).error(), Errno::RANGE) << "x2APIC ID beyond 8 bits";
    EXPECT_EQ(msi_encode(0, 15).error(), Errno::INVAL) << "reserved vector";
    EXPECT_FALSE(msi_encode(0, 16).is_error());
}
