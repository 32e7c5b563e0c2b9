#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "runtime/loop/async.h"
#include "runtime/loop/clock.h"
#include "runtime/loop/epoll.h"
#include "runtime/loop/handle.h"
#include "runtime/loop/io_watcher.h"
#include "runtime/loop/phase_handle.h"
#include "runtime/loop/request.h"
#include "runtime/loop/timer.h"
#include "runtime/loop/timer_heap.h"

namespace kiln::loop {

enum class RunMode {
    Default, // until nothing referenced is alive, or stop()
    Once, // one iteration; poll may block (libuv's UV_RUN_ONCE)
    NoWait, // one iteration; poll never blocks (UV_RUN_NOWAIT)
};

// A libuv-style event loop for one thread. Each iteration runs its phases in libuv's
// order (see run()); handles and requests are in handle.h and request.h. No V8 here:
// the loop only calls C++ callbacks, and bindings/ turns those into calls into JS.
class Loop {
public:
    // Creates the epoll instance. Returns nullptr and sets `error` (an errno) if that
    // fails. `clock` must outlive the loop.
    [[nodiscard]] static std::unique_ptr<Loop> try_create(Clock& clock, int& error);
    ~Loop();

    Loop(const Loop&) = delete;
    Loop& operator=(const Loop&) = delete;

    // Runs iterations:
    //   update now → timers → pending → idle → prepare → poll → check → closing
    // and returns whether the loop is still alive (see is_alive()).
    bool run(RunMode mode = RunMode::Default);
    // Makes run() return after the current iteration.
    void stop() { m_stop_requested = true; }

    // Alive: a referenced active handle, an active request or a closing handle exists.
    bool is_alive() const;

    // The time cached at the start of this iteration (and again after poll, which may
    // have slept): every timer started in one callback counts from the same now.
    TimePoint now() const { return m_now; }
    void update_time();
    Clock& clock() const { return m_clock; }

    // Calls `function` for every handle whose close callback has not run yet, e.g. to
    // close them all at shutdown. The function may close handles but not create any.
    void walk(const std::function<void(Handle&)>& function);

    // Iterations completed so far; for tests and statistics.
    uint64_t iteration_count() const { return m_iterations; }
    // How long the last poll phase was allowed to block, after Clock::before_poll.
    PollTimeout last_poll_timeout() const { return m_last_poll_timeout; }

private:
    friend class Handle;
    friend class Timer;
    friend class PhaseHandle;
    friend class IoWatcher;
    friend class Async;
    friend class Request;

    Loop(Clock& clock);

    // The phases, in the order run() calls them.
    void run_timers();
    bool run_pending();
    void run_phase(Phase phase);
    PollTimeout poll_timeout() const;
    void poll(PollTimeout timeout);
    void run_closing_handles();

    void dispatch_io(const epoll_event& event);
    void run_async_handles();

    IntrusiveList<PhaseHandle>& phase_handles(Phase phase) { return m_phase_handles[static_cast<size_t>(phase)]; }

    // For IoWatcher: epoll registration, keyed by fd.
    int add_watcher(IoWatcher& watcher, IoEvents interest);
    int modify_watcher(IoWatcher& watcher, IoEvents interest);
    void remove_watcher(IoWatcher& watcher);

    // For Async: the eventfd doorbell, created on first use.
    int open_wakeup_fd();
    void wake_up();

    static constexpr size_t k_events_per_poll = 256;

    Clock& m_clock;
    Epoll m_epoll;
    EventFd m_wakeup_fd;
    TimePoint m_now {};
    bool m_stop_requested = false;
    uint64_t m_iterations = 0;
    PollTimeout m_last_poll_timeout;

    // What keeps the loop alive.
    size_t m_active_referenced_handles = 0;
    size_t m_active_requests = 0;

    IntrusiveList<Handle> m_handles; // every handle not yet finished closing
    IntrusiveList<Handle> m_closing_handles;
    TimerHeap m_timers;
    uint64_t m_next_timer_start_order = 0;
    IntrusiveList<Timer> m_due_timers; // taken off the heap by the running timers phase
    IntrusiveList<Request> m_pending_requests;
    std::array<IntrusiveList<PhaseHandle>, 3> m_phase_handles;
    IntrusiveList<Async> m_async_handles;
    std::vector<IoWatcher*> m_watchers; // by fd; nullptr where none
    std::array<epoll_event, k_events_per_poll> m_events {};
};

} // namespace kiln::loop
