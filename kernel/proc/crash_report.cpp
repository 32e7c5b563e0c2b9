#include "proc/crash_report.h"

#include "arch/x86_64/exceptions.h"
#include "dev/console.h"
#include "dev/power.h"
#include "fs/file.h"
#include "proc/process.h"
#include "proc/process_memory.h"

namespace kiln {
namespace {

constexpr int SIGKILL = 9;

// "in /lib/x86_64-linux-gnu/libc.so.6 (offset 0x2a1c0)" or "in [stack]".
void describe_address(const char* label, uint64_t address)
{
    const mm::Vma* vma = address_space().find(address);
    if (!vma) {
        kprintf("  %s 0x%016lx (not mapped)\n", label, address);
        return;
    }
    if (vma->file) {
        auto* file = static_cast<const File*>(vma->file);
        kprintf("  %s 0x%016lx in %s (file offset 0x%lx)\n", label, address, file->path(),
            vma->file_offset + (address - vma->start));
    } else {
        kprintf("  %s 0x%016lx in %s [0x%lx-0x%lx]\n", label, address, vma->name ? vma->name : "anonymous memory",
            vma->start, vma->end);
    }
}

}  // namespace

void report_user_fault(const x86::InterruptFrame& frame, int signal, uint64_t fault_address)
{
    unsigned vector = static_cast<unsigned>(frame.vector);
    kprintf("\nkiln: the program was killed by %s: CPU exception %u (%s)\n", signal_name(signal), vector,
        x86::exception_name(vector));
    describe_address("instruction", frame.rip);
    if (vector == 14)
        describe_address("fault address", fault_address);
    kprintf("  error code 0x%lx\n", frame.error_code);
    kprintf("  rax 0x%016lx  rbx 0x%016lx  rcx 0x%016lx\n", frame.rax, frame.rbx, frame.rcx);
    kprintf("  rdx 0x%016lx  rsi 0x%016lx  rdi 0x%016lx\n", frame.rdx, frame.rsi, frame.rdi);
    kprintf("  rbp 0x%016lx  rsp 0x%016lx  r8  0x%016lx\n", frame.rbp, frame.rsp, frame.r8);
    kprintf("  r9  0x%016lx  r10 0x%016lx  r11 0x%016lx\n", frame.r9, frame.r10, frame.r11);
    kprintf("  r12 0x%016lx  r13 0x%016lx  r14 0x%016lx\n", frame.r12, frame.r13, frame.r14);
    kprintf("  r15 0x%016lx  rip 0x%016lx  rflags 0x%lx\n", frame.r15, frame.rip, frame.rflags);
    power_off(128 + signal);
}

void report_out_of_memory(uint64_t fault_address)
{
    kprintf("\nkiln: out of memory: no free page for address 0x%lx\n", fault_address);
    kprintf("  guest RAM %lu MiB, free %lu KiB; give the VM more memory (kiln run -m)\n",
        memory_total_bytes() >> 20, memory_free_bytes() >> 10);
    kprintf("kiln: the program was killed by %s\n", signal_name(SIGKILL));
    power_off(128 + SIGKILL);
}

}  // namespace kiln
