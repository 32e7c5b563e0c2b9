// PVH start_info parsing against hand-built guest memory, including the hostile cases:
// a boot loader bug must give an error, never a read outside guest memory.

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "boot/boot_info.h"
#include "boot/pvh_start_info.h"

namespace {

using namespace kiln;

class FakeGuestMemory {
public:
    FakeGuestMemory()
        : m_bytes(64 * 1024)
    {
    }

    template <typename T> void put(uint64_t address, const T& value)
    {
        std::memcpy(&m_bytes[address], &value, sizeof(T));
    }
    void put_string(uint64_t address, const char* s) { std::memcpy(&m_bytes[address], s, std::strlen(s) + 1); }

    PhysicalWindow window() const { return PhysicalWindow { m_bytes.data(), m_bytes.size() }; }
    size_t size() const { return m_bytes.size(); }

private:
    std::vector<uint8_t> m_bytes;
};

constexpr uint64_t START = 0x1000;
constexpr uint64_t MEMMAP = 0x2000;
constexpr uint64_t MODLIST = 0x3000;
constexpr uint64_t CMDLINE = 0x4000;
constexpr uint64_t INITRD = 0x8000;

FakeGuestMemory typical_boot()
{
    FakeGuestMemory m;
    pvh::StartInfo info {};
    info.magic = pvh::START_MAGIC;
    info.version = 1;
    info.nr_modules = 1;
    info.modlist_paddr = MODLIST;
    info.cmdline_paddr = CMDLINE;
    info.memmap_paddr = MEMMAP;
    info.memmap_entries = 3;
    m.put(START, info);
    m.put(MEMMAP, pvh::MemmapEntry { 0, 0x9fc00, 1, 0 });
    m.put(MEMMAP + 24, pvh::MemmapEntry { 0x9fc00, 0x400, 2, 0 });
    m.put(MEMMAP + 48, pvh::MemmapEntry { 0x100000, 0x7f00000, 1, 0 });
    m.put(MODLIST, pvh::ModlistEntry { INITRD, 16, 0, 0 });
    m.put_string(CMDLINE, "console=ttyS0 kiln.test=pagefault");
    return m;
}

TEST(BootInfo, ParsesMemoryMapInitrdAndCommandLine)
{
    auto memory = typical_boot();
    BootInfo info;
    ASSERT_FALSE(parse_pvh_start_info(memory.window(), START, info).is_error());
    ASSERT_EQ(info.memory_count, 3u);
    EXPECT_EQ(info.memory[1].type, MemoryType::Reserved);
    EXPECT_EQ(info.ram_bytes(), 0x9fc00u + 0x7f00000u);
    ASSERT_TRUE(info.has_initrd);
    EXPECT_EQ(info.initrd.base, INITRD);
    EXPECT_EQ(info.initrd.size, 16u);
    EXPECT_EQ(info.cmdline_view(), "console=ttyS0 kiln.test=pagefault");
}

TEST(BootInfo, RejectsBadMagicAndVersionZero)
{
    auto memory = typical_boot();
    BootInfo info;
    memory.put<uint32_t>(START, 0x12345678);
    EXPECT_EQ(parse_pvh_start_info(memory.window(), START, info).error(), Errno::INVAL);

    memory = typical_boot();
    memory.put<uint32_t>(START + 4, 0);
    EXPECT_EQ(parse_pvh_start_info(memory.window(), START, info).error(), Errno::INVAL);
}

TEST(BootInfo, StructuresOutsideGuestMemoryAreFaults)
{
    BootInfo info;
    auto memory = typical_boot();
    EXPECT_EQ(parse_pvh_start_info(memory.window(), memory.size() - 8, info).error(), Errno::FAULT);

    memory = typical_boot();
    memory.put<uint64_t>(START + offsetof(pvh::StartInfo, memmap_paddr), ~0ULL - 8);
    EXPECT_EQ(parse_pvh_start_info(memory.window(), START, info).error(), Errno::FAULT);

    memory = typical_boot();
    memory.put<uint32_t>(START + offsetof(pvh::StartInfo, memmap_entries), 0xffffffff);
    EXPECT_EQ(parse_pvh_start_info(memory.window(), START, info).error(), Errno::FAULT);

    memory = typical_boot();
    memory.put(MODLIST, pvh::ModlistEntry { INITRD, 1ULL << 40, 0, 0 });
    EXPECT_EQ(parse_pvh_start_info(memory.window(), START, info).error(), Errno::FAULT);
}

TEST(BootInfo, UnterminatedCommandLineAtTheEndOfMemoryIsAFault)
{
    auto memory = typical_boot();
    uint64_t near_end = memory.size() - 4;
    memory.put<uint32_t>(near_end, 0x41414141);
    memory.put<uint64_t>(START + offsetof(pvh::StartInfo, cmdline_paddr), near_end);
    BootInfo info;
    EXPECT_EQ(parse_pvh_start_info(memory.window(), START, info).error(), Errno::FAULT);
}

TEST(BootInfo, EmptyRegionsAreSkippedAndNoModuleMeansNoInitrd)
{
    auto memory = typical_boot();
    memory.put(MEMMAP + 24, pvh::MemmapEntry { 0, 0, 2, 0 });
    memory.put<uint32_t>(START + offsetof(pvh::StartInfo, nr_modules), 0);
    BootInfo info;
    ASSERT_FALSE(parse_pvh_start_info(memory.window(), START, info).is_error());
    EXPECT_EQ(info.memory_count, 2u);
    EXPECT_FALSE(info.has_initrd);
}

} // namespace
