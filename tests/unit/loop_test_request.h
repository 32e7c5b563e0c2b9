#pragma once

#include <functional>
#include <utility>

#include "runtime/loop/request.h"

namespace kiln::loop::testing {

// A request whose "operation" the test finishes by hand.
class TestRequest final : public Request {
public:
    TestRequest(Loop& loop, std::function<void()> callback)
        : Request(loop)
        , m_callback(std::move(callback))
    {
    }

    using Request::begin;
    using Request::complete_in_pending_phase;
    using Request::end;

private:
    void on_complete() override { m_callback(); }

    std::function<void()> m_callback;
};

} // namespace kiln::loop::testing
