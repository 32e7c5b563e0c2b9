#include "bindings/deferred_completion.h"

#include <utility>

namespace kiln::bindings {

DeferredCompletion::DeferredCompletion(loop::Loop& loop, std::function<void()> callback)
    : Request(loop)
    , m_callback(std::move(callback))
{
}

void DeferredCompletion::post(loop::Loop& loop, std::function<void()> callback)
{
    auto* request = new DeferredCompletion(loop, std::move(callback));
    request->begin();
    request->complete_in_pending_phase();
}

void DeferredCompletion::on_complete()
{
    std::function<void()> callback = std::move(m_callback);
    delete this;
    callback();
}

} // namespace kiln::bindings
