#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <map>

#include "dev/pci/msix.h"
#include "dev/pci/pci.h"

using namespace kiln;
using namespace kiln::pci;

namespace {

// Configuration space of a few functions; everything else reads as all ones, as on a
// real bus with nothing there.
class FakeBus final : public ConfigAccess {
public:
    using Space = std::array<uint8_t, 256>;

    Space& add(Address a, uint16_t vendor, uint16_t device, uint8_t header_type = 0)
    {
        Space& s = m_functions[key(a)];
        s.fill(0);
        put16(s, VENDOR_ID, vendor);
        put16(s, DEVICE_ID, device);
        s[HEADER_TYPE] = header_type;
        return s;
    }
    static void put16(Space& s, uint16_t offset, uint16_t v) { std::memcpy(s.data() + offset, &v, 2); }
    static void put32(Space& s, uint16_t offset, uint32_t v) { std::memcpy(s.data() + offset, &v, 4); }

    uint32_t read32(Address a, uint16_t offset) override
    {
        EXPECT_EQ(offset % 4, 0);
        ++reads;
        auto it = m_functions.find(key(a));
        if (it == m_functions.end())
            return 0xffffffff;
        uint32_t v;
        std::memcpy(&v, it->second.data() + offset, 4);
        return v;
    }
    void write32(Address a, uint16_t offset, uint32_t value) override { put32(m_functions.at(key(a)), offset, value); }
    void write16(Address a, uint16_t offset, uint16_t value) override
    {
        ++writes16;
        put16(m_functions.at(key(a)), offset, value);
    }

    int reads = 0;
    int writes16 = 0;

private:
    static uint32_t key(Address a) { return (a.bus << 16) | (a.device << 8) | a.function; }
    std::map<uint32_t, Space> m_functions;
};

} // namespace

TEST(PciScan, FindsFunctionsAndHonoursTheMultifunctionBit)
{
    FakeBus bus;
    bus.add({ 0, 0, 0 }, 0x8086, 0x29c0); // q35 host bridge
    auto& nic = bus.add({ 0, 2, 0 }, 0x1af4, 0x1041);
    FakeBus::put32(nic, SUBSYSTEM_VENDOR_ID, 0x00011af4);
    nic[INTERRUPT_LINE] = 10;
    nic[INTERRUPT_PIN] = 1;
    nic[CLASS_CODE + 2] = 0x02;
    bus.add({ 0, 31, 0 }, 0x8086, 0x2918, HEADER_TYPE_MULTIFUNCTION); // LPC, multifunction
    bus.add({ 0, 31, 2 }, 0x8086, 0x2922);
    // Function 1 of a single-function device must not be probed even if it "answers".
    bus.add({ 0, 2, 1 }, 0x1234, 0x5678);

    Function found[8];
    size_t n = scan_bus(bus, 0, found);
    ASSERT_EQ(n, 4u);
    EXPECT_EQ(found[1].address, (Address { 0, 2, 0 }));
    EXPECT_EQ(found[1].device_id, 0x1041);
    EXPECT_EQ(found[1].subsystem_id, 1);
    EXPECT_EQ(found[1].interrupt_line, 10);
    EXPECT_EQ(found[1].interrupt_pin, 1);
    EXPECT_EQ(found[1].class_code, 0x02);
    EXPECT_EQ(found[3].address, (Address { 0, 31, 2 }));

    Function one[1];
    EXPECT_EQ(scan_bus(bus, 0, one), 4u) << "counts past the output";
    EXPECT_EQ(one[0].vendor_id, 0x8086);
    EXPECT_EQ(scan_bus(bus, 1, found), 0u);
}

TEST(PciCapabilities, WalksTheListAndMasksReservedBits)
{
    FakeBus bus;
    auto& s = bus.add({ 0, 3, 0 }, 0x1af4, 0x1042);
    FakeBus::put16(s, STATUS, STATUS_CAPABILITIES_LIST);
    s[CAPABILITIES_POINTER] = 0x43; // low bits reserved: 0x40
    s[0x40] = CAP_ID_MSIX;
    s[0x41] = 0x52; // -> 0x50
    s[0x50] = CAP_ID_VENDOR_SPECIFIC;
    s[0x51] = 0;
    Capability caps[4];
    ASSERT_EQ(capabilities(bus, { 0, 3, 0 }, caps), 2u);
    EXPECT_EQ(caps[0].offset, 0x40);
    EXPECT_EQ(caps[0].id, CAP_ID_MSIX);
    EXPECT_EQ(caps[1].offset, 0x50);
    EXPECT_EQ(caps[1].id, CAP_ID_VENDOR_SPECIFIC);
}

TEST(PciCapabilities, NoListWithoutTheStatusBit)
{
    FakeBus bus;
    auto& s = bus.add({ 0, 3, 0 }, 0x1af4, 0x1042);
    s[CAPABILITIES_POINTER] = 0x40;
    s[0x40] = CAP_ID_MSIX;
    Capability caps[4];
    EXPECT_EQ(capabilities(bus, { 0, 3, 0 }, caps), 0u);
}

