#pragma once

// Waiting in the kernel: halt the CPU with interrupts enabled until a deadline passes or
// a condition becomes true (checked after every interrupt). This is the only place the
// kernel runs with interrupts on, so interrupt handlers only ever see the kernel here or
// in user mode, never in the middle of a system call.

#include <stdint.h>

namespace kiln {

inline constexpr uint64_t WAIT_FOREVER = ~0ULL;

enum class WaitResult { Ready, TimedOut };

using WaitCondition = bool (*)(void* context);

// `ready` may be null (a plain sleep). Deadlines are monotonic nanoseconds.
WaitResult wait_until(uint64_t deadline_ns, WaitCondition ready = nullptr, void* context = nullptr);

// Installs the timer interrupt handler. Boot, after apic_init().
void wait_init();

// Work that must keep happening while the kernel waits (the network stack: received
// frames, TCP timers): `service` runs before every readiness check, and waits end no
// later than `deadline()` so its timers are honoured. One registration (the network).
void wait_set_service(void (*service)(), uint64_t (*deadline)());

// Caps every halt at `interval_ns` so the service also runs without interrupts: for
// devices whose interrupt line could not be routed (they are polled instead).
void wait_set_poll_interval(uint64_t interval_ns);

// Runs the registered service now: for device interrupts that arrive while the process
// is in user mode, so packets are handled even when the program is not waiting.
void run_deferred_work();

}  // namespace kiln
