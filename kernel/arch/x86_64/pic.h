#pragma once

namespace kiln::x86 {

// The legacy 8259 PICs power up delivering IRQ 0-7 on vectors 8-15, which are CPU
// exception vectors. Remap them to 0x20-0x2f and mask every line; interrupts come
// through the IOAPIC and LAPIC instead. Safe on machines without a PIC.
void pic_disable();

}  // namespace kiln::x86
