#include "dev/pci/pci.h"

namespace kiln::pci {

namespace {

// A list longer than this loops: 256 bytes of config space, 4 bytes minimum per
// capability, the first 64 taken by the header.
constexpr size_t MAX_CAPABILITIES = 48;
constexpr uint8_t FIRST_CAPABILITY_OFFSET = 0x40;

Function read_function(ConfigAccess& config, Address address)
{
    Function f;
    f.address = address;
    uint32_t id = config.read32(address, VENDOR_ID);
    f.vendor_id = static_cast<uint16_t>(id);
    f.device_id = static_cast<uint16_t>(id >> 16);
    uint32_t class_revision = config.read32(address, REVISION_ID);
    f.revision = static_cast<uint8_t>(class_revision);
    f.subclass = static_cast<uint8_t>(class_revision >> 16);
    f.class_code = static_cast<uint8_t>(class_revision >> 24);
    f.header_type = config.read8(address, HEADER_TYPE) & HEADER_TYPE_MASK;
    if (f.header_type == 0) {
        uint32_t subsystem = config.read32(address, SUBSYSTEM_VENDOR_ID);
        f.subsystem_vendor_id = static_cast<uint16_t>(subsystem);
        f.subsystem_id = static_cast<uint16_t>(subsystem >> 16);
    }
    uint32_t interrupt = config.read32(address, INTERRUPT_LINE);
    f.interrupt_line = static_cast<uint8_t>(interrupt);
    f.interrupt_pin = static_cast<uint8_t>(interrupt >> 8);
    return f;
}

} // namespace

size_t scan_bus(ConfigAccess& config, uint8_t bus, std::span<Function> out)
{
    size_t found = 0;
    for (uint8_t device = 0; device < 32; ++device) {
        Address first { bus, device, 0 };
        if (config.read16(first, VENDOR_ID) == NO_VENDOR)
            continue;
        bool multifunction = (config.read8(first, HEADER_TYPE) & HEADER_TYPE_MULTIFUNCTION) != 0;
        uint8_t functions = multifunction ? 8 : 1;
        for (uint8_t function = 0; function < functions; ++function) {
            Address address { bus, device, function };
            if (function != 0 && config.read16(address, VENDOR_ID) == NO_VENDOR)
                continue;
            if (found < out.size())
                out[found] = read_function(config, address);
            ++found;
        }
    }
    return found;
}

size_t capabilities(ConfigAccess& config, Address address, std::span<Capability> out)
{
    if ((config.read16(address, STATUS) & STATUS_CAPABILITIES_LIST) == 0)
        return 0;
    size_t stored = 0;
    // 6.7: the bottom two bits of every pointer are reserved and masked off.
    uint8_t offset = config.read8(address, CAPABILITIES_POINTER) & 0xfc;
    for (size_t walked = 0; offset != 0 && walked < MAX_CAPABILITIES; ++walked) {
        if (offset < FIRST_CAPABILITY_OFFSET)
            break;
        uint16_t header = config.read16(address, offset);
        if (stored < out.size())
            out[stored++] = Capability { offset, static_cast<uint8_t>(header) };
        offset = static_cast<uint8_t>(header >> 8) & 0xfc;
    }
    return stored;
}

Result<Bar> read_bar(ConfigAccess& config, Address address, size_t index)
{
    auto bar_register = [&](size_t i) { return config.read32(address, static_cast<uint16_t>(BAR0 + 4 * i)); };
    auto is_64bit_memory = [](uint32_t value) { return (value & 1) == 0 && ((value >> 1) & 3) == 2; };
    // Walk from BAR0: a 64-bit BAR takes two slots, and its upper half is no BAR.
    size_t i = 0;
    while (i < index && i < BAR_COUNT)
        i += is_64bit_memory(bar_register(i)) ? 2 : 1;
    if (i != index || index >= BAR_COUNT)
        return Errno::INVAL;

    uint32_t low = bar_register(index);
    Bar bar;
    if (low & 1) {
        bar.io = true;
        bar.address = low & ~3u;
        return bar;
    }
    bar.prefetchable = (low & 8) != 0;
    bar.address = low & ~0xfu;
    if (is_64bit_memory(low)) {
        if (index + 1 >= BAR_COUNT)
            return Errno::INVAL;
        bar.is_64bit = true;
        bar.address |= static_cast<uint64_t>(bar_register(index + 1)) << 32;
    }
    return bar;
}

void enable_command_bits(ConfigAccess& config, Address address, uint16_t bits)
{
    uint16_t command = config.read16(address, COMMAND);
    if ((command & bits) != bits)
        config.write16(address, COMMAND, static_cast<uint16_t>(command | bits));
}

void disable_command_bits(ConfigAccess& config, Address address, uint16_t bits)
{
    uint16_t command = config.read16(address, COMMAND);
    if (command & bits)
        config.write16(address, COMMAND, static_cast<uint16_t>(command & ~bits));
}

} // namespace kiln::pci