TEST(PciCapabilities, LoopsAndPointersIntoTheHeaderEndTheWalk)
{
    FakeBus bus;
    auto& s = bus.add({ 0, 3, 0 }, 0x1af4, 0x1042);
    FakeBus::put16(s, STATUS, STATUS_CAPABILITIES_LIST);
    s[CAPABILITIES_POINTER] = 0x40;
    s[0x40] = 0x09;
    s[0x41] = 0x40; // points at itself
    Capability caps[64];
    size_t n = capabilities(bus, { 0, 3, 0 }, caps);
    EXPECT_LE(n, 48u) << "bounded";
    s[0x41] = 0x10; // into the header
    EXPECT_EQ(capabilities(bus, { 0, 3, 0 }, caps), 1u);
}

TEST(PciBars, DecodesMemoryIoAnd64BitBars)
{
    FakeBus bus;
    auto& s = bus.add({ 0, 3, 0 }, 0x1af4, 0x1041);
    FakeBus::put32(s, BAR0, 0xfebd1000); // 32-bit memory
    FakeBus::put32(s, BAR0 + 4, 0xc041); // I/O
    FakeBus::put32(s, BAR0 + 8, 0x0000000c); // 64-bit prefetchable, low half
    FakeBus::put32(s, BAR0 + 12, 0x00000008); // high half: 0x8_00000000
    FakeBus::put32(s, BAR0 + 16, 0xfe00000c); // another 64-bit one, BAR 4-5
    FakeBus::put32(s, BAR0 + 20, 0);
    Address a { 0, 3, 0 };

    auto b0 = read_bar(bus, a, 0);
    ASSERT_FALSE(b0.is_error());
    EXPECT_EQ(b0->address, 0xfebd1000u);
    EXPECT_FALSE(b0->io);
    EXPECT_FALSE(b0->is_64bit);
    auto b1 = read_bar(bus, a, 1);
    EXPECT_TRUE(b1->io);
    EXPECT_EQ(b1->address, 0xc040u);
    auto b2 = read_bar(bus, a, 2);
    EXPECT_TRUE(b2->is_64bit);
    EXPECT_TRUE(b2->prefetchable);
    EXPECT_EQ(b2->address, 0x800000000ULL);
    EXPECT_EQ(read_bar(bus, a, 3).error(), Errno::INVAL) << "upper half of BAR 2";
    EXPECT_EQ(read_bar(bus, a, 4)->address, 0xfe000000u);
    EXPECT_EQ(read_bar(bus, a, 5).error(), Errno::INVAL);
    EXPECT_EQ(read_bar(bus, a, 6).error(), Errno::INVAL);
}

TEST(PciCommand, SetsBitsWithOneSixteenBitWriteOnlyWhenNeeded)
{
    FakeBus bus;
    auto& s = bus.add({ 0, 3, 0 }, 0x1af4, 0x1041);
    FakeBus::put32(s, COMMAND, 0x00100001); // status: capabilities; command: I/O space
    enable_command_bits(bus, { 0, 3, 0 }, COMMAND_MEMORY_SPACE | COMMAND_BUS_MASTER);
    EXPECT_EQ(bus.writes16, 1);
    EXPECT_EQ(bus.read16({ 0, 3, 0 }, COMMAND), 0x0007);
    EXPECT_EQ(bus.read16({ 0, 3, 0 }, STATUS), 0x0010) << "status untouched";
    enable_command_bits(bus, { 0, 3, 0 }, COMMAND_MEMORY_SPACE);
    EXPECT_EQ(bus.writes16, 1);
}

TEST(PciCommand, ClearsBitsOnlyWhenSet)
{
    FakeBus bus;
    auto& s = bus.add({ 0, 3, 0 }, 0x1af4, 0x1041);
    FakeBus::put32(s, COMMAND, 0x00100406); // INTx disabled, memory, bus master
    disable_command_bits(bus, { 0, 3, 0 }, COMMAND_INTX_DISABLE);
    EXPECT_EQ(bus.read16({ 0, 3, 0 }, COMMAND), 0x0006);
    EXPECT_EQ(bus.read16({ 0, 3, 0 }, STATUS), 0x0010);
    disable_command_bits(bus, { 0, 3, 0 }, COMMAND_INTX_DISABLE);
    EXPECT_EQ(bus.writes16, 1);
}

// --- MSI-X (PCI 3.0, 6.8.2) ---

namespace {

// QEMU's virtio-net-pci: MSI-X capability at 0x98 (4 entries, table at BAR 1 + 0, PBA at
// BAR 1 + 0x800), then a vendor-specific one at 0x84.
FakeBus::Space& add_qemu_msix_function(FakeBus& bus, Address a)
{
    auto& s = bus.add(a, 0x1af4, 0x1041);
    FakeBus::put16(s, STATUS, STATUS_CAPABILITIES_LIST);
    s[CAPABILITIES_POINTER] = 0x98;
    const uint8_t msix[12] = { 0x11, 0x84, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00 };
    std::memcpy(s.data() + 0x98, msix, sizeof(msix));
    s[0x84] = CAP_ID_VENDOR_SPECIFIC;
    s[0x85] = 0;
    return s;
}

} // namespace

