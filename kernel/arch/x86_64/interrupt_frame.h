#pragma once

#include <stdint.h>

namespace kiln::x86 {

// The stack layout interrupt_entry.S builds: general registers pushed by the stub, then
// the vector and error code (0 where the CPU pushes none), then the CPU's own frame.
struct InterruptFrame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error_code;
    uint64_t rip, cs, rflags, rsp, ss;

    bool from_user() const { return (cs & 3) == 3; }
};
static_assert(sizeof(InterruptFrame) == 22 * 8);

} // namespace kiln::x86
