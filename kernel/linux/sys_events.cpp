// Waiting for readiness: epoll_create1/ctl/wait/pwait/pwait2, poll/ppoll, eventfd2,
// timerfd_create/settime/gettime. The CPU halts in wait_until() until an interrupt (a
// device, the timer) makes a watched file ready or the timeout passes.

#include "fs/epoll.h"
#include "fs/event_files.h"
#include "fs/fd_table.h"
#include "fs/open_flags.h"
#include "lib/kalloc.h"
#include "linux/file_args.h"
#include "linux/syscall.h"
#include "linux/time_args.h"
#include "proc/process.h"
#include "time/clock.h"
#include "time/wait.h"

namespace kiln {
namespace {

constexpr uint64_t NS_PER_MS = 1000000;

uint64_t deadline_after(uint64_t timeout_ns)
{
    if (timeout_ns == WAIT_FOREVER)
        return WAIT_FOREVER;
    uint64_t now = monotonic_ns();
    return timeout_ns > WAIT_FOREVER - now ? WAIT_FOREVER : now + timeout_ns;
}

// --- epoll ---------------------------------------------------------------------------

Result<int64_t> sys_epoll_create1(const SyscallArgs& a)
{
    if (a.a0 & ~static_cast<uint64_t>(O_CLOEXEC_FLAG))
        return Errno::INVAL;
    TRY(EpollFile * epoll, create_epoll());
    (void)epoll->set_path("anon_inode:[eventpoll]", 22);
    epoll->status_flags = O_READ_WRITE;
    return install_file(epoll, a.a0 & O_CLOEXEC_FLAG);
}

Result<int64_t> sys_epoll_create(const SyscallArgs& a)
{
    if (static_cast<int64_t>(a.a0) <= 0)
        return Errno::INVAL;
    SyscallArgs none { 0, 0, 0, 0, 0, 0, a.frame };
    return sys_epoll_create1(none);
}

Result<EpollFile*> epoll_for(int fd)
{
    TRY(File * file, fd_table().get(fd));
    if (EpollFile* epoll = file->as_epoll())
        return epoll;
    return Errno::INVAL;
}

Result<int64_t> sys_epoll_ctl(const SyscallArgs& a)
{
    constexpr uint64_t EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    TRY(EpollFile * epoll, epoll_for(static_cast<int>(a.a0)));
    int fd = static_cast<int>(a.a2);
    TRY(File * target, fd_table().get(fd));
    EpollEvent event {};
    if (a.a1 != EPOLL_CTL_DEL) {
        TRY(event, read_user<EpollEvent>(a.user(a.a3)));
    }
    switch (a.a1) {
    case EPOLL_CTL_ADD:
        TRY_VOID(epoll->add(fd, target, event));
        return 0;
    case EPOLL_CTL_MOD:
        TRY_VOID(epoll->modify(fd, target, event));
        return 0;
    case EPOLL_CTL_DEL:
        TRY_VOID(epoll->remove(fd, target));
        return 0;
    default:
        return Errno::INVAL;
    }
}

struct EpollWait {
    EpollFile* epoll;
    EpollEvent* events;
    size_t capacity;
    size_t count;
};

Result<int64_t> epoll_wait_common(int fd, UserAddress destination, int64_t max_events, uint64_t timeout_ns)
{
    constexpr int64_t EP_MAX_EVENTS = 0x7fffffff / sizeof(EpollEvent);
    if (max_events <= 0 || max_events > EP_MAX_EVENTS)
        return Errno::INVAL;
    TRY(EpollFile * epoll, epoll_for(fd));
    // Results go to a kernel buffer first: a bad user pointer must not lose events that
    // edge-triggered and one-shot items consider delivered. One static buffer: this is
    // on every event-loop iteration, and there is one CPU and no nested wait.
    static EpollEvent events[1024];
    size_t capacity = static_cast<size_t>(max_events) < 1024 ? static_cast<size_t>(max_events) : 1024;
    EpollWait wait { epoll, events, capacity, 0 };
    uint64_t deadline = deadline_after(timeout_ns);
    // Collect finished device work (disk completions signal AIO eventfds) even when
    // the timeout is zero and nothing waits.
    run_deferred_work();
    auto ready = [](void* context) {
        auto& w = *static_cast<EpollWait*>(context);
        w.count = w.epoll->collect(w.events, w.capacity);
        return w.count > 0;
    };
    if (!ready(&wait) && timeout_ns != 0) {
        // Timers in the interest list (timerfds) wake us when they expire.
        uint64_t timer = epoll->next_deadline();
        while (wait_until(timer < deadline ? timer : deadline, ready, &wait) == WaitResult::TimedOut) {
            if (monotonic_ns() >= deadline)
                break;
            timer = epoll->next_deadline();
        }
    }
    TRY_VOID(copy_to_user(destination, events, wait.count * sizeof(EpollEvent)));
    return static_cast<int64_t>(wait.count);
}

uint64_t milliseconds_timeout(int64_t timeout_ms)
{
    return timeout_ms < 0 ? WAIT_FOREVER : static_cast<uint64_t>(timeout_ms) * NS_PER_MS;
}

Result<int64_t> sys_epoll_wait(const SyscallArgs& a)
{
    return epoll_wait_common(static_cast<int>(a.a0), a.user(a.a1), static_cast<int32_t>(a.a2),
        milliseconds_timeout(static_cast<int32_t>(a.a3)));
}

// The signal mask argument changes nothing: no signal is ever delivered.
Result<int64_t> sys_epoll_pwait(const SyscallArgs& a) { return sys_epoll_wait(a); }

Result<int64_t> sys_epoll_pwait2(const SyscallArgs& a)
{
    uint64_t timeout = WAIT_FOREVER;
    if (a.a3) {
        TRY(timeout, read_timespec_ns(a.user(a.a3)));
    }
    return epoll_wait_common(static_cast<int>(a.a0), a.user(a.a1), static_cast<int32_t>(a.a2), timeout);
}

// --- poll ----------------------------------------------------------------------------

struct PollFd {
    int32_t fd;
    int16_t events;
    int16_t revents;
};
static_assert(sizeof(PollFd) == 8);

struct PollWait {
    PollFd* fds;
    size_t count;
    size_t ready;
};

size_t poll_once(PollFd* fds, size_t count)
{
    size_t ready = 0;
    for (size_t i = 0; i < count; ++i) {
        fds[i].revents = 0;
        if (fds[i].fd < 0)
            continue;
        auto file = fd_table().get(fds[i].fd);
        uint32_t events = file.is_error()
            ? POLL_NVAL
            : file.value()->poll_events() & (static_cast<uint16_t>(fds[i].events) | POLL_ERR | POLL_HUP);
        fds[i].revents = static_cast<int16_t>(events);
        ready += events != 0;
    }
    return ready;
}

uint64_t poll_deadline_of(const PollFd* fds, size_t count)
{
    uint64_t earliest = WAIT_FOREVER;
    for (size_t i = 0; i < count; ++i) {
        auto file = fds[i].fd < 0 ? Result<File*>(Errno::BADF) : fd_table().get(fds[i].fd);
        if (!file.is_error() && file.value()->poll_deadline() < earliest)
            earliest = file.value()->poll_deadline();
    }
    return earliest;
}

Result<int64_t> poll_common(UserAddress address, uint64_t count, uint64_t timeout_ns)
{
    if (count > current_process().limits[RLIMIT_NOFILE].current)
        return Errno::INVAL;
    auto* fds = static_cast<PollFd*>(kalloc(count * sizeof(PollFd) + 1));
    if (!fds)
        return Errno::NOMEM;
    if (auto r = copy_from_user(fds, address, count * sizeof(PollFd)); r.is_error()) {
        kfree(fds);
        return r.error();
    }
    PollWait wait { fds, count, 0 };
    run_deferred_work(); // as in epoll_wait_common
    auto ready = [](void* context) {
        auto& w = *static_cast<PollWait*>(context);
        w.ready = poll_once(w.fds, w.count);
        return w.ready > 0;
    };
    uint64_t deadline = deadline_after(timeout_ns);
    if (!ready(&wait) && timeout_ns != 0) {
        uint64_t timer = poll_deadline_of(fds, count);
        while (wait_until(timer < deadline ? timer : deadline, ready, &wait) == WaitResult::TimedOut) {
            if (monotonic_ns() >= deadline)
                break;
            timer = poll_deadline_of(fds, count);
        }
    }
    auto copied = copy_to_user(address, fds, count * sizeof(PollFd));
    kfree(fds);
    TRY_VOID(copied);
    return static_cast<int64_t>(wait.ready);
}

Result<int64_t> sys_poll(const SyscallArgs& a)
{
    return poll_common(a.user(a.a0), a.a1, milliseconds_timeout(static_cast<int32_t>(a.a2)));
}

Result<int64_t> sys_ppoll(const SyscallArgs& a)
{
    uint64_t timeout = WAIT_FOREVER;
    if (a.a2) {
        TRY(timeout, read_timespec_ns(a.user(a.a2)));
    }
    return poll_common(a.user(a.a0), a.a1, timeout);
}

// --- eventfd, timerfd ----------------------------------------------------------------

Result<int64_t> sys_eventfd2(const SyscallArgs& a)
{
    constexpr uint64_t EFD_SEMAPHORE = 1;
    uint64_t flags = a.a1;
    if (flags & ~(EFD_SEMAPHORE | O_NONBLOCK_FLAG | O_CLOEXEC_FLAG))
        return Errno::INVAL;
    File* file = make<EventFd>(static_cast<uint32_t>(a.a0), flags & EFD_SEMAPHORE);
    if (!file)
        return Errno::NOMEM;
    (void)file->set_path("anon_inode:[eventfd]", 20);
    file->status_flags = O_READ_WRITE | (flags & O_NONBLOCK_FLAG);
    return install_file(file, flags & O_CLOEXEC_FLAG);
}

Result<int64_t> sys_eventfd(const SyscallArgs& a)
{
    SyscallArgs forwarded { a.a0, 0, 0, 0, 0, 0, a.frame };
    return sys_eventfd2(forwarded);
}

constexpr int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_BOOTTIME = 7;

Result<TimerFd*> timerfd_for(int fd)
{
    TRY(File * file, fd_table().get(fd));
    if (TimerFd* timer = file->as_timerfd())
        return timer;
    return Errno::INVAL;
}

Result<int64_t> sys_timerfd_create(const SyscallArgs& a)
{
    int clock = static_cast<int>(a.a0);
    if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME)
        return Errno::INVAL;
    if (a.a1 & ~static_cast<uint64_t>(O_NONBLOCK_FLAG | O_CLOEXEC_FLAG))
        return Errno::INVAL;
    File* file = make<TimerFd>(clock == CLOCK_REALTIME);
    if (!file)
        return Errno::NOMEM;
    (void)file->set_path("anon_inode:[timerfd]", 20);
    file->status_flags = O_READ_WRITE | (a.a1 & O_NONBLOCK_FLAG);
    return install_file(file, a.a1 & O_CLOEXEC_FLAG);
}

struct ItimerSpec {
    Timespec interval;
    Timespec value;
};

ItimerSpec to_itimerspec(const TimerFd::Setting& s)
{
    return { { static_cast<int64_t>(s.interval_ns / NS_PER_SECOND),
                 static_cast<int64_t>(s.interval_ns % NS_PER_SECOND) },
        { static_cast<int64_t>(s.value_ns / NS_PER_SECOND), static_cast<int64_t>(s.value_ns % NS_PER_SECOND) } };
}

Result<int64_t> sys_timerfd_settime(const SyscallArgs& a)
{
    constexpr uint64_t TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;
    TRY(TimerFd * timer, timerfd_for(static_cast<int>(a.a0)));
    if (a.a1 & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
        return Errno::INVAL;
    TRY(uint64_t interval, read_timespec_ns(UserAddress { a.a2 }));
    TRY(uint64_t value, read_timespec_ns(UserAddress { a.a2 + sizeof(Timespec) }));
    uint64_t deadline = 0;
    if (value != 0) {
        uint64_t now_monotonic = monotonic_ns();
        if (a.a1 & TFD_TIMER_ABSTIME) {
            // Absolute on the timer's clock: convert to monotonic.
            uint64_t now_clock = timer->realtime() ? realtime_ns() : now_monotonic;
            deadline = value > now_clock ? now_monotonic + (value - now_clock) : now_monotonic;
        } else {
            deadline = now_monotonic + value;
        }
        if (deadline == 0)
            deadline = 1;
    }
    TimerFd::Setting previous = timer->arm(deadline, interval);
    if (a.a3)
        TRY_VOID(write_user(a.user(a.a3), to_itimerspec(previous)));
    return 0;
}

Result<int64_t> sys_timerfd_gettime(const SyscallArgs& a)
{
    TRY(TimerFd * timer, timerfd_for(static_cast<int>(a.a0)));
    TRY_VOID(write_user(a.user(a.a1), to_itimerspec(timer->current())));
    return 0;
}

const SyscallEntry ENTRIES[] = {
    { 7, sys_poll },
    { 213, sys_epoll_create },
    { 232, sys_epoll_wait },
    { 233, sys_epoll_ctl },
    { 271, sys_ppoll },
    { 281, sys_epoll_pwait },
    { 283, sys_timerfd_create },
    { 284, sys_eventfd },
    { 286, sys_timerfd_settime },
    { 287, sys_timerfd_gettime },
    { 290, sys_eventfd2 },
    { 291, sys_epoll_create1 },
    { 441, sys_epoll_pwait2 },
};

} // namespace

SyscallFamily event_syscalls() { return { ENTRIES, sizeof(ENTRIES) / sizeof(ENTRIES[0]) }; }

} // namespace kiln