TEST(PciMsix, FindsTheCapabilityTableAndPba)
{
    FakeBus bus;
    add_qemu_msix_function(bus, { 0, 1, 0 });
    auto msix = find_msix(bus, { 0, 1, 0 });
    ASSERT_FALSE(msix.is_error());
    EXPECT_EQ(msix->offset, 0x98);
    EXPECT_EQ(msix->table_size, 4) << "the field holds N - 1";
    EXPECT_EQ(msix->table_bar, 1);
    EXPECT_EQ(msix->table_offset, 0u);
    EXPECT_EQ(msix->pba_bar, 1);
    EXPECT_EQ(msix->pba_offset, 0x800u);
    EXPECT_EQ(msix->table_bytes(), 64u);
    EXPECT_EQ(msix->pba_bytes(), 8u);
    EXPECT_EQ(MsixCapability::entry_offset(3), 48u);
}

TEST(PciMsix, TableSizeAndOffsetsUseTheirFieldsOnly)
{
    FakeBus bus;
    auto& s = add_qemu_msix_function(bus, { 0, 1, 0 });
    // Enable and function mask set, 2048 entries; table in BAR 4 at 0x2000, PBA in BAR 5.
    FakeBus::put16(s, 0x98 + MSIX_MESSAGE_CONTROL, 0xc7ff);
    FakeBus::put32(s, 0x98 + MSIX_TABLE_OFFSET_BIR, 0x2004);
    FakeBus::put32(s, 0x98 + MSIX_PBA_OFFSET_BIR, 0x10005);
    auto msix = find_msix(bus, { 0, 1, 0 });
    ASSERT_FALSE(msix.is_error());
    EXPECT_EQ(msix->table_size, 2048);
    EXPECT_EQ(msix->table_bar, 4);
    EXPECT_EQ(msix->table_offset, 0x2000u);
    EXPECT_EQ(msix->pba_bar, 5);
    EXPECT_EQ(msix->pba_offset, 0x10000u);
    EXPECT_EQ(msix->table_bytes(), 2048u * 16);
    EXPECT_EQ(msix->pba_bytes(), 256u) << "one bit per entry in qwords";
    FakeBus::put16(s, 0x98 + MSIX_MESSAGE_CONTROL, 64); // 65 entries: two qwords
    EXPECT_EQ(find_msix(bus, { 0, 1, 0 })->pba_bytes(), 16u);
}

TEST(PciMsix, AbsentOrReservedBir)
{
    FakeBus bus;
    auto& s = add_qemu_msix_function(bus, { 0, 1, 0 });
    s[0x98] = CAP_ID_MSI; // plain MSI is not MSI-X
    EXPECT_EQ(find_msix(bus, { 0, 1, 0 }).error(), Errno::NOENT);
    s[0x98] = CAP_ID_MSIX;
    FakeBus::put32(s, 0x98 + MSIX_TABLE_OFFSET_BIR, 0x6); // 6.8.2.4: BIR 6 and 7 reserved
    EXPECT_EQ(find_msix(bus, { 0, 1, 0 }).error(), Errno::INVAL);
    FakeBus::put32(s, 0x98 + MSIX_TABLE_OFFSET_BIR, 0x1);
    FakeBus::put32(s, 0x98 + MSIX_PBA_OFFSET_BIR, 0x807);
    EXPECT_EQ(find_msix(bus, { 0, 1, 0 }).error(), Errno::INVAL);
    // A capability that would run past configuration space.
    auto& t = bus.add({ 0, 2, 0 }, 0x1af4, 0x1042);
    FakeBus::put16(t, STATUS, STATUS_CAPABILITIES_LIST);
    t[CAPABILITIES_POINTER] = 0xf8;
    t[0xf8] = CAP_ID_MSIX;
    EXPECT_EQ(find_msix(bus, { 0, 2, 0 }).error(), Errno::INVAL);
}

TEST(PciMsix, EnableMasksTheFunctionUntilUnmasked)
{
    FakeBus bus;
    add_qemu_msix_function(bus, { 0, 1, 0 });
    Address a { 0, 1, 0 };
    auto msix = find_msix(bus, a).value();
    msix_enable(bus, a, msix);
    EXPECT_EQ(msix_control(bus, a, msix), MSIX_CONTROL_ENABLE | MSIX_CONTROL_FUNCTION_MASK | 3);
    EXPECT_EQ(bus.read8(a, 0x98), CAP_ID_MSIX) << "one 16-bit write: the header is untouched";
    EXPECT_EQ(bus.read8(a, 0x99), 0x84);
    msix_unmask_function(bus, a, msix);
    EXPECT_EQ(msix_control(bus, a, msix), MSIX_CONTROL_ENABLE | 3);
    msix_disable(bus, a, msix);
    EXPECT_EQ(msix_control(bus, a, msix), 3);
}
