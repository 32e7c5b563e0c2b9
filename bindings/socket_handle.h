#pragma once

// What the TCP and UDP bindings share: a JS wrapper object owning a non-blocking socket
// on the loop, with Node's handle lifecycle (ref/unref, close with a callback run from
// the closing phase, the native object freed then).

#include <optional>
#include <span>

#include <v8-function.h>
#include <v8-isolate.h>
#include <v8-object.h>

#include "runtime/loop/io_watcher.h"
#include "runtime/loop/loop.h"

namespace kiln::bindings::net {

// Calls object[method](arguments...) through LoopCallbacks (nextTicks and microtasks
// follow); true when the method is missing, false if the program is ending.
bool call_method(
    v8::Isolate* isolate, v8::Local<v8::Object> object, const char* method, std::span<v8::Local<v8::Value>> arguments);

class SocketHandle {
public:
    SocketHandle(const SocketHandle&) = delete;
    SocketHandle& operator=(const SocketHandle&) = delete;

    int fd() const { return m_fd; }

    // Closes the socket now; the handle frees itself and calls `callback` (if a
    // function) from the loop's closing phase. Pending requests are never answered.
    void close(v8::Local<v8::Value> callback);
    void set_ref(bool referenced);
    bool has_ref() const { return m_referenced; }

    // The handle behind a wrapper's `this`, nullptr once closed.
    template <typename T> static T* from(const v8::FunctionCallbackInfo<v8::Value>& info)
    {
        v8::Local<v8::Object> self = info.This();
        if (self->InternalFieldCount() < 1)
            return nullptr;
        return static_cast<T*>(static_cast<SocketHandle*>(self->GetAlignedPointerFromInternalField(0)));
    }

protected:
    SocketHandle(v8::Isolate* isolate, v8::Local<v8::Object> wrapper);
    virtual ~SocketHandle() = default;

    // Takes a socket fd and watches it; readiness goes to on_ready().
    void adopt(int fd);
    loop::Loop& loop();
    virtual void on_ready(loop::IoEvents ready) = 0;
    // Drops queued requests at close.
    virtual void drop_pending() = 0;

    v8::Isolate* m_isolate;
    v8::Global<v8::Object> m_wrapper;
    std::optional<loop::IoWatcher> m_watcher;
    int m_fd = -1;
    int m_deferred = 0; // DeferredCompletions that still point at this
    bool m_closed = false;
    bool m_referenced = true;

private:
    void finish_close();

    v8::Global<v8::Function> m_close_callback;
};

} // namespace kiln::bindings::net
