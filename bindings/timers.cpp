// internalBinding('timers'): loop handles for js-lib/41_timers.js.
//
//   new TimerHandle(timeout)   one loop Timer for one JS Timeout object; methods
//                              start(ms, repeatMs), stop(), close(), ref(), unref(),
//                              hasRef(). When it fires, onTimeout(timeout) is called.
//   setupTimers(onTimeout, processImmediates) → immediateInfo, a Uint32Array
//                              [count, refCount, hasOutstanding]; once per run
//   toggleImmediateRef(on)     keeps poll from blocking while referenced immediates wait
//   getLoopTime()              the loop's now, brought up to date, in ms
//
// Policy (the 1 ms clamp, argument checks, Timeout objects, the immediate queue) is in
// JS. A TimerHandle exists while its Timeout is scheduled: JS closes it when the
// timeout fires for the last time or is cleared, which frees the native half.
#include <algorithm>
#include <array>

#include <v8-array-buffer.h>
#include <v8-function.h>
#include <v8-isolate.h>
#include <v8-primitive.h>
#include <v8-template.h>
#include <v8-typed-array.h>

#include "bindings/binding_state.h"
#include "bindings/bindings.h"
#include "bindings/loop_callbacks.h"
#include "runtime/loop/loop.h"
#include "runtime/runtime_state.h"

namespace kiln::bindings {

namespace {

// Indexes of immediateInfo, shared with js-lib/41_timers.js.
enum ImmediateInfoField : size_t { k_immediate_count, k_immediate_ref_count, k_immediate_has_outstanding };

// Per-isolate state of the binding (binding_state.h). The check and idle handles are
// open for the program's whole life.
struct TimersState {
    explicit TimersState(v8::Isolate* isolate)
        : isolate(isolate)
        , immediate_check(*RuntimeState::from(isolate).loop, [this](loop::PhaseHandle&) { run_immediates(); })
        , immediate_idle(*RuntimeState::from(isolate).loop, [](loop::PhaseHandle&) {})
    {
    }

    void run_immediates();

    v8::Isolate* isolate;
    v8::Global<v8::Function> on_timeout;
    v8::Global<v8::Function> process_immediates;
    uint32_t immediate_info[3] = { 0, 0, 0 };
    // setImmediate callbacks run in the check phase. The check handle never keeps the
    // loop alive; the idle handle, active while referenced immediates wait, does, and
    // stops poll from blocking (Node's immediate_check_handle / immediate_idle_handle).
    loop::Check immediate_check;
    loop::Idle immediate_idle;
};

void TimersState::run_immediates()
{
    if (immediate_info[k_immediate_count] == 0 || process_immediates.IsEmpty())
        return;
    v8::HandleScope scope(isolate);
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    if (!LoopCallbacks::from(isolate).call(context, process_immediates.Get(isolate), v8::Undefined(isolate)))
        return;
    if (immediate_info[k_immediate_ref_count] == 0)
        immediate_idle.stop();
}

// The native half of one JS Timeout.
class JsTimer {
public:
    JsTimer(TimersState& state, v8::Local<v8::Object> wrapper, v8::Local<v8::Object> timeout)
        : m_state(state)
        , m_timer(*RuntimeState::from(state.isolate).loop, [this](loop::Timer&) { fire(); })
        , m_wrapper(state.isolate, wrapper)
        , m_timeout(state.isolate, timeout)
    {
        wrapper->SetAlignedPointerInInternalField(0, this);
    }

    loop::Timer& timer() { return m_timer; }

    // Detaches from JS at once and frees itself once the loop is done with the timer.
    void close()
    {
        v8::HandleScope scope(m_state.isolate);
        m_wrapper.Get(m_state.isolate)->SetAlignedPointerInInternalField(0, nullptr);
        m_wrapper.Reset();
        m_timeout.Reset();
        m_timer.close([this](loop::Handle&) { delete this; });
    }

private:
    void fire()
    {
        v8::Isolate* isolate = m_state.isolate;
        v8::HandleScope scope(isolate);
        std::array<v8::Local<v8::Value>, 1> arguments { m_timeout.Get(isolate) };
        // JS may close this timer; `this` stays valid until the closing phase.
        (void)LoopCallbacks::from(isolate).call(
            isolate->GetCurrentContext(), m_state.on_timeout.Get(isolate), v8::Undefined(isolate), arguments);
    }

