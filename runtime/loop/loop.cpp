#include "runtime/loop/loop.h"

#include <algorithm>
#include <climits>

namespace kiln::loop {

namespace {

uint32_t epoll_interest(IoEvents interest)
{
    // Level-triggered (no EPOLLET): an fd that stays ready is reported again in the next
    // poll phase, so a callback that reads only part of the data loses nothing.
    return (interest.readable ? EPOLLIN | EPOLLRDHUP : 0u) | (interest.writable ? EPOLLOUT : 0u);
}

IoEvents io_events(uint32_t epoll_events)
{
    return {
        .readable = (epoll_events & EPOLLIN) != 0,
        .writable = (epoll_events & EPOLLOUT) != 0,
        .hangup = (epoll_events & (EPOLLHUP | EPOLLRDHUP)) != 0,
        .error = (epoll_events & EPOLLERR) != 0,
    };
}

int to_epoll_timeout(PollTimeout timeout)
{
    if (!timeout)
        return -1;
    return static_cast<int>(std::clamp<Milliseconds::rep>(timeout->count(), 0, INT_MAX));
}

} // namespace

std::unique_ptr<Loop> Loop::try_create(Clock& clock, int& error)
{
    std::unique_ptr<Loop> loop(new Loop(clock));
    error = Epoll::create(loop->m_epoll);
    if (error != 0)
        return nullptr;
    loop->update_time();
    return loop;
}

Loop::Loop(Clock& clock)
    : m_clock(clock)
{
}

Loop::~Loop() = default;

void Loop::update_time() { m_now = to_milliseconds(m_clock.now()); }

bool Loop::is_alive() const
{
    return m_active_referenced_handles > 0 || m_active_requests > 0 || !m_closing_handles.empty();
}

bool Loop::run(RunMode mode)
{
    bool alive = is_alive();
    if (!alive)
        update_time();
    while (alive && !m_stop_requested) {
        update_time();
        run_timers();
        bool ran_pending = run_pending();
        run_phase(Phase::Idle);
        run_phase(Phase::Prepare);

        PollTimeout timeout = Milliseconds::zero();
        if (mode == RunMode::Default || (mode == RunMode::Once && !ran_pending))
            timeout = poll_timeout();
        poll(timeout);

        run_phase(Phase::Check);
        run_closing_handles();
        ++m_iterations;

        if (mode == RunMode::Once) {
            // Poll may have slept until a timer was due: run it now rather than in
            // an iteration the caller did not ask for (libuv does the same).
            update_time();
            run_timers();
        }
        alive = is_alive();
        if (mode != RunMode::Default)
            break;
    }
    m_stop_requested = false;
    return alive;
}

void Loop::run_timers()
{
    // Take every timer due now off the heap before calling any of them, so that a
    // timer started by a callback here runs in a later pass even with a zero timeout
    // (libuv >= 1.45). A due timer stopped or closed by an earlier callback leaves
    // the due list and does not run.
    while (Timer* timer = m_timers.top()) {
        if (timer->m_deadline > m_now)
            break;
        m_timers.remove(*timer);
        timer->deactivate();
        m_due_timers.push_back(timer->m_due_node);
    }
    while (Timer* timer = m_due_timers.pop_front()) {
        // Rescheduled before the call, so the callback can stop or close it.
        if (timer->m_repeat > Milliseconds::zero())
            timer->start(timer->m_repeat, timer->m_repeat);
        timer->m_callback(*timer);
    }
}

bool Loop::run_pending()
{
    if (m_pending_requests.empty())
        return false;
    // Completions queued by these callbacks wait for the next iteration.
    IntrusiveList<Request> batch;
    batch.splice_back(m_pending_requests);
    while (Request* request = batch.pop_front()) {
        request->end();
        request->on_complete();
    }
    return true;
}

void Loop::run_phase(Phase phase)
{
    // Each handle goes back on the loop's list before its callback runs, so the
    // callback may stop or close it (or another handle still waiting in `batch`, which
    // then does not run), and handles started now wait for the next iteration.
    IntrusiveList<PhaseHandle>& handles = phase_handles(phase);
    IntrusiveList<PhaseHandle> batch;
    batch.splice_back(handles);
    while (PhaseHandle* handle = batch.pop_front()) {
        handles.push_back(handle->m_phase_node);
        handle->m_callback(*handle);
    }
}

PollTimeout Loop::poll_timeout() const
{
    // Do not block when something must run right after poll anyway (libuv's
    // uv_backend_timeout).
    if (m_stop_requested)
        return Milliseconds::zero();
    if (m_active_referenced_handles == 0 && m_active_requests == 0)
        return Milliseconds::zero();
    if (!m_phase_handles[static_cast<size_t>(Phase::Idle)].empty() || !m_pending_requests.empty()
        || !m_closing_handles.empty())
        return Milliseconds::zero();
    const Timer* next = m_timers.top();
    if (!next)
        return std::nullopt;
    return std::max(next->m_deadline - m_now, Milliseconds::zero());
}

void Loop::poll(PollTimeout timeout)
{
    m_last_poll_timeout = m_clock.before_poll(timeout);
    int count = m_epoll.wait(m_events, to_epoll_timeout(m_last_poll_timeout));
    // Poll may have slept: callbacks below must see the time they really run at, or a
    // timer they start would count from before the sleep.
    update_time();
    for (int i = 0; i < count; ++i)
        dispatch_io(m_events[static_cast<size_t>(i)]);
}

void Loop::dispatch_io(const epoll_event& event)
{
    int fd = event.data.fd;
    if (m_wakeup_fd.is_open() && fd == m_wakeup_fd.fd()) {
        m_wakeup_fd.drain();
        run_async_handles();
        return;
    }
    // An earlier callback in this batch may have stopped or closed the watcher, or
    // changed what it waits for.
    if (fd < 0 || static_cast<size_t>(fd) >= m_watchers.size() || !m_watchers[static_cast<size_t>(fd)])
        return;
    IoWatcher& watcher = *m_watchers[static_cast<size_t>(fd)];
    IoEvents ready = io_events(event.events);
    ready.readable &= watcher.m_interest.readable;
    ready.writable &= watcher.m_interest.writable;
    if (ready.any())
        watcher.m_callback(watcher, ready);
}

void Loop::run_async_handles()
{
    IntrusiveList<Async> batch;
    batch.splice_back(m_async_handles);
    while (Async* async = batch.pop_front()) {
        m_async_handles.push_back(async->m_async_node);
        if (async->m_pending.exchange(false))
            async->m_callback(*async);
    }
}

void Loop::run_closing_handles()
{
    // Handles closed by these callbacks finish in the next iteration.
    IntrusiveList<Handle> batch;
    batch.splice_back(m_closing_handles);
    while (Handle* handle = batch.pop_front())
        handle->finish_close();
}

void Loop::walk(const std::function<void(Handle&)>& function)
{
    // Collect first: the function may close handles, which does not remove them from
    // m_handles, but a close callback run meanwhile could.
    std::vector<Handle*> handles;
    m_handles.for_each([&](Handle& handle) { handles.push_back(&handle); });
    for (Handle* handle : handles)
        function(*handle);
}

int Loop::add_watcher(IoWatcher& watcher, IoEvents interest)
{
    int fd = watcher.fd();
    if (fd < 0)
        return EBADF;
    if (int error = m_epoll.add(fd, epoll_interest(interest)); error != 0)
        return error;
    if (static_cast<size_t>(fd) >= m_watchers.size())
        m_watchers.resize(static_cast<size_t>(fd) + 1, nullptr);
    m_watchers[static_cast<size_t>(fd)] = &watcher;
    return 0;
}

int Loop::modify_watcher(IoWatcher& watcher, IoEvents interest)
{
    return m_epoll.modify(watcher.fd(), epoll_interest(interest));
}

void Loop::remove_watcher(IoWatcher& watcher)
{
    // Fails harmlessly (EBADF, ENOENT) if the fd was already closed, which removed it
    // from the epoll set anyway.
    (void)m_epoll.remove(watcher.fd());
    m_watchers[static_cast<size_t>(watcher.fd())] = nullptr;
}

int Loop::open_wakeup_fd()
{
    if (m_wakeup_fd.is_open())
        return 0;
    if (int error = EventFd::create(m_wakeup_fd); error != 0)
        return error;
    if (int error = m_epoll.add(m_wakeup_fd.fd(), EPOLLIN); error != 0) {
        m_wakeup_fd.close();
        return error;
    }
    return 0;
}

void Loop::wake_up() { m_wakeup_fd.ring(); }

} // namespace kiln::loop
