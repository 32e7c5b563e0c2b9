#pragma once

// PCI configuration mechanism #1: address to port 0xCF8, data at 0xCFC (PCI Local Bus
// Specification 3.0, 3.2.2.3.2). Reaches the 256-byte legacy configuration space of
// every function on every bus of a PC-compatible machine (q35, i440fx). Kernel only.
//
// Not synchronized: the address/data pair must not be interleaved, so callers run with
// interrupts off or from the single main context (interrupt handlers never touch
// configuration space).

#include "dev/pci/pci.h"

namespace kiln::pci {

class PortIoConfigAccess final : public ConfigAccess {
public:
    uint32_t read32(Address address, uint16_t offset) override;
    void write32(Address address, uint16_t offset, uint32_t value) override;
    void write16(Address address, uint16_t offset, uint16_t value) override;

    // Whether anything answers at 00:00.0 (a host bridge). microvm has no PCI: the
    // ports read as all ones (or zeros) there.
    bool present();
};

} // namespace kiln::pci
