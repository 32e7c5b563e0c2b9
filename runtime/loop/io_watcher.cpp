#include "runtime/loop/io_watcher.h"

#include <utility>

#include "runtime/loop/loop.h"

namespace kiln::loop {

IoWatcher::IoWatcher(Loop& loop, int fd, Callback callback)
    : Handle(loop)
    , m_fd(fd)
    , m_callback(std::move(callback))
{
}

IoWatcher::~IoWatcher() { stop(); }

int IoWatcher::start(IoEvents interest)
{
    if (is_closing())
        return 0;
    int error = is_active() ? loop().modify_watcher(*this, interest) : loop().add_watcher(*this, interest);
    if (error != 0)
        return error;
    m_interest = { interest.readable, interest.writable };
    activate();
    return 0;
}

void IoWatcher::stop()
{
    if (!is_active())
        return;
    loop().remove_watcher(*this);
    m_interest = {};
    deactivate();
}

} // namespace kiln::loop
