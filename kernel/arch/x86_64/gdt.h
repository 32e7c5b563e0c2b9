#pragma once

#include <stdint.h>

namespace kiln::x86 {

// Selector layout is fixed by SYSCALL/SYSRET (Intel SDM vol. 2, SYSRET): STAR[63:48]+8 is
// the user data selector and STAR[63:48]+16 the 64-bit user code selector.
inline constexpr uint16_t KERNEL_CODE_SELECTOR = 0x08;
inline constexpr uint16_t KERNEL_DATA_SELECTOR = 0x10;
inline constexpr uint16_t USER_CODE32_SELECTOR = 0x18 | 3;
inline constexpr uint16_t USER_DATA_SELECTOR = 0x20 | 3;
inline constexpr uint16_t USER_CODE_SELECTOR = 0x28 | 3;
inline constexpr uint16_t TSS_SELECTOR = 0x30;

// Interrupt stacks (TSS IST slots) for exceptions that must not run on a stack that may
// be the cause of the fault.
enum class InterruptStack : uint8_t { None = 0, DoubleFault = 1, Nmi = 2, MachineCheck = 3 };

// Loads the kernel's GDT and TSS and reloads the segment registers. Boot CPU, once.
void gdt_init();

// Stack the CPU switches to when an interrupt arrives from ring 3.
void tss_set_kernel_stack(uint64_t rsp0);

} // namespace kiln::x86
