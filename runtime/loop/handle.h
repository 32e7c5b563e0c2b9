#pragma once

#include <functional>

#include "runtime/loop/intrusive_list.h"

namespace kiln::loop {

class Loop;

// What every handle shares (libuv's uv_handle_t): a long-lived object the loop calls
// back, possibly many times, while it is active.
//
// - active: started and not stopped; an active handle that is referenced keeps the loop
//   alive. ref()/unref() only change whether it counts, never whether it runs.
// - closing takes two steps: close() stops the handle at once, and its close callback
//   runs later, in the closing phase. Only after that callback may the handle's memory
//   be freed, so the loop never holds a dangling pointer. close() is safe from inside
//   the handle's own callback.
class Handle {
public:
    using CloseCallback = std::function<void(Handle&)>;

    virtual ~Handle();

    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;

    Loop& loop() const { return m_loop; }
    bool is_active() const { return m_active; }
    // close() was called (its callback may or may not have run yet).
    bool is_closing() const { return m_closing; }
    bool has_ref() const { return m_referenced; }

    void ref();
    void unref();

    // Stops the handle for good; `callback` runs in the closing phase of this or the
    // next loop iteration. A second close() does nothing.
    void close(CloseCallback callback = {});

protected:
    explicit Handle(Loop& loop);

    // For subclasses' start()/stop(): maintain the loop's count of live handles.
    void activate();
    void deactivate();

    // Takes the handle off whatever loop structure it is on (called by close()).
    virtual void stop_for_close() = 0;

private:
    friend class Loop;

    // The closing phase: the handle is done; runs the close callback last, because the
    // callback may free the handle.
    void finish_close();

    Loop& m_loop;
    bool m_active = false;
    bool m_referenced = true;
    bool m_closing = false;
    CloseCallback m_close_callback;
    ListNode<Handle> m_all_node { this }; // Loop::m_handles, until the close callback
    ListNode<Handle> m_closing_node { this }; // Loop::m_closing_handles, between close() and its callback
};

} // namespace kiln::loop
