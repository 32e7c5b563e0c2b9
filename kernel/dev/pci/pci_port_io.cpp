#include "dev/pci/pci_port_io.h"

#include "arch/x86_64/cpu.h"

namespace kiln::pci {

namespace {

constexpr uint16_t CONFIG_ADDRESS = 0xcf8;
constexpr uint16_t CONFIG_DATA = 0xcfc;

inline uint32_t inl(uint16_t port)
{
    uint32_t value;
    asm volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

uint32_t config_address(Address address, uint16_t offset)
{
    // Bit 31 enable, bus 23:16, device 15:11, function 10:8, dword register 7:2.
    return 0x80000000u | (static_cast<uint32_t>(address.bus) << 16)
        | (static_cast<uint32_t>(address.device & 0x1f) << 11) | (static_cast<uint32_t>(address.function & 7) << 8)
        | (offset & 0xfc);
}

} // namespace

uint32_t PortIoConfigAccess::read32(Address address, uint16_t offset)
{
    if (offset > 0xfc)
        return 0xffffffff;
    x86::outl(CONFIG_ADDRESS, config_address(address, offset));
    return inl(CONFIG_DATA);
}

void PortIoConfigAccess::write32(Address address, uint16_t offset, uint32_t value)
{
    if (offset > 0xfc)
        return;
    x86::outl(CONFIG_ADDRESS, config_address(address, offset));
    x86::outl(CONFIG_DATA, value);
}

void PortIoConfigAccess::write16(Address address, uint16_t offset, uint16_t value)
{
    if (offset > 0xfe)
        return;
    // A 16-bit write at 0xCFC + (offset & 2) changes only that half of the dword (a
    // read-modify-write of the dword would also write 1s back into RW1C status bits).
    x86::outl(CONFIG_ADDRESS, config_address(address, offset));
    x86::outw(static_cast<uint16_t>(CONFIG_DATA + (offset & 2)), value);
}

bool PortIoConfigAccess::present()
{
    uint16_t vendor = read16({ 0, 0, 0 }, VENDOR_ID);
    return vendor != NO_VENDOR && vendor != 0;
}

} // namespace kiln::pci
