#pragma once

// The completion side of one AIO context: its events in arrival order, and how many
// requests are still in flight. Memory is bounded as Linux bounds it: a context made by
// io_setup(nr_events) holds at most nr_events requests that are either in flight or
// completed and not yet reaped by io_getevents, so a completion always finds a free slot
// (reserve() at submit, post() at completion, peek() and drop() when reaped). Portable; the caller
// provides the storage and serializes access (the kernel's main context).

#include <stddef.h>
#include <stdint.h>

#include "fs/aio/aio_abi.h"

namespace kiln::aio {

class EventRing {
public:
    EventRing() = default;
    EventRing(IoEvent* storage, uint32_t capacity) : m_events(storage), m_capacity(capacity) {}

    // A slot for one request about to be submitted; false when the context is full
    // (io_submit says EAGAIN).
    [[nodiscard]] bool reserve();
    // Gives back a reservation whose request was refused before it started.
    void unreserve();
    // A reserved request completed: its event joins the ring.
    void post(const IoEvent& event);
    // The index-th oldest ready event (index < ready()). Reaping is peek, copy out, then
    // drop, so events a faulting copy did not deliver stay in the ring.
    const IoEvent& peek(uint32_t index) const { return m_events[(m_head + index) % m_capacity]; }
    // Frees the oldest `n` ready events.
    void drop(uint32_t n);

    uint32_t capacity() const { return m_capacity; }
    uint32_t ready() const { return m_ready; }
    uint32_t in_flight() const { return m_in_flight; }

private:
    IoEvent* m_events = nullptr;
    uint32_t m_capacity = 0;
    uint32_t m_head = 0;
    uint32_t m_ready = 0;
    uint32_t m_in_flight = 0;
};

} // namespace kiln::aio
