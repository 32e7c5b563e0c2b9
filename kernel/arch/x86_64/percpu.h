#pragma once

#include <stdint.h>

namespace kiln::x86 {

// Per-CPU data, reached through %gs in the kernel (swapgs on every entry from ring 3).
// The assembly in syscall_entry.S uses the offsets below.
struct PerCpu {
    uint64_t kernel_stack_top;  // offset 0: stack for system calls and ring-3 interrupts
    uint64_t user_rsp;          // offset 8: scratch for the user stack pointer on SYSCALL
};
static_assert(__builtin_offsetof(PerCpu, kernel_stack_top) == 0);
static_assert(__builtin_offsetof(PerCpu, user_rsp) == 8);

// Sets GS base to this CPU's block and programs the SYSCALL MSRs (STAR, LSTAR, FMASK,
// EFER.SCE). Boot CPU, once, after gdt_init().
void percpu_init(uint64_t kernel_stack_top);

PerCpu& this_cpu();

// Leaves the kernel for good into ring 3 at rip with the given stack; interrupts are
// enabled in user mode. The first instruction runs with every general register zero.
[[noreturn]] void enter_user_mode(uint64_t rip, uint64_t rsp);

}  // namespace kiln::x86
