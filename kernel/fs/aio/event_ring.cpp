#include "fs/aio/event_ring.h"

namespace kiln::aio {

bool EventRing::reserve()
{
    if (m_in_flight + m_ready >= m_capacity)
        return false;
    ++m_in_flight;
    return true;
}

void EventRing::unreserve()
{
    if (m_in_flight > 0)
        --m_in_flight;
}

void EventRing::post(const IoEvent& event)
{
    // A post without a reservation would overwrite an unreaped event: drop it instead
    // (a caller bug, never the user's doing).
    if (m_in_flight == 0)
        return;
    --m_in_flight;
    m_events[(m_head + m_ready) % m_capacity] = event;
    ++m_ready;
}

void EventRing::drop(uint32_t n)
{
    if (n > m_ready)
        n = m_ready;
    m_head = m_capacity ? (m_head + n) % m_capacity : 0;
    m_ready -= n;
}

} // namespace kiln::aio
