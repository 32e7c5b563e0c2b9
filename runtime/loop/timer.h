#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include "runtime/loop/clock.h"
#include "runtime/loop/handle.h"

namespace kiln::loop {

// Calls back once `timeout` after start(), then every `repeat` if that is non-zero
// (libuv's uv_timer_t). The deadline counts from the loop's cached now(), not from the
// exact moment of start(). Policy such as Node's 1 ms minimum belongs to the caller:
// this timer takes the timeout it is given, zero included.
class Timer final : public Handle {
public:
    using Callback = std::function<void(Timer&)>;

    Timer(Loop& loop, Callback callback);
    ~Timer() override;

    // (Re)starts the timer. Timers due at the same time run in the order they were
    // started, so restarting moves a timer behind the others with its deadline. Does
    // nothing once the timer is closing.
    void start(Milliseconds timeout, Milliseconds repeat = Milliseconds::zero());
    void stop();

    // The repeat applies from the next time the timer fires.
    void set_repeat(Milliseconds repeat) { m_repeat = repeat; }
    Milliseconds repeat() const { return m_repeat; }
    // When it fires next; meaningful only while active.
    TimePoint deadline() const { return m_deadline; }

private:
    friend class Loop;
    friend class TimerHeap;

    static constexpr size_t k_not_in_heap = SIZE_MAX;

    void stop_for_close() override { stop(); }

    Callback m_callback;
    TimePoint m_deadline {};
    Milliseconds m_repeat {};
    uint64_t m_start_order = 0; // breaks ties between equal deadlines: first started, first run
    size_t m_heap_index = k_not_in_heap;
    ListNode<Timer> m_due_node { this }; // Loop's list of timers due in the running timers phase
};

} // namespace kiln::loop
