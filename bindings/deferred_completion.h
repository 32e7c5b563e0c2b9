#pragma once

#include <functional>

#include "runtime/loop/request.h"

namespace kiln::bindings {

// Runs `callback` in the next pending phase of the loop and then frees itself: for
// results known at once that must still be reported from the loop (an operation that
// completes never calls back from inside the call that started it).
class DeferredCompletion final : public loop::Request {
public:
    static void post(loop::Loop& loop, std::function<void()> callback);

private:
    DeferredCompletion(loop::Loop& loop, std::function<void()> callback);
    void on_complete() override;

    std::function<void()> m_callback;
};

} // namespace kiln::bindings
