#pragma once

#include <cstddef>
#include <vector>

namespace kiln::loop {

class Timer;

// A binary min-heap of active timers ordered by (deadline, start order), the order
// libuv's timer_less_than gives. Each timer remembers its slot, so removing any timer
// is O(log n), not a search.
class TimerHeap {
public:
    bool empty() const { return m_timers.empty(); }
    size_t size() const { return m_timers.size(); }
    // The timer due first, or nullptr.
    Timer* top() const { return m_timers.empty() ? nullptr : m_timers.front(); }

    void insert(Timer& timer);
    // `timer` must be in the heap.
    void remove(Timer& timer);

private:
    static bool runs_before(const Timer& a, const Timer& b);
    void place(size_t index, Timer* timer);
    void sift_up(size_t index);
    void sift_down(size_t index);

    std::vector<Timer*> m_timers;
};

} // namespace kiln::loop
