#include "arch/x86_64/idt.h"

#include "arch/x86_64/exceptions.h"
#include "arch/x86_64/gdt.h"
#include "dev/console.h"

extern "C" const uint64_t interrupt_stubs[256];

namespace kiln::x86 {
namespace {

struct [[gnu::packed]] Gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attributes;
    uint16_t offset_middle;
    uint32_t offset_high;
    uint32_t reserved;
};
static_assert(sizeof(Gate) == 16);

struct [[gnu::packed]] IdtPointer {
    uint16_t limit;
    uint64_t base;
};

constexpr uint8_t INTERRUPT_GATE = 0x8e; // present, DPL 0, 64-bit interrupt gate (IF cleared)

alignas(16) Gate g_idt[256];
InterruptHandler g_handlers[256];

InterruptStack stack_for(unsigned vector)
{
    switch (vector) {
    case 2:
        return InterruptStack::Nmi;
    case 8:
        return InterruptStack::DoubleFault;
    case 18:
        return InterruptStack::MachineCheck;
    default:
        return InterruptStack::None;
    }
}

} // namespace

void idt_init()
{
    for (unsigned v = 0; v < 256; ++v) {
        uint64_t address = interrupt_stubs[v];
        g_idt[v] = Gate {
            static_cast<uint16_t>(address),
            KERNEL_CODE_SELECTOR,
            static_cast<uint8_t>(stack_for(v)),
            INTERRUPT_GATE,
            static_cast<uint16_t>(address >> 16),
            static_cast<uint32_t>(address >> 32),
            0,
        };
    }
    IdtPointer pointer { sizeof(g_idt) - 1, reinterpret_cast<uint64_t>(g_idt) };
    asm volatile("lidt %0" ::"m"(pointer));
}

void idt_set_handler(uint8_t vector, InterruptHandler handler) { g_handlers[vector] = handler; }

} // namespace kiln::x86

// Called from interrupt_entry.S with interrupts off.
extern "C" void interrupt_dispatch(kiln::x86::InterruptFrame* frame)
{
    using namespace kiln::x86;
    if (frame->vector < 32) {
        handle_exception(*frame);
        return;
    }
    if (auto handler = g_handlers[frame->vector]) {
        handler(*frame);
        return;
    }
    kiln::kprintf("kiln: unexpected interrupt vector %lu\n", frame->vector);
}
