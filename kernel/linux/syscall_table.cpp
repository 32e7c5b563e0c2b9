#include "dev/console.h"
#include "linux/syscall.h"
#include "proc/stats.h"

namespace kiln {
namespace {

constexpr size_t MAX_SYSCALL = 512;

struct SyscallName {
    uint16_t number;
    const char* name;
};

const SyscallName SYSCALL_NAMES[] = {
#include "syscall_names.inc"
};

SyscallHandler g_table[MAX_SYSCALL];
uint64_t g_reported_unsupported[MAX_SYSCALL / 64];
bool g_trace = false;

void install(SyscallFamily family)
{
    for (size_t i = 0; i < family.count; ++i) {
        if (family.entries[i].number < MAX_SYSCALL)
            g_table[family.entries[i].number] = family.entries[i].handler;
    }
}

Result<int64_t> unsupported(uint64_t number)
{
    // Log each unsupported call once: enough to find the gap, not enough to flood the
    // console when a program probes in a loop.
    bool reported = number < MAX_SYSCALL && (g_reported_unsupported[number / 64] >> (number % 64)) & 1;
    if (!reported) {
        kprintf("kiln: unsupported system call %s (%lu), returning ENOSYS\n", syscall_name(number), number);
        if (number < MAX_SYSCALL)
            g_reported_unsupported[number / 64] |= 1ULL << (number % 64);
    }
    return Errno::NOSYS;
}

}  // namespace

void syscalls_init(bool trace)
{
    g_trace = trace;
    install(aio_syscalls());
    install(event_syscalls());
    install(file_syscalls());
    install(path_syscalls());
    install(futex_syscalls());
    install(memory_syscalls());
    install(process_syscalls());
    install(time_syscalls());
    install(random_syscalls());
    install(signal_syscalls());
    install(socket_syscalls());
}

const char* syscall_name(uint64_t number)
{
    for (const auto& entry : SYSCALL_NAMES) {
        if (entry.number == number)
            return entry.name;
    }
    return "unknown";
}

}  // namespace kiln

// Called from syscall_entry.S with interrupts off.
extern "C" void syscall_dispatch(kiln::x86::InterruptFrame* frame)
{
    using namespace kiln;
    uint64_t number = frame->rax;
    ++g_stats.syscalls;
    SyscallArgs args { frame->rdi, frame->rsi, frame->rdx, frame->r10, frame->r8, frame->r9, *frame };
    SyscallHandler handler = number < MAX_SYSCALL ? g_table[number] : nullptr;
    Result<int64_t> result = handler ? handler(args) : unsupported(number);
    int64_t value = result.is_error() ? -static_cast<int64_t>(result.error()) : result.value();
    if (g_trace) {
        kprintf("kiln: strace %s(0x%lx, 0x%lx, 0x%lx, 0x%lx) = %ld%s%s\n", syscall_name(number), args.a0, args.a1,
            args.a2, args.a3, value, result.is_error() ? " " : "", result.is_error() ? errno_name(result.error()) : "");
    }
    frame->rax = static_cast<uint64_t>(value);
}
