#pragma once

#include <vector>

#include <v8-isolate.h>
#include <v8-persistent-handle.h>
#include <v8-promise.h>

namespace kiln {

// Remembers promises that were rejected while nothing handled them. A handler attached
// later in the same turn (before the microtask queue drains) forgives the rejection,
// which is when Node 18 decides too. The runtime checks after every checkpoint.
class PromiseRejectionTracker {
public:
    // Installs the isolate's promise reject callback; one tracker per isolate.
    explicit PromiseRejectionTracker(v8::Isolate* isolate);
    ~PromiseRejectionTracker();

    PromiseRejectionTracker(const PromiseRejectionTracker&) = delete;
    PromiseRejectionTracker& operator=(const PromiseRejectionTracker&) = delete;

    struct Rejection {
        v8::Global<v8::Promise> promise;
        v8::Global<v8::Value> reason;
    };

    // The reason of the oldest rejection still unhandled, or an empty handle.
    v8::Local<v8::Value> oldest_unhandled_reason() const;
    // Every rejection still unhandled, oldest first; the tracker forgets them.
    std::vector<Rejection> take_unhandled();

private:
    static constexpr uint32_t k_isolate_slot = 1;
    static void on_promise_reject(v8::PromiseRejectMessage message);

    v8::Isolate* m_isolate;
    std::vector<Rejection> m_unhandled;
};

} // namespace kiln
