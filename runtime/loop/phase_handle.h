#pragma once

#include <functional>

#include "runtime/loop/handle.h"

namespace kiln::loop {

// The three phases whose handles run once per loop iteration, in this order around
// poll: idle and prepare just before it, check just after.
enum class Phase {
    Idle, // also makes poll non-blocking while active (Node uses one for setImmediate)
    Prepare,
    Check,
};

// A handle that is called back once per loop iteration in its phase while active
// (libuv's uv_idle_t, uv_prepare_t, uv_check_t). Use Idle, Prepare or Check.
class PhaseHandle : public Handle {
public:
    using Callback = std::function<void(PhaseHandle&)>;

    ~PhaseHandle() override;

    // Starting an active handle, or a closing one, does nothing. A handle started from
    // a callback of its own phase first runs in the next iteration.
    void start();
    void stop();

    Phase phase() const { return m_phase; }

protected:
    PhaseHandle(Loop& loop, Phase phase, Callback callback);

private:
    friend class Loop;

    void stop_for_close() override { stop(); }

    Phase m_phase;
    Callback m_callback;
    ListNode<PhaseHandle> m_phase_node { this }; // the loop's list for m_phase, while active
};

class Idle final : public PhaseHandle {
public:
    Idle(Loop& loop, Callback callback)
        : PhaseHandle(loop, Phase::Idle, std::move(callback))
    {
    }
};

class Prepare final : public PhaseHandle {
public:
    Prepare(Loop& loop, Callback callback)
        : PhaseHandle(loop, Phase::Prepare, std::move(callback))
    {
    }
};

class Check final : public PhaseHandle {
public:
    Check(Loop& loop, Callback callback)
        : PhaseHandle(loop, Phase::Check, std::move(callback))
    {
    }
};

} // namespace kiln::loop
