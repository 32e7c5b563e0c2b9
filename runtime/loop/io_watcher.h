#pragma once

#include <functional>

#include "runtime/loop/handle.h"

namespace kiln::loop {

// Readiness of a file descriptor, as the poll phase reports it.
struct IoEvents {
    bool readable = false;
    bool writable = false;
    bool hangup = false; // EPOLLHUP or EPOLLRDHUP: the peer closed its end
    bool error = false; // EPOLLERR: the next read/write (or SO_ERROR) says which

    bool any() const { return readable || writable || hangup || error; }
};

// Watches one file descriptor for readiness (libuv's uv__io_t / uv_poll_t), level-
// triggered: while the fd stays ready, the callback runs in every poll phase. The fd
// should be non-blocking, and the callback must tolerate a spurious wake-up (EAGAIN).
// Hang-ups and errors are always reported, whatever the interest. One watcher per fd.
class IoWatcher final : public Handle {
public:
    using Callback = std::function<void(IoWatcher&, IoEvents ready)>;

    // Does not take ownership of `fd`; close the watcher before closing the fd.
    IoWatcher(Loop& loop, int fd, Callback callback);
    ~IoWatcher() override;

    // Starts watching for `interest` (its readable/writable fields), or changes what an
    // active watcher waits for. Returns 0, or the errno from epoll_ctl (EPERM for a
    // regular file, EEXIST for a second watcher on the fd...); then the watcher is left
    // as it was and its callback is not called for this interest.
    [[nodiscard]] int start(IoEvents interest);
    void stop();

    int fd() const { return m_fd; }
    IoEvents interest() const { return m_interest; }

private:
    friend class Loop;

    void stop_for_close() override { stop(); }

    int m_fd;
    Callback m_callback;
    IoEvents m_interest {};
};

} // namespace kiln::loop
