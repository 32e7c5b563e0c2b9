#pragma once

#include "runtime/loop/intrusive_list.h"

namespace kiln::loop {

class Loop;

// One operation in flight (libuv's uv_req_t): a write, a connect, a disk read. Unlike a
// handle it is short-lived and completes once. A subclass holds the operation's
// arguments and result and calls its user's callback from on_complete().
//
// Rules, as in libuv: an operation that fails synchronously reports the error to its
// caller and never calls back; one that completes, even at once, calls back from the
// loop, never from inside the call that started it (complete_in_pending_phase()).
class Request {
public:
    virtual ~Request();

    Request(const Request&) = delete;
    Request& operator=(const Request&) = delete;

    Loop& loop() const { return m_loop; }
    // Between begin() and the moment its completion runs.
    bool is_active() const { return m_active; }

protected:
    explicit Request(Loop& loop);

    // The operation is under way: the loop stays alive until it completes.
    void begin();
    // The operation is finished; on_complete() runs in the next pending phase.
    void complete_in_pending_phase();
    // The operation is finished and the subclass reports it right now (for example from
    // an IoWatcher callback, which already runs on the loop).
    void end();

    // Runs the user's callback. The request is no longer active, and may be freed by
    // the callback.
    virtual void on_complete() = 0;

private:
    friend class Loop;

    Loop& m_loop;
    bool m_active = false;
    ListNode<Request> m_pending_node { this }; // Loop::m_pending_requests
};

} // namespace kiln::loop
