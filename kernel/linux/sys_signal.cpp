// Signal dispositions: rt_sigaction, rt_sigprocmask, sigaltstack. They are recorded
// and reported back faithfully; delivery of handlers is not implemented yet (faults end
// the process with 128+signal, see proc/process.h).

#include "linux/syscall.h"
#include "proc/process.h"

namespace kiln {
namespace {

constexpr int SIGKILL = 9, SIGSTOP = 19;
constexpr uint64_t SIGSET_SIZE = 8;
constexpr uint64_t UNBLOCKABLE = (1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1));

Result<int64_t> sys_rt_sigaction(const SyscallArgs& a)
{
    int signal = static_cast<int>(a.a0);
    if (a.a3 != SIGSET_SIZE)
        return Errno::INVAL;
    if (signal < 1 || signal > SIGNAL_COUNT)
        return Errno::INVAL;
    SignalAction& action = current_process().signal_actions[signal];
    SignalAction previous = action;
    if (a.a1) {
        if (signal == SIGKILL || signal == SIGSTOP)
            return Errno::INVAL;
        TRY(SignalAction wanted, read_user<SignalAction>(a.user(a.a1)));
        wanted.mask &= ~UNBLOCKABLE;
        action = wanted;
    }
    if (a.a2)
        TRY_VOID(write_user(a.user(a.a2), previous));
    return 0;
}

Result<int64_t> sys_rt_sigprocmask(const SyscallArgs& a)
{
    constexpr uint64_t SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    if (a.a3 != SIGSET_SIZE)
        return Errno::INVAL;
    uint64_t& mask = current_process().signal_mask;
    uint64_t previous = mask;
    if (a.a1) {
        TRY(uint64_t set, read_user<uint64_t>(a.user(a.a1)));
        switch (a.a0) {
        case SIG_BLOCK:
            mask |= set;
            break;
        case SIG_UNBLOCK:
            mask &= ~set;
            break;
        case SIG_SETMASK:
            mask = set;
            break;
        default:
            return Errno::INVAL;
        }
        mask &= ~UNBLOCKABLE;
    }
    if (a.a2)
        TRY_VOID(write_user(a.user(a.a2), previous));
    return 0;
}

Result<int64_t> sys_sigaltstack(const SyscallArgs& a)
{
    constexpr int32_t SS_DISABLE = 2, SS_AUTODISARM = 1 << 31;
    constexpr uint64_t MINSIGSTKSZ = 2048;
    SignalStack& stack = current_process().signal_stack;
    SignalStack previous = stack;
    if (a.a0) {
        TRY(SignalStack wanted, read_user<SignalStack>(a.user(a.a0)));
        int32_t mode = wanted.flags & ~SS_AUTODISARM;
        if (mode != 0 && mode != SS_DISABLE)
            return Errno::INVAL;
        if (mode == 0 && wanted.size < MINSIGSTKSZ)
            return Errno::NOMEM;
        stack = wanted;
    }
    if (a.a1)
        TRY_VOID(write_user(a.user(a.a1), previous));
    return 0;
}

const SyscallEntry ENTRIES[] = {
    { 13, sys_rt_sigaction },
    { 14, sys_rt_sigprocmask },
    { 131, sys_sigaltstack },
};

}  // namespace

SyscallFamily signal_syscalls() { return { ENTRIES, sizeof(ENTRIES) / sizeof(ENTRIES[0]) }; }

}  // namespace kiln
