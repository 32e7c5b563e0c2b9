#include "runtime/loop/request.h"

#include "runtime/loop/loop.h"

namespace kiln::loop {

Request::Request(Loop& loop)
    : m_loop(loop)
{
}

Request::~Request() { end(); }

void Request::begin()
{
    if (m_active)
        return;
    m_active = true;
    ++m_loop.m_active_requests;
}

void Request::complete_in_pending_phase()
{
    begin();
    m_loop.m_pending_requests.push_back(m_pending_node);
}

void Request::end()
{
    m_pending_node.unlink();
    if (!m_active)
        return;
    m_active = false;
    --m_loop.m_active_requests;
}

} // namespace kiln::loop