    TimersState& m_state;
    loop::Timer m_timer;
    v8::Global<v8::Object> m_wrapper;
    v8::Global<v8::Object> m_timeout;
};

TimersState& state_of(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    return binding_state<TimersState>(info.GetIsolate());
}

// The JsTimer behind `this`, or nullptr once closed (or for a foreign receiver).
JsTimer* timer_of(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Local<v8::Object> self = info.This();
    if (self->InternalFieldCount() < 1)
        return nullptr;
    return static_cast<JsTimer*>(self->GetAlignedPointerFromInternalField(0));
}

loop::Milliseconds milliseconds_argument(const v8::FunctionCallbackInfo<v8::Value>& info, int index)
{
    if (info.Length() <= index || !info[index]->IsNumber())
        return loop::Milliseconds::zero();
    double value = info[index].As<v8::Number>()->Value();
    // js-lib already clamps to [1, 2^31 - 1]; this only keeps the cast defined.
    if (!(value > 0))
        return loop::Milliseconds::zero();
    return loop::Milliseconds(static_cast<int64_t>(std::min(value, 9.0e15)));
}

void timer_handle_new(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    if (!info.IsConstructCall() || info.Length() < 1 || !info[0]->IsObject()) {
        throw_type_error(isolate, "ERR_INVALID_ARG_TYPE", "new TimerHandle(timeout) expects an object");
        return;
    }
    new JsTimer(state_of(info), info.This(), info[0].As<v8::Object>());
}

void timer_start(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    JsTimer* timer = timer_of(info);
    if (!timer)
        return;
    // Node counts a timeout from the time it is set, not from the start of the loop
    // iteration (its getLibuvNow() updates libuv's time): a script that ran for 50 ms
    // before setTimeout(f, 40) must still wait 40 ms.
    timer->timer().loop().update_time();
    timer->timer().start(milliseconds_argument(info, 0), milliseconds_argument(info, 1));
}

void timer_stop(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (JsTimer* timer = timer_of(info))
        timer->timer().stop();
}

void timer_close(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (JsTimer* timer = timer_of(info))
        timer->close();
}

void timer_ref(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (JsTimer* timer = timer_of(info))
        timer->timer().ref();
}

void timer_unref(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (JsTimer* timer = timer_of(info))
        timer->timer().unref();
}

void timer_has_ref(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    JsTimer* timer = timer_of(info);
    info.GetReturnValue().Set(timer != nullptr && timer->timer().has_ref());
}

// immediateInfo: a Uint32Array over the state's counters, which run_immediates reads.
v8::Local<v8::Uint32Array> immediate_info(v8::Isolate* isolate, TimersState& state)
{
    std::shared_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(
        state.immediate_info, sizeof state.immediate_info, [](void*, size_t, void*) {}, nullptr);
    return v8::Uint32Array::New(v8::ArrayBuffer::New(isolate, std::move(store)), 0, 3);
}

void setup_timers(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    if (info.Length() < 2 || !info[0]->IsFunction() || !info[1]->IsFunction()) {
        throw_type_error(
            isolate, "ERR_INVALID_ARG_TYPE", "setupTimers(onTimeout, processImmediates) expects functions");
        return;
    }
    TimersState& state = state_of(info);
    state.on_timeout.Reset(isolate, info[0].As<v8::Function>());
    state.process_immediates.Reset(isolate, info[1].As<v8::Function>());
    state.immediate_check.start();
    state.immediate_check.unref();
    info.GetReturnValue().Set(immediate_info(isolate, state));
}

void toggle_immediate_ref(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    TimersState& state = state_of(info);
    if (info.Length() > 0 && info[0]->IsTrue())
        state.immediate_idle.start();
    else
        state.immediate_idle.stop();
}

void get_loop_time(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    loop::Loop& loop = *RuntimeState::from(info.GetIsolate()).loop;
    loop.update_time();
    info.GetReturnValue().Set(static_cast<double>(loop.now().time_since_epoch().count()));
}

constexpr NativeFunction k_functions[] = {
    { "setupTimers", setup_timers },
    { "toggleImmediateRef", toggle_immediate_ref },
    { "getLoopTime", get_loop_time },
};

constexpr NativeFunction k_timer_methods[] = {
    { "start", timer_start },
    { "stop", timer_stop },
    { "close", timer_close },
    { "ref", timer_ref },
    { "unref", timer_unref },
    { "hasRef", timer_has_ref },
};

v8::Local<v8::Function> timer_handle_class(v8::Local<v8::Context> context)
{
    v8::Isolate* isolate = context->GetIsolate();
    v8::Local<v8::FunctionTemplate> type = v8::FunctionTemplate::New(isolate, timer_handle_new);
    type->SetClassName(to_v8_string(isolate, "TimerHandle"));
    type->InstanceTemplate()->SetInternalFieldCount(1);
    for (const NativeFunction& method : k_timer_methods)
        type->PrototypeTemplate()->Set(
            to_v8_string(isolate, method.name), v8::FunctionTemplate::New(isolate, method.callback));
    return type->GetFunction(context).ToLocalChecked();
}

} // namespace

void timers_references(ExternalReferences& out)
{
    add_references(out, k_functions);
    add_references(out, k_timer_methods);
    out.push_back(reinterpret_cast<intptr_t>(timer_handle_new));
}

v8::Local<v8::Object> register_timers(v8::Local<v8::Context> context)
{
    v8::Local<v8::Object> exports = v8::Object::New(context->GetIsolate());
    set_functions(context, exports, k_functions);
    set_value(context, exports, "TimerHandle", timer_handle_class(context));
    return exports;
}

} // namespace kiln::bindings
