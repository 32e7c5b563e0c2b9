#include "time/wait.h"

#include "arch/x86_64/apic.h"
#include "arch/x86_64/idt.h"
#include "time/clock.h"

namespace kiln {
namespace {

void on_timer(x86::InterruptFrame&) { x86::lapic_end_of_interrupt(); }

void on_spurious(x86::InterruptFrame&)
{
    // Spurious interrupts need no EOI (SDM vol. 3, 11.9).
}

}  // namespace

void wait_init()
{
    x86::idt_set_handler(x86::TIMER_VECTOR, on_timer);
    x86::idt_set_handler(x86::SPURIOUS_VECTOR, on_spurious);
}

WaitResult wait_until(uint64_t deadline_ns, WaitCondition ready, void* context)
{
    for (;;) {
        if (ready && ready(context))
            return WaitResult::Ready;
        if (monotonic_ns() >= deadline_ns) {
            x86::lapic_timer_cancel();
            return WaitResult::TimedOut;
        }
        if (deadline_ns != WAIT_FOREVER)
            x86::lapic_timer_arm(deadline_ns);
        // STI delays interrupts by one instruction, so nothing can slip in between it and
        // HLT and leave us asleep with the wake-up already handled.
        asm volatile("sti; hlt; cli" ::: "memory");
    }
}

}  // namespace kiln
