// Process identity, limits and lifetime: exit, getpid & co, uname, prlimit64,
// set_tid_address, set_robust_list, sched_*, arch_prctl, kill/tgkill.

#include "arch/x86_64/cpu.h"
#include "linux/syscall.h"
#include "netif/network.h"
#include "proc/process.h"

namespace kiln {
namespace {

constexpr int SIGABRT = 6;

// Frames the program sent just before exiting still have to leave the NIC (see
// network_flush_transmit); a second is far more than QEMU needs, even under TCG.
constexpr uint64_t EXIT_TRANSMIT_FLUSH_NS = 1'000'000'000;

Result<int64_t> sys_exit(const SyscallArgs& a)
{
    network_flush_transmit(EXIT_TRANSMIT_FLUSH_NS);
    process_exit(static_cast<int>(a.a0));
}

Result<int64_t> sys_getpid(const SyscallArgs&) { return Process::PID; }
Result<int64_t> sys_getppid(const SyscallArgs&) { return 0; }
// Root inside the VM: it owns everything there is, and there is nobody else.
Result<int64_t> sys_getuid(const SyscallArgs&) { return 0; }

Result<int64_t> sys_uname(const SyscallArgs& a)
{
    struct Utsname {
        char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
    } u {};
    auto set = [](char* field, const char* text) {
        for (int i = 0; text[i] && i < 64; ++i)
            field[i] = text[i];
    };
    set(u.sysname, "Linux");
    set(u.nodename, "kiln");
    // glibc and libuv parse the release; claim the kernel ABI we follow.
    set(u.release, "6.1.0-kiln");
    set(u.version, "#1 Kiln");
    set(u.machine, "x86_64");
    set(u.domainname, "(none)");
    TRY_VOID(write_user(a.user(a.a0), u));
    return 0;
}

Result<int64_t> sys_prlimit64(const SyscallArgs& a)
{
    int pid = static_cast<int>(a.a0);
    unsigned resource = static_cast<unsigned>(a.a1);
    if (pid != 0 && pid != Process::PID)
        return Errno::SRCH;
    if (resource >= RLIMIT_COUNT)
        return Errno::INVAL;
    ResourceLimit& limit = current_process().limits[resource];
    ResourceLimit previous = limit;
    if (a.a2) {
        TRY(ResourceLimit wanted, read_user<ResourceLimit>(a.user(a.a2)));
        if (wanted.current > wanted.maximum)
            return Errno::INVAL;
        if (wanted.maximum > limit.maximum)
            return Errno::PERM;
        limit = wanted;
    }
    if (a.a3)
        TRY_VOID(write_user(a.user(a.a3), previous));
    return 0;
}

Result<int64_t> sys_getrlimit(const SyscallArgs& a)
{
    SyscallArgs forwarded { 0, a.a0, 0, a.a1, 0, 0, a.frame };
    return sys_prlimit64(forwarded);
}

Result<int64_t> sys_setrlimit(const SyscallArgs& a)
{
    SyscallArgs forwarded { 0, a.a0, a.a1, 0, 0, 0, a.frame };
    return sys_prlimit64(forwarded);
}

Result<int64_t> sys_set_tid_address(const SyscallArgs& a)
{
    current_process().clear_child_tid = a.a0;
    return Process::PID;
}

Result<int64_t> sys_set_robust_list(const SyscallArgs& a)
{
    // struct robust_list_head is 24 bytes; Linux rejects any other size.
    if (a.a1 != 24)
        return Errno::INVAL;
    current_process().robust_list_head = a.a0;
    current_process().robust_list_length = a.a1;
    return 0;
}

Result<int64_t> sys_sched_getaffinity(const SyscallArgs& a)
{
    int pid = static_cast<int>(a.a0);
    if (pid != 0 && pid != Process::PID)
        return Errno::SRCH;
    // Linux needs room for its whole cpumask (a multiple of sizeof(long)).
    if (a.a1 < 8 || (a.a1 & 7))
        return Errno::INVAL;
    uint64_t mask = 1;  // one CPU
    TRY_VOID(write_user(a.user(a.a2), mask));
    return 8;
}

Result<int64_t> sys_sched_yield(const SyscallArgs&) { return 0; }

// rseq(2): glibc registers a per-thread area at start-up. With one CPU and no
// preemption a restartable sequence can never be interrupted by another thread or a
// migration, so registering only has to publish the CPU number (0) and remember the area.
Result<int64_t> sys_rseq(const SyscallArgs& a)
{
    constexpr uint64_t RSEQ_FLAG_UNREGISTER = 1;
    constexpr uint64_t RSEQ_MIN_SIZE = 32;
    uint64_t address = a.a0, length = a.a1, flags = a.a2;
    Process& process = current_process();
    if (flags & RSEQ_FLAG_UNREGISTER) {
        if (flags != RSEQ_FLAG_UNREGISTER || address != process.rseq_area)
            return Errno::INVAL;
        process.rseq_area = 0;
        return 0;
    }
    if (flags != 0 || length < RSEQ_MIN_SIZE || (address & 31))
        return Errno::INVAL;
    if (process.rseq_area)
        return process.rseq_area == address ? Errno::BUSY : Errno::INVAL;
    uint32_t cpu[2] = { 0, 0 };  // cpu_id_start, cpu_id
    TRY_VOID(copy_to_user(a.user(address), cpu, sizeof(cpu)));
    process.rseq_area = address;
    return 0;
}

Result<int64_t> sys_arch_prctl(const SyscallArgs& a)
{
    constexpr uint64_t ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004;
    constexpr uint32_t MSR_FS_BASE = 0xc0000100;
    // While in the kernel (after SWAPGS) the user's GS base sits in KERNEL_GS_BASE.
    constexpr uint32_t MSR_KERNEL_GS_BASE = 0xc0000102;
    switch (a.a0) {
    case ARCH_SET_FS:
    case ARCH_SET_GS:
        if (a.a1 >= USER_SPACE_END)
            return Errno::PERM;
        x86::wrmsr(a.a0 == ARCH_SET_FS ? MSR_FS_BASE : MSR_KERNEL_GS_BASE, a.a1);
        return 0;
    case ARCH_GET_FS:
    case ARCH_GET_GS: {
        uint64_t base = x86::rdmsr(a.a0 == ARCH_GET_FS ? MSR_FS_BASE : MSR_KERNEL_GS_BASE);
        TRY_VOID(write_user(a.user(a.a1), base));
        return 0;
    }
    default:
        return Errno::INVAL;
    }
}

Result<int64_t> signal_self(int pid, int signal)
{
    if (pid != Process::PID && pid != 0 && pid != -1)
        return Errno::SRCH;
    if (signal < 0 || signal > SIGNAL_COUNT)
        return Errno::INVAL;
    if (signal == 0)
        return 0;
    // FIXME: signal handlers are not delivered yet; every signal a program sends itself
    // takes its default action, which for abort()'s SIGABRT is to terminate (134).
    const SignalAction& action = current_process().signal_actions[signal];
    constexpr uint64_t SIG_IGN = 1;
    if (action.handler == SIG_IGN && signal != SIGABRT)
        return 0;
    process_killed_by_signal(signal);
}

Result<int64_t> sys_kill(const SyscallArgs& a) { return signal_self(static_cast<int>(a.a0), static_cast<int>(a.a1)); }

Result<int64_t> sys_tgkill(const SyscallArgs& a)
{
    if (static_cast<int>(a.a1) != Process::PID)
        return Errno::SRCH;
    return signal_self(static_cast<int>(a.a0), static_cast<int>(a.a2));
}

Result<int64_t> sys_tkill(const SyscallArgs& a) { return signal_self(static_cast<int>(a.a0), static_cast<int>(a.a1)); }

const SyscallEntry ENTRIES[] = {
    { 24, sys_sched_yield },
    { 39, sys_getpid },
    { 60, sys_exit },
    { 62, sys_kill },
    { 63, sys_uname },
    { 97, sys_getrlimit },
    { 102, sys_getuid },
    { 104, sys_getuid },  // getgid
    { 107, sys_getuid },  // geteuid
    { 108, sys_getuid },  // getegid
    { 110, sys_getppid },
    { 158, sys_arch_prctl },
    { 160, sys_setrlimit },
    { 186, sys_getpid },  // gettid: one thread, so the thread id is the process id
    { 200, sys_tkill },
    { 204, sys_sched_getaffinity },
    { 218, sys_set_tid_address },
    { 231, sys_exit },  // exit_group
    { 234, sys_tgkill },
    { 273, sys_set_robust_list },
    { 302, sys_prlimit64 },
    { 334, sys_rseq },
};

}  // namespace

SyscallFamily process_syscalls() { return { ENTRIES, sizeof(ENTRIES) / sizeof(ENTRIES[0]) }; }

}  // namespace kiln
