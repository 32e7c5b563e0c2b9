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

}  // namespace kiln
