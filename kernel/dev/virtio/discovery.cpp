#include "dev/virtio/discovery.h"

namespace kiln::virtio {

namespace {

constexpr std::string_view KEY = "virtio_mmio.device=";

// Linux's memparse(): 0x-hex, 0-octal is not used by anyone here so decimal, then an
// optional K/M/G (binary) suffix. Consumes what it parses from `text`.
bool parse_number(std::string_view& text, uint64_t& out, bool allow_suffix)
{
    size_t i = 0;
    unsigned base = 10;
    if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        i = 2;
    }
    size_t first_digit = i;
    uint64_t value = 0;
    for (; i < text.size(); ++i) {
        char c = text[i];
        unsigned digit;
        if (c >= '0' && c <= '9')
            digit = static_cast<unsigned>(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            digit = static_cast<unsigned>(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            digit = static_cast<unsigned>(c - 'A' + 10);
        else
            break;
        if (value > (UINT64_MAX - digit) / base)
            return false;
        value = value * base + digit;
    }
    if (i == first_digit)
        return false;
    if (allow_suffix && i < text.size()) {
        unsigned shift = 0;
        switch (text[i]) {
        case 'k':
        case 'K':
            shift = 10;
            break;
        case 'm':
        case 'M':
            shift = 20;
            break;
        case 'g':
        case 'G':
            shift = 30;
            break;
        default:
            break;
        }
        if (shift) {
            if (value > (UINT64_MAX >> shift))
                return false;
            value <<= shift;
            ++i;
        }
    }
    out = value;
    text = std::string_view(text.data() + i, text.size() - i);
    return true;
}

bool consume(std::string_view& text, char c)
{
    if (text.empty() || text[0] != c)
        return false;
    text = std::string_view(text.data() + 1, text.size() - 1);
    return true;
}

} // namespace

bool parse_mmio_device(std::string_view text, MmioDeviceSpec& out)
{
    uint64_t size = 0, base = 0, irq = 0;
    if (!parse_number(text, size, true) || !consume(text, '@') || !parse_number(text, base, true) || !consume(text, ':')
        || !parse_number(text, irq, false))
        return false;
    // An optional ":<id>" (the first platform device ID) follows; it means nothing here.
    if (!text.empty()) {
        uint64_t id = 0;
        if (!consume(text, ':') || !parse_number(text, id, false) || !text.empty())
            return false;
    }
    if (size == 0 || base + size < base || irq > 0x7fffffff)
        return false;
    out = MmioDeviceSpec { base, size, static_cast<int>(irq) };
    return true;
}

size_t mmio_devices_from_cmdline(const Cmdline& cmdline, std::span<MmioDeviceSpec> out, size_t& malformed)
{
    malformed = 0;
    size_t found = 0;
    std::string_view text = cmdline.text();
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n'))
            ++i;
        size_t start = i;
        while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n')
            ++i;
        std::string_view word(text.data() + start, i - start);
        if (word.size() < KEY.size() || std::string_view(word.data(), KEY.size()) != KEY)
            continue;
        MmioDeviceSpec spec;
        if (!parse_mmio_device(std::string_view(word.data() + KEY.size(), word.size() - KEY.size()), spec)) {
            ++malformed;
            continue;
        }
        if (found < out.size())
            out[found] = spec;
        ++found;
    }
    return found;
}

namespace microvm {

int transport_irq(size_t index, size_t transports_present, bool acpi)
{
    // hw/i386/microvm.c, microvm_devices_init(): virtio_irq_base is 5 without ACPI,
    // 16 with ACPI and one IOAPIC, IO_APIC_SECONDARY_IRQBASE (24) with the second.
    if (transports_present > TRANSPORTS_WITHOUT_IOAPIC2)
        return static_cast<int>(24 + index);
    return static_cast<int>((acpi ? 16 : 5) + index);
}

} // namespace microvm

} // namespace kiln::virtio
