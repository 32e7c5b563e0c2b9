#include "runtime/loop/timer.h"

#include <algorithm>
#include <utility>

#include "runtime/loop/loop.h"

namespace kiln::loop {

Timer::Timer(Loop& loop, Callback callback)
    : Handle(loop)
    , m_callback(std::move(callback))
{
}

Timer::~Timer() { stop(); }

void Timer::start(Milliseconds timeout, Milliseconds repeat)
{
    if (is_closing())
        return;
    stop();
    Loop& owner = loop();
    m_deadline = owner.now() + std::max(timeout, Milliseconds::zero());
    m_repeat = std::max(repeat, Milliseconds::zero());
    m_start_order = owner.m_next_timer_start_order++;
    owner.m_timers.insert(*this);
    activate();
}

void Timer::stop()
{
    // A timer the timers phase has already taken off the heap waits on the due list;
    // stopping it there means it does not run (libuv's uv_timer_stop does the same).
    m_due_node.unlink();
    if (m_heap_index != k_not_in_heap)
        loop().m_timers.remove(*this);
    deactivate();
}

} // namespace kiln::loop
