// internalBinding('loop'): the native half of process.nextTick, queueMicrotask,
// process events and process.hrtime. js-lib/40_task_queues.js and
// 45_process_events.js build the public API on top of it; LoopCallbacks does the work.
#include <array>

#include <v8-array-buffer.h>
#include <v8-isolate.h>
#include <v8-microtask-queue.h>
#include <v8-primitive.h>
#include <v8-typed-array.h>

#include "bindings/bindings.h"
#include "bindings/loop_callbacks.h"
#include "runtime/loop/clock.h"

namespace kiln::bindings {

namespace {

// setHooks({ processTicks, handleUncaughtException, handleUnhandledRejection,
//            emitBeforeExit, emitExit }): functions LoopCallbacks calls; see its header.
void set_hooks(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    if (info.Length() < 1 || !info[0]->IsObject()) {
        throw_type_error(isolate, "ERR_INVALID_ARG_TYPE", "setHooks(hooks) expects an object");
        return;
    }
    v8::Local<v8::Object> hooks = info[0].As<v8::Object>();
    LoopCallbacks::Hooks& target = LoopCallbacks::from(isolate).hooks();
    const std::pair<const char*, v8::Global<v8::Function>*> k_names[] = {
        { "processTicks", &target.process_ticks },
        { "handleUncaughtException", &target.handle_uncaught_exception },
        { "handleUnhandledRejection", &target.handle_unhandled_rejection },
        { "emitBeforeExit", &target.emit_before_exit },
        { "emitExit", &target.emit_exit },
    };
    for (const auto& [name, slot] : k_names) {
        v8::Local<v8::Value> value;
        if (!hooks->Get(context, to_v8_string(isolate, name)).ToLocal(&value))
            return;
        if (value->IsFunction())
            slot->Reset(isolate, value.As<v8::Function>());
    }
}

// runMicrotasks(): V8's microtask checkpoint, for processTicks between tick batches.
void run_microtasks(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    info.GetIsolate()->PerformMicrotaskCheckpoint();
}

// enqueueMicrotask(fn): queueMicrotask without validation (js-lib validates).
void enqueue_microtask(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (info.Length() < 1 || !info[0]->IsFunction()) {
        throw_type_error(info.GetIsolate(), "ERR_INVALID_ARG_TYPE", "enqueueMicrotask(fn) expects a function");
        return;
    }
    info.GetIsolate()->EnqueueMicrotask(info[0].As<v8::Function>());
}

// triggerUncaughtException(error): an error JS caught on the program's behalf (in a
// queueMicrotask callback, say) that must be treated as uncaught. If it ends the
// program, JS stops right here, as after process.exit().
void trigger_uncaught_exception(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    LoopCallbacks& callbacks = LoopCallbacks::from(isolate);
    v8::Local<v8::Value> error = info.Length() > 0 ? info[0] : v8::Undefined(isolate).As<v8::Value>();
    callbacks.handle_uncaught_exception(isolate->GetCurrentContext(), error, {});
    if (callbacks.is_exiting())
        isolate->TerminateExecution();
}

// processRejections(): the unhandled-rejection step of the drain, for runNextTicks.
// Returns whether there were any; ends JS here if one ends the program.
void process_rejections(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    LoopCallbacks& callbacks = LoopCallbacks::from(isolate);
    bool had_any = callbacks.handle_unhandled_rejections(isolate->GetCurrentContext());
    if (callbacks.is_exiting()) {
        isolate->TerminateExecution();
        return;
    }
    info.GetReturnValue().Set(had_any);
}

int64_t monotonic_ns()
{
    loop::MonotonicClock clock;
    return std::chrono::duration_cast<loop::Nanoseconds>(clock.now().time_since_epoch()).count();
}

// hrtime(): fills hrtimeFields with [seconds high 32 bits, seconds low 32 bits,
// nanoseconds], Node's layout, so process.hrtime() allocates nothing in C++.
void hrtime(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    if (info.Length() < 1 || !info[0]->IsUint32Array() || info[0].As<v8::Uint32Array>()->Length() < 3) {
        throw_type_error(isolate, "ERR_INVALID_ARG_TYPE", "hrtime(fields) expects a Uint32Array(3)");
        return;
    }
    v8::Local<v8::Uint32Array> fields = info[0].As<v8::Uint32Array>();
    uint64_t now = static_cast<uint64_t>(monotonic_ns());
    uint64_t seconds = now / 1'000'000'000;
    fields->Set(context, 0, v8::Integer::NewFromUnsigned(isolate, static_cast<uint32_t>(seconds >> 32))).Check();
    fields->Set(context, 1, v8::Integer::NewFromUnsigned(isolate, static_cast<uint32_t>(seconds))).Check();
    fields->Set(context, 2, v8::Integer::NewFromUnsigned(isolate, static_cast<uint32_t>(now % 1'000'000'000))).Check();
}

// hrtimeBigInt(): nanoseconds on the monotonic clock.
void hrtime_bigint(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    info.GetReturnValue().Set(v8::BigInt::NewFromUnsigned(info.GetIsolate(), static_cast<uint64_t>(monotonic_ns())));
}

// uptime(): seconds since the runtime started, as a fraction.
void uptime(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    int64_t elapsed = monotonic_ns() - LoopCallbacks::from(info.GetIsolate()).start_time_ns();
    info.GetReturnValue().Set(static_cast<double>(elapsed) / 1e9);
}

// tickInfo(): a Uint8Array over LoopCallbacks::tick_info(), for js-lib's run start;
// the memory is owned by LoopCallbacks, which outlives every script.
void tick_info(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    std::shared_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(
        LoopCallbacks::from(isolate).tick_info(), 1, [](void*, size_t, void*) {}, nullptr);
    info.GetReturnValue().Set(v8::Uint8Array::New(v8::ArrayBuffer::New(isolate, std::move(store)), 0, 1));
}

constexpr NativeFunction k_functions[] = {
    { "setHooks", set_hooks },
    { "runMicrotasks", run_microtasks },
    { "enqueueMicrotask", enqueue_microtask },
    { "triggerUncaughtException", trigger_uncaught_exception },
    { "processRejections", process_rejections },
    { "hrtime", hrtime },
    { "hrtimeBigInt", hrtime_bigint },
    { "uptime", uptime },
    { "tickInfo", tick_info },
};

} // namespace

void loop_references(ExternalReferences& out) { add_references(out, k_functions); }

v8::Local<v8::Object> register_loop(v8::Local<v8::Context> context)
{
    v8::Local<v8::Object> exports = v8::Object::New(context->GetIsolate());
    set_functions(context, exports, k_functions);
    return exports;
}

} // namespace kiln::bindings
