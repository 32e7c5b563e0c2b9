#include "time/wait.h"

#include "arch/x86_64/apic.h"
#include "arch/x86_64/idt.h"
#include "time/clock.h"

namespace kiln {
namespace {

void on_timer(x86::InterruptFrame&) { x86::lapic_end_of_interrupt(); }

void (*g_service)() = nullptr;
uint64_t (*g_service_deadline)() = nullptr;
uint64_t g_poll_interval_ns = 0; // 0: interrupts wake every waiter

void on_spurious(x86::InterruptFrame&)
{
    // Spurious interrupts need no EOI (SDM vol. 3, 11.9).
}

} // namespace

void wait_init()
{
    x86::idt_set_handler(x86::TIMER_VECTOR, on_timer);
    x86::idt_set_handler(x86::SPURIOUS_VECTOR, on_spurious);
}

void wait_set_service(void (*service)(), uint64_t (*deadline)())
{
    g_service = service;
    g_service_deadline = deadline;
}

void wait_set_poll_interval(uint64_t interval_ns) { g_poll_interval_ns = interval_ns; }

void run_deferred_work()
{
    if (g_service)
        g_service();
}

WaitResult wait_until(uint64_t deadline_ns, WaitCondition ready, void* context)
{
    for (;;) {
        run_deferred_work();
        if (ready && ready(context))
            return WaitResult::Ready;
        if (monotonic_ns() >= deadline_ns) {
            x86::lapic_timer_cancel();
            return WaitResult::TimedOut;
        }
        uint64_t wake = deadline_ns;
        if (g_service_deadline) {
            uint64_t service = g_service_deadline();
            if (service < wake)
                wake = service;
        }
        if (g_poll_interval_ns) {
            uint64_t poll = monotonic_ns() + g_poll_interval_ns;
            if (poll < wake)
                wake = poll;
        }
        if (wake != WAIT_FOREVER)
            x86::lapic_timer_arm(wake);
        // STI delays interrupts by one instruction, so nothing can slip in between it and
        // HLT and leave us asleep with the wake-up already handled.
        asm volatile("sti; hlt; cli" ::: "memory");
    }
}

} // namespace kiln
