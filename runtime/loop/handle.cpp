#include "runtime/loop/handle.h"

#include <utility>

#include "runtime/loop/loop.h"

namespace kiln::loop {

Handle::Handle(Loop& loop)
    : m_loop(loop)
{
    m_loop.m_handles.push_back(m_all_node);
}

Handle::~Handle()
{
    // Subclasses stop themselves in their destructors; this keeps the loop's count
    // right even for a handle destroyed without close() (a bug, but not a crash).
    if (m_active)
        deactivate();
}

void Handle::ref()
{
    if (m_referenced)
        return;
    m_referenced = true;
    if (m_active)
        ++m_loop.m_active_referenced_handles;
}

void Handle::unref()
{
    if (!m_referenced)
        return;
    m_referenced = false;
    if (m_active)
        --m_loop.m_active_referenced_handles;
}

void Handle::close(CloseCallback callback)
{
    if (m_closing)
        return;
    m_closing = true;
    stop_for_close();
    m_close_callback = std::move(callback);
    m_loop.m_closing_handles.push_back(m_closing_node);
}

void Handle::activate()
{
    if (m_active)
        return;
    m_active = true;
    if (m_referenced)
        ++m_loop.m_active_referenced_handles;
}

void Handle::deactivate()
{
    if (!m_active)
        return;
    m_active = false;
    if (m_referenced)
        --m_loop.m_active_referenced_handles;
}

void Handle::finish_close()
{
    m_all_node.unlink();
    CloseCallback callback = std::move(m_close_callback);
    if (callback)
        callback(*this);
}

} // namespace kiln::loop
