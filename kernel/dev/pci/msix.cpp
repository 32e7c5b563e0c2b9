#include "dev/pci/msix.h"

namespace kiln::pci {

namespace {

constexpr size_t MAX_CAPABILITIES = 48;

void write_control(ConfigAccess& config, Address address, const MsixCapability& msix, uint16_t control)
{
    config.write16(address, static_cast<uint16_t>(msix.offset + MSIX_MESSAGE_CONTROL), control);
}

} // namespace

Result<MsixCapability> find_msix(ConfigAccess& config, Address address)
{
    Capability caps[MAX_CAPABILITIES];
    size_t count = capabilities(config, address, caps);
    for (size_t i = 0; i < count; ++i) {
        if (caps[i].id != CAP_ID_MSIX)
            continue;
        // The capability is 12 bytes; one that would run past config space is broken.
        if (caps[i].offset + MSIX_CAPABILITY_LENGTH > 256)
            return Errno::INVAL;
        MsixCapability msix;
        msix.offset = caps[i].offset;
        uint16_t control = config.read16(address, static_cast<uint16_t>(msix.offset + MSIX_MESSAGE_CONTROL));
        msix.table_size = static_cast<uint16_t>((control & MSIX_CONTROL_TABLE_SIZE) + 1);
        uint32_t table = config.read32(address, static_cast<uint16_t>(msix.offset + MSIX_TABLE_OFFSET_BIR));
        uint32_t pba = config.read32(address, static_cast<uint16_t>(msix.offset + MSIX_PBA_OFFSET_BIR));
        msix.table_bar = static_cast<uint8_t>(table & MSIX_BIR_MASK);
        msix.table_offset = table & ~MSIX_BIR_MASK;
        msix.pba_bar = static_cast<uint8_t>(pba & MSIX_BIR_MASK);
        msix.pba_offset = pba & ~MSIX_BIR_MASK;
        // 6.8.2.4: BIR values 6 and 7 are reserved.
        if (msix.table_bar >= BAR_COUNT || msix.pba_bar >= BAR_COUNT)
            return Errno::INVAL;
        return msix;
    }
    return Errno::NOENT;
}

uint16_t msix_control(ConfigAccess& config, Address address, const MsixCapability& msix)
{
    return config.read16(address, static_cast<uint16_t>(msix.offset + MSIX_MESSAGE_CONTROL));
}

void msix_enable(ConfigAccess& config, Address address, const MsixCapability& msix)
{
    uint16_t control = msix_control(config, address, msix);
    write_control(config, address, msix,
        static_cast<uint16_t>(control | MSIX_CONTROL_ENABLE | MSIX_CONTROL_FUNCTION_MASK));
}

void msix_unmask_function(ConfigAccess& config, Address address, const MsixCapability& msix)
{
    uint16_t control = msix_control(config, address, msix);
    write_control(config, address, msix, static_cast<uint16_t>(control & ~MSIX_CONTROL_FUNCTION_MASK));
}

void msix_disable(ConfigAccess& config, Address address, const MsixCapability& msix)
{
    uint16_t control = msix_control(config, address, msix);
    write_control(config, address, msix,
        static_cast<uint16_t>(control & ~(MSIX_CONTROL_ENABLE | MSIX_CONTROL_FUNCTION_MASK)));
}

} // namespace kiln::pci
