#pragma once

#include <atomic>
#include <functional>

#include "runtime/loop/handle.h"

namespace kiln::loop {

// Wakes the loop from elsewhere (libuv's uv_async_t): send() makes the loop call the
// callback once in its next poll phase; several sends before that coalesce into one
// call. The loop's single eventfd is the doorbell, created by the first start().
//
// Today everything runs on the loop's thread. send() only sets an atomic flag and
// writes the eventfd, which is what a sender on another thread will need; the rest
// of the handle is loop-thread only.
class Async final : public Handle {
public:
    using Callback = std::function<void(Async&)>;

    Async(Loop& loop, Callback callback);
    ~Async() override;

    // Makes the handle receive sends and keep the loop alive (if referenced). Returns
    // 0, or the errno of creating or registering the eventfd.
    [[nodiscard]] int start();
    void stop();

    // Asks for one callback; does nothing unless the handle is active.
    void send();

private:
    friend class Loop;

    void stop_for_close() override { stop(); }

    Callback m_callback;
    std::atomic<bool> m_pending { false };
    ListNode<Async> m_async_node { this }; // Loop::m_async_handles, while active
};

} // namespace kiln::loop
