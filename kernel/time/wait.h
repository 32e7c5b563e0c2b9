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
// frames, TCP timers; disk completions for Linux AIO): each `service` runs before every
// readiness check, in registration order, and waits end no later than its `deadline()`
// (nullptr: none) so timers are honoured. Boot, up to MAX_WAIT_SERVICES registrations.
inline constexpr int MAX_WAIT_SERVICES = 4;
void wait_add_service(void (*service)(), uint64_t (*deadline)());

// Caps every halt at `interval_ns` so the service also runs without interrupts: for
// devices whose interrupt line could not be routed (they are polled instead).
void wait_set_poll_interval(uint64_t interval_ns);

// Runs the registered services now: for device interrupts that arrive while the process
// is in user mode, so packets and disk completions are handled even when the program is
// not waiting, and on entry to calls that report readiness without waiting (epoll_wait
// or poll with a zero timeout, a non-blocking eventfd read).
void run_deferred_work();

}  // namespace kiln
