#include "runtime/promise_rejections.h"

#include <algorithm>
#include <utility>

namespace kiln {

PromiseRejectionTracker::PromiseRejectionTracker(v8::Isolate* isolate)
    : m_isolate(isolate)
{
    isolate->SetData(k_isolate_slot, this);
    isolate->SetPromiseRejectCallback(on_promise_reject);
}

PromiseRejectionTracker::~PromiseRejectionTracker()
{
    m_isolate->SetPromiseRejectCallback(nullptr);
    m_isolate->SetData(k_isolate_slot, nullptr);
}

void PromiseRejectionTracker::on_promise_reject(v8::PromiseRejectMessage message)
{
    v8::Local<v8::Promise> promise = message.GetPromise();
    v8::Isolate* isolate = promise->GetIsolate();
    auto* tracker = static_cast<PromiseRejectionTracker*>(isolate->GetData(k_isolate_slot));
    switch (message.GetEvent()) {
    case v8::kPromiseRejectWithNoHandler:
        tracker->m_unhandled.push_back(
            { v8::Global<v8::Promise>(isolate, promise), v8::Global<v8::Value>(isolate, message.GetValue()) });
        break;
    case v8::kPromiseHandlerAddedAfterReject:
        std::erase_if(tracker->m_unhandled, [&](const Rejection& rejection) { return rejection.promise == promise; });
        break;
    case v8::kPromiseRejectAfterResolved:
    case v8::kPromiseResolveAfterResolved:
        // Node reports these only as the deprecated 'multipleResolves' event.
        break;
    }
}

v8::Local<v8::Value> PromiseRejectionTracker::oldest_unhandled_reason() const
{
    if (m_unhandled.empty())
        return {};
    return m_unhandled.front().reason.Get(m_isolate);
}

std::vector<PromiseRejectionTracker::Rejection> PromiseRejectionTracker::take_unhandled()
{
    return std::exchange(m_unhandled, {});
}

} // namespace kiln
