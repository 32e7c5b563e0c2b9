#include "fs/event_files.h"

#include "dev/console.h"
#include "fs/aio/aio_context.h"
#include "fs/open_flags.h"
#include "proc/process.h"
#include "time/clock.h"
#include "time/wait.h"

namespace kiln {
namespace {

void fill_anonymous_stat(LinuxStat& out)
{
    out = LinuxStat {};
    out.dev = DEVICE_PSEUDO;
    out.nlink = 1;
    out.mode = 0600;
    out.blksize = 4096;
}

// A blocking read on a counter nothing else can change is a deadlock in a program with
// one thread; say so rather than hang the VM forever.
[[noreturn]] void deadlock(const char* what)
{
    kprintf("kiln: deadlock: blocking read of an empty %s with no other thread to fill it\n", what);
    process_killed_by_signal(6);
}

}  // namespace

Result<size_t> EventFd::read(uint64_t, const IoBuffer& buffer)
{
    if (buffer.length() < 8)
        return Errno::INVAL;
    if (m_counter == 0)
        run_deferred_work(); // an AIO completion may be waiting to signal this eventfd
    if (m_counter == 0) {
        if (status_flags & O_NONBLOCK_FLAG)  // O_NONBLOCK
            return Errno::AGAIN;
        // Disk requests in flight may still signal it (IOCB_FLAG_RESFD).
        (void)wait_until(
            WAIT_FOREVER,
            [](void* self) { return static_cast<EventFd*>(self)->m_counter > 0 || !aio::aio_busy(); }, this);
        if (m_counter == 0)
            deadlock("eventfd");
    }
    uint64_t value = m_semaphore ? 1 : m_counter;
    TRY_VOID(buffer.write(0, &value, 8));
    m_counter -= value;
    return 8;
}

Result<size_t> EventFd::write(uint64_t, const IoBuffer& buffer)
{
    if (buffer.length() < 8)
        return Errno::INVAL;
    uint64_t value;
    TRY_VOID(buffer.read(0, &value, 8));
    if (value == ~0ULL)
        return Errno::INVAL;
    if (value > MAX - m_counter) {
        if (status_flags & O_NONBLOCK_FLAG)
            return Errno::AGAIN;
        deadlock("eventfd (full)");
    }
    m_counter += value;
    return 8;
}

Result<void> EventFd::stat(LinuxStat& out) const
{
    fill_anonymous_stat(out);
    return {};
}

uint32_t EventFd::poll_events() const
{
    uint32_t events = 0;
    if (m_counter > 0)
        events |= POLL_IN | POLL_RDNORM;
    if (m_counter < MAX)
        events |= POLL_OUT | POLL_WRNORM;
    return events;
}

uint64_t TimerFd::expirations_now() const
{
    if (m_deadline == 0)
        return 0;
    uint64_t now = monotonic_ns();
    if (now < m_deadline)
        return 0;
    if (m_interval == 0)
        return 1;
    return 1 + (now - m_deadline) / m_interval;
}

Result<size_t> TimerFd::read(uint64_t, const IoBuffer& buffer)
{
    if (buffer.length() < 8)
        return Errno::INVAL;
    uint64_t count = expirations_now();
    if (count == 0) {
        if (status_flags & O_NONBLOCK_FLAG)
            return Errno::AGAIN;
        if (m_deadline == 0)
            deadlock("disarmed timerfd");
        (void)wait_until(m_deadline);
        count = expirations_now();
    }
    TRY_VOID(buffer.write(0, &count, 8));
    // Consume: a one-shot timer disarms, a periodic one moves past the expiries read.
    if (m_interval == 0)
        m_deadline = 0;
    else
        m_deadline += count * m_interval;
    return 8;
}

Result<void> TimerFd::stat(LinuxStat& out) const
{
    fill_anonymous_stat(out);
    return {};
}

uint32_t TimerFd::poll_events() const { return expirations_now() > 0 ? POLL_IN | POLL_RDNORM : 0; }

uint64_t TimerFd::poll_deadline() const { return m_deadline == 0 ? ~0ULL : m_deadline; }

TimerFd::Setting TimerFd::current() const
{
    if (m_deadline == 0)
        return { m_interval, 0 };
    uint64_t now = monotonic_ns();
    uint64_t remaining = m_deadline > now ? m_deadline - now : 1;
    return { m_interval, remaining };
}

TimerFd::Setting TimerFd::arm(uint64_t deadline_monotonic_ns, uint64_t interval_ns)
{
    Setting previous = current();
    m_deadline = deadline_monotonic_ns;
    m_interval = deadline_monotonic_ns ? interval_ns : 0;
    return previous;
}

}  // namespace kiln
