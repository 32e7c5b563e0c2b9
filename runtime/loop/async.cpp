#include "runtime/loop/async.h"

#include <utility>

#include "runtime/loop/loop.h"

namespace kiln::loop {

Async::Async(Loop& loop, Callback callback)
    : Handle(loop)
    , m_callback(std::move(callback))
{
}

Async::~Async() { stop(); }

int Async::start()
{
    if (is_active() || is_closing())
        return 0;
    if (int error = loop().open_wakeup_fd(); error != 0)
        return error;
    loop().m_async_handles.push_back(m_async_node);
    activate();
    return 0;
}

void Async::stop()
{
    m_async_node.unlink();
    m_pending.store(false);
    deactivate();
}

void Async::send()
{
    if (!is_active())
        return;
    // Only the first send since the last callback rings the doorbell: one write, not one
    // per send.
    if (!m_pending.exchange(true))
        loop().wake_up();
}

} // namespace kiln::loop
