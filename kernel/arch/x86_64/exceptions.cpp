#include "arch/x86_64/exceptions.h"

#include "arch/x86_64/cpu.h"
#include "dev/console.h"
#include "dev/power.h"
#include "linux/user_memory.h"
#include "proc/crash_report.h"
#include "proc/process_memory.h"

namespace kiln::x86 {
namespace {

constexpr int SIGILL = 4;
constexpr int SIGTRAP = 5;
constexpr int SIGBUS = 7;
constexpr int SIGFPE = 8;
constexpr int SIGKILL = 9;
constexpr int SIGSEGV = 11;

void describe_page_fault_error(uint64_t code, char* out, size_t size)
{
    // Error code bits (SDM vol. 3, 4.7): P, W/R, U/S, RSVD, I/D, PK, SS.
    format(out, size, "%s, %s, %s%s%s%s", code & 1 ? "protection violation" : "page not present",
        code & 16 ? "instruction fetch" : (code & 2 ? "write" : "read"), code & 4 ? "user" : "kernel",
        code & 8 ? ", reserved bit set" : "", code & 32 ? ", protection key" : "", code & 64 ? ", shadow stack" : "");
}

} // namespace

const char* exception_name(unsigned vector)
{
    static const char* const names[32] = {
        "#DE divide error",
        "#DB debug",
        "NMI",
        "#BP breakpoint",
        "#OF overflow",
        "#BR bound range exceeded",
        "#UD invalid opcode",
        "#NM device not available",
        "#DF double fault",
        "coprocessor segment overrun",
        "#TS invalid TSS",
        "#NP segment not present",
        "#SS stack-segment fault",
        "#GP general protection fault",
        "#PF page fault",
        "reserved (15)",
        "#MF x87 floating-point error",
        "#AC alignment check",
        "#MC machine check",
        "#XM SIMD floating-point exception",
        "#VE virtualization exception",
        "#CP control protection exception",
        "reserved (22)",
        "reserved (23)",
        "reserved (24)",
        "reserved (25)",
        "reserved (26)",
        "reserved (27)",
        "#HV hypervisor injection",
        "#VC VMM communication",
        "#SX security exception",
        "reserved (31)",
    };
    return vector < 32 ? names[vector] : "interrupt";
}

int exception_signal(unsigned vector)
{
    switch (vector) {
    case 0:
    case 16:
    case 19:
        return SIGFPE;
    case 1:
    case 3:
        return SIGTRAP;
    case 6:
        return SIGILL;
    case 17:
        return SIGBUS;
    case 2:
    case 8:
    case 18:
        return SIGKILL;
    default:
        return SIGSEGV;
    }
}

void handle_exception(InterruptFrame& frame)
{
    unsigned vector = static_cast<unsigned>(frame.vector);
    constexpr unsigned PAGE_FAULT = 14;
    if (vector == PAGE_FAULT) {
        uint64_t address = read_cr2();
        // Faults on user addresses, from user mode or from a kernel copy to or from
        // user memory, go to the memory manager first.
        if (address < USER_SPACE_END && (frame.from_user() || user_copy_fixup_for(frame.rip))) {
            FaultResult result = handle_user_page_fault(address, frame.error_code);
            if (result == FaultResult::Resolved)
                return;
            if (result == FaultResult::OutOfMemory)
                report_out_of_memory(address);
            if (!frame.from_user()) {
                frame.rip = user_copy_fixup_for(frame.rip);
                return;
            }
            report_user_fault(frame, result == FaultResult::Bus ? 7 : 11, address);
        }
    }
    if (frame.from_user())
        report_user_fault(frame, exception_signal(vector), vector == PAGE_FAULT ? read_cr2() : 0);

    kprintf("\nkiln: kernel panic: CPU exception %u (%s) in kernel mode\n", vector, exception_name(vector));
    if (vector == 14) {
        char what[128];
        describe_page_fault_error(frame.error_code, what, sizeof(what));
        kprintf("  error code 0x%lx (%s)\n", frame.error_code, what);
        kprintf("  fault address (cr2) 0x%016lx\n", read_cr2());
    } else {
        kprintf("  error code 0x%lx\n", frame.error_code);
    }
    kprintf("  rip 0x%016lx  cs 0x%lx  rflags 0x%lx\n", frame.rip, frame.cs, frame.rflags);
    kprintf("  rsp 0x%016lx  ss 0x%lx\n", frame.rsp, frame.ss);
    kprintf("  rax 0x%016lx  rbx 0x%016lx  rcx 0x%016lx\n", frame.rax, frame.rbx, frame.rcx);
    kprintf("  rdx 0x%016lx  rsi 0x%016lx  rdi 0x%016lx\n", frame.rdx, frame.rsi, frame.rdi);
    kprintf("  rbp 0x%016lx  r8  0x%016lx  r9  0x%016lx\n", frame.rbp, frame.r8, frame.r9);
    kprintf("  r10 0x%016lx  r11 0x%016lx  r12 0x%016lx\n", frame.r10, frame.r11, frame.r12);
    kprintf("  r13 0x%016lx  r14 0x%016lx  r15 0x%016lx\n", frame.r13, frame.r14, frame.r15);
    kprintf("  cr0 0x%016lx  cr3 0x%016lx  cr4 0x%016lx\n", read_cr0(), read_cr3(), read_cr4());
    power_off(KERNEL_PANIC_STATUS);
}

} // namespace kiln::x86
