#include "dev/power.h"

#include "arch/x86_64/cpu.h"
#include "dev/console.h"

namespace kiln {
namespace {

constexpr uint16_t DEBUG_EXIT_PORT = 0xf4;
constexpr uint16_t I8042_COMMAND_PORT = 0x64;
constexpr uint8_t I8042_PULSE_RESET = 0xfe;

[[noreturn]] void triple_fault()
{
    struct [[gnu::packed]] {
        uint16_t limit = 0;
        uint64_t base = 0;
    } empty_idt;
    asm volatile("lidt %0; int3" ::"m"(empty_idt));
    x86::halt_forever();
}

} // namespace

void power_off(int status)
{
    x86::cli();
    status &= 0xff;
    kprintf("kiln: exit status %d\n", status);
    x86::outl(DEBUG_EXIT_PORT, static_cast<uint32_t>(status));
    x86::outb(I8042_COMMAND_PORT, I8042_PULSE_RESET);
    triple_fault();
}

} // namespace kiln
