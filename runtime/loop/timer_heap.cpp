#include "runtime/loop/timer_heap.h"

#include "runtime/loop/timer.h"

namespace kiln::loop {

bool TimerHeap::runs_before(const Timer& a, const Timer& b)
{
    if (a.m_deadline != b.m_deadline)
        return a.m_deadline < b.m_deadline;
    return a.m_start_order < b.m_start_order;
}

void TimerHeap::place(size_t index, Timer* timer)
{
    m_timers[index] = timer;
    timer->m_heap_index = index;
}

void TimerHeap::insert(Timer& timer)
{
    m_timers.push_back(&timer);
    timer.m_heap_index = m_timers.size() - 1;
    sift_up(timer.m_heap_index);
}

void TimerHeap::remove(Timer& timer)
{
    size_t index = timer.m_heap_index;
    Timer* last = m_timers.back();
    m_timers.pop_back();
    timer.m_heap_index = Timer::k_not_in_heap;
    if (last == &timer)
        return;
    place(index, last);
    // The moved timer may belong above or below the hole it filled.
    sift_up(index);
    sift_down(last->m_heap_index);
}

void TimerHeap::sift_up(size_t index)
{
    Timer* timer = m_timers[index];
    while (index > 0) {
        size_t parent = (index - 1) / 2;
        if (!runs_before(*timer, *m_timers[parent]))
            break;
        place(index, m_timers[parent]);
        index = parent;
    }
    place(index, timer);
}

void TimerHeap::sift_down(size_t index)
{
    Timer* timer = m_timers[index];
    size_t count = m_timers.size();
    for (;;) {
        size_t child = 2 * index + 1;
        if (child >= count)
            break;
        if (child + 1 < count && runs_before(*m_timers[child + 1], *m_timers[child]))
            ++child;
        if (!runs_before(*m_timers[child], *timer))
            break;
        place(index, m_timers[child]);
        index = child;
    }
    place(index, timer);
}

} // namespace kiln::loop
