#include "arch/x86_64/percpu.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"

extern "C" void syscall_entry();
extern "C" [[noreturn]] void enter_user_mode_asm(uint64_t rip, uint64_t rsp, uint64_t rflags);

namespace kiln::x86 {
namespace {

constexpr uint32_t MSR_EFER = 0xc0000080;
constexpr uint32_t MSR_STAR = 0xc0000081;
constexpr uint32_t MSR_LSTAR = 0xc0000082;
constexpr uint32_t MSR_FMASK = 0xc0000084;
constexpr uint32_t MSR_GS_BASE = 0xc0000101;
constexpr uint32_t MSR_KERNEL_GS_BASE = 0xc0000102;
constexpr uint64_t EFER_SCE = 1;

constexpr uint64_t RFLAGS_TF = 1 << 8;
constexpr uint64_t RFLAGS_IF = 1 << 9;
constexpr uint64_t RFLAGS_DF = 1 << 10;
constexpr uint64_t RFLAGS_NT = 1 << 14;
constexpr uint64_t RFLAGS_AC = 1 << 18;
constexpr uint64_t RFLAGS_RESERVED1 = 1 << 1;

PerCpu g_boot_cpu;

}  // namespace

void percpu_init(uint64_t kernel_stack_top)
{
    g_boot_cpu.kernel_stack_top = kernel_stack_top;
    tss_set_kernel_stack(kernel_stack_top);
    wrmsr(MSR_GS_BASE, reinterpret_cast<uint64_t>(&g_boot_cpu));
    wrmsr(MSR_KERNEL_GS_BASE, 0);

    // STAR[47:32]: kernel CS (SS = +8). STAR[63:48]: base for SYSRET, which loads
    // CS = base + 16 and SS = base + 8 (SDM vol. 2, SYSRET) — see gdt.h.
    uint64_t star = (static_cast<uint64_t>(USER_CODE32_SELECTOR & ~3) << 48)
        | (static_cast<uint64_t>(KERNEL_CODE_SELECTOR) << 32);
    wrmsr(MSR_STAR, star);
    wrmsr(MSR_LSTAR, reinterpret_cast<uint64_t>(&syscall_entry));
    // Entering the kernel with interrupts off, the direction flag clear (the ABI the
    // compiler assumes) and AC clear (so SMAP protects the kernel from user pointers).
    wrmsr(MSR_FMASK, RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_NT | RFLAGS_AC);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

PerCpu& this_cpu() { return g_boot_cpu; }

void enter_user_mode(uint64_t rip, uint64_t rsp) { enter_user_mode_asm(rip, rsp, RFLAGS_IF | RFLAGS_RESERVED1); }

}  // namespace kiln::x86
