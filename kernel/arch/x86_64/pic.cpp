#include "arch/x86_64/pic.h"

#include "arch/x86_64/cpu.h"

namespace kiln::x86 {

void pic_disable()
{
    constexpr uint16_t MASTER_COMMAND = 0x20, MASTER_DATA = 0x21, SLAVE_COMMAND = 0xa0, SLAVE_DATA = 0xa1;
    outb(MASTER_COMMAND, 0x11);  // ICW1: initialise, ICW4 follows
    outb(SLAVE_COMMAND, 0x11);
    outb(MASTER_DATA, 0x20);  // ICW2: vector base
    outb(SLAVE_DATA, 0x28);
    outb(MASTER_DATA, 0x04);  // ICW3: slave on IRQ 2
    outb(SLAVE_DATA, 0x02);
    outb(MASTER_DATA, 0x01);  // ICW4: 8086 mode
    outb(SLAVE_DATA, 0x01);
    outb(MASTER_DATA, 0xff);  // mask everything
    outb(SLAVE_DATA, 0xff);
}

}  // namespace kiln::x86
