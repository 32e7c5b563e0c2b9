#include "time/wait.h"

#include "arch/x86_64/apic.h"
#include "arch/x86_64/idt.h"
#include "time/clock.h"

namespace kiln {
namespace {

void on_timer(x86::InterruptFrame&) { x86::lapic_end_of_interrupt(); }

struct Service {
    void (*run)();
    uint64_t (*deadline)();
};
Service g_services[MAX_WAIT_SERVICES];
int g_service_count = 0;
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

void wait_add_service(void (*service)(), uint64_t (*deadline)())
{
    if (g_service_count < MAX_WAIT_SERVICES)
        g_services[g_service_count++] = Service { service, deadline };
}

void wait_set_poll_interval(uint64_t interval_ns) { g_poll_interval_ns = interval_ns; }

void run_deferred_work()
{
    for (int i = 0; i < g_service_count; ++i)
        g_services[i].run();
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
        for (int i = 0; i < g_service_count; ++i) {
            uint64_t service = g_services[i].deadline ? g_services[i].deadline() : WAIT_FOREVER;
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
