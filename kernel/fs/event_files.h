#pragma once

// eventfd(2) and timerfd_create(2) objects: counters the event loop waits on.

#include "fs/file.h"

namespace kiln {

class EventFd final : public File {
public:
    EventFd(uint64_t initial, bool semaphore) : m_counter(initial), m_semaphore(semaphore) {}

    Result<size_t> read(uint64_t, const IoBuffer& buffer) override;
    Result<size_t> write(uint64_t, const IoBuffer& buffer) override;
    Result<void> stat(LinuxStat& out) const override;
    bool seekable() const override { return false; }
    bool pollable() const override { return true; }
    uint32_t poll_events() const override;
    EventFd* as_eventfd() override { return this; }

    // Adds n for the kernel (an AIO completion, IOCB_FLAG_RESFD), saturating at the
    // maximum instead of blocking, as Linux's eventfd_signal does.
    void signal(uint64_t n) { m_counter = n > MAX - m_counter ? MAX : m_counter + n; }

private:
    static constexpr uint64_t MAX = 0xfffffffffffffffeULL;
    uint64_t m_counter;
    bool m_semaphore;
};

class TimerFd final : public File {
public:
    explicit TimerFd(bool realtime) : m_realtime(realtime) {}

    Result<size_t> read(uint64_t, const IoBuffer& buffer) override;
    Result<void> stat(LinuxStat& out) const override;
    bool seekable() const override { return false; }
    bool pollable() const override { return true; }
    uint32_t poll_events() const override;
    uint64_t poll_deadline() const override;
    TimerFd* as_timerfd() override { return this; }

    // Times in nanoseconds on the timer's clock; a deadline of 0 disarms.
    struct Setting {
        uint64_t interval_ns;
        uint64_t value_ns;  // time until expiry (relative), 0 = disarmed
    };
    // Arms with an absolute deadline (monotonic ns) and interval; returns the old setting.
    Setting arm(uint64_t deadline_monotonic_ns, uint64_t interval_ns);
    Setting current() const;
    bool realtime() const { return m_realtime; }

private:
    uint64_t expirations_now() const;

    bool m_realtime;
    uint64_t m_deadline = 0;  // monotonic ns of the next expiry; 0 = disarmed
    uint64_t m_interval = 0;
};

}  // namespace kiln
