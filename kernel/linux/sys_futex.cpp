// futex(2) for a process with one thread: wakes find nobody to wake, and a wait can only
// end by its value having changed (EAGAIN) or by its timeout. A wait that nothing could
// ever end is a deadlock in the program; we report it instead of hanging the VM.

#include "dev/console.h"
#include "linux/syscall.h"
#include "linux/time_args.h"
#include "proc/process.h"
#include "time/clock.h"
#include "time/wait.h"

namespace kiln {
namespace {

constexpr uint64_t FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5,
                   FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
constexpr uint64_t FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;

Result<int64_t> sys_futex(const SyscallArgs& a)
{
    uint64_t op = a.a1 & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
    if (a.a0 & 3)
        return Errno::INVAL;
    switch (op) {
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
    case FUTEX_WAKE_OP:
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE:
        return 0; // nobody is waiting
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
        TRY(uint32_t current, read_user<uint32_t>(a.user(a.a0)));
        if (current != static_cast<uint32_t>(a.a2))
            return Errno::AGAIN;
        if (a.a3 == 0) {
            kprintf("kiln: deadlock: the only thread waits on futex 0x%lx with no timeout\n", a.a0);
            process_killed_by_signal(6);
        }
        TRY(uint64_t ns, read_timespec_ns(a.user(a.a3)));
        // FUTEX_WAIT takes a relative timeout; FUTEX_WAIT_BITSET an absolute one on
        // CLOCK_MONOTONIC, or CLOCK_REALTIME with FUTEX_CLOCK_REALTIME.
        uint64_t now = monotonic_ns();
        uint64_t deadline = now + ns;
        if (op == FUTEX_WAIT_BITSET) {
            if (a.a1 & FUTEX_CLOCK_REALTIME) {
                uint64_t wall = realtime_ns();
                deadline = now + (ns > wall ? ns - wall : 0);
            } else {
                deadline = ns;
            }
        }
        (void)wait_until(deadline);
        return Errno::TIMEDOUT;
    }
    default:
        return Errno::NOSYS;
    }
}

const SyscallEntry ENTRIES[] = {
    { 202, sys_futex },
};

} // namespace

SyscallFamily futex_syscalls() { return { ENTRIES, 1 }; }

} // namespace kiln
