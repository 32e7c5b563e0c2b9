#include "bindings/socket_handle.h"

#include <unistd.h>

#include "bindings/bindings.h"
#include "bindings/deferred_completion.h"
#include "bindings/loop_callbacks.h"
#include "bindings/net_common.h"
#include "runtime/runtime_state.h"

namespace kiln::bindings::net {

bool call_method(
    v8::Isolate* isolate, v8::Local<v8::Object> object, const char* method, std::span<v8::Local<v8::Value>> arguments)
{
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    v8::Local<v8::Value> function;
    if (!object->Get(context, to_v8_string(isolate, method)).ToLocal(&function) || !function->IsFunction())
        return true;
    return LoopCallbacks::from(isolate).call(context, function.As<v8::Function>(), object, arguments);
}

SocketHandle::SocketHandle(v8::Isolate* isolate, v8::Local<v8::Object> wrapper)
    : m_isolate(isolate)
    , m_wrapper(isolate, wrapper)
{
    wrapper->SetAlignedPointerInInternalField(0, this);
}

loop::Loop& SocketHandle::loop() { return *RuntimeState::from(m_isolate).loop; }

void SocketHandle::adopt(int fd)
{
    m_fd = fd;
    m_watcher.emplace(loop(), fd, [this](loop::IoWatcher&, loop::IoEvents ready) { on_ready(ready); });
    if (!m_referenced)
        m_watcher->unref();
}

void SocketHandle::close(v8::Local<v8::Value> callback)
{
    v8::HandleScope scope(m_isolate);
    if (callback->IsFunction())
        m_close_callback.Reset(m_isolate, callback.As<v8::Function>());
    m_wrapper.Get(m_isolate)->SetAlignedPointerInInternalField(0, nullptr);
    m_closed = true;
    drop_pending();
    if (m_watcher)
        m_watcher->close([this](loop::Handle&) { finish_close(); });
    else
        DeferredCompletion::post(loop(), [this] { finish_close(); });
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

void SocketHandle::set_ref(bool referenced)
{
    m_referenced = referenced;
    if (!m_watcher)
        return;
    if (referenced)
        m_watcher->ref();
    else
        m_watcher->unref();
}

void SocketHandle::finish_close()
{
    // Deferred completions still hold `this`; wait for them before freeing.
    if (m_deferred > 0) {
        DeferredCompletion::post(loop(), [this] { finish_close(); });
        return;
    }
    v8::Isolate* isolate = m_isolate;
    v8::HandleScope scope(isolate);
    v8::Local<v8::Object> wrapper = m_wrapper.Get(isolate);
    v8::Local<v8::Function> callback;
    if (!m_close_callback.IsEmpty())
        callback = m_close_callback.Get(isolate);
    m_wrapper.Reset();
    m_close_callback.Reset();
    delete this;
    if (!callback.IsEmpty())
        (void)LoopCallbacks::from(isolate).call(isolate->GetCurrentContext(), callback, wrapper);
}

} // namespace kiln::bindings::net
