#include "runtime/runtime.h"

#include <cstring>
#include <memory>

#include <v8-array-buffer.h>
#include <v8-isolate.h>
#include <v8-microtask-queue.h>
#include <v8-primitive.h>
#include <v8-script.h>

#include "bindings/bindings.h"
#include "bindings/loop_callbacks.h"
#include "runtime/bootstrap.h"
#include "runtime/errors.h"
#include "runtime/fd_output.h"
#include "runtime/loop/loop.h"
#include "runtime/modules/main_module.h"
#include "runtime/modules/module_registry.h"
#include "runtime/promise_rejections.h"
#include "runtime/snapshot/snapshot_layout.h"

namespace kiln {

Runtime::Runtime(V8Engine& engine, LaunchInfo launch, const v8::StartupData* snapshot)
    : m_engine(engine)
    , m_snapshot(snapshot)
{
    m_state.launch = std::move(launch);
}

int Runtime::run()
{
    // Created before the isolate and destroyed after it: JS holds loop handles.
    loop::MonotonicClock clock;
    int loop_error = 0;
    std::unique_ptr<loop::Loop> event_loop = loop::Loop::try_create(clock, loop_error);
    if (!event_loop) {
        write_to_stderr(std::string("kiln-runtime: cannot create the event loop: ") + std::strerror(loop_error) + "\n");
        return k_exit_uncaught_error;
    }
    m_state.loop = event_loop.get();

    std::unique_ptr<v8::ArrayBuffer::Allocator> allocator(v8::ArrayBuffer::Allocator::NewDefaultAllocator());
    v8::Isolate::CreateParams params;
    params.array_buffer_allocator = allocator.get();
    if (m_snapshot) {
        // V8 10.2 takes a non-const pointer here but only reads the blob.
        params.snapshot_blob = const_cast<v8::StartupData*>(m_snapshot);
        params.external_references = bindings::external_references().data();
    }
    v8::Isolate* isolate = v8::Isolate::New(params);
    isolate->SetData(RuntimeState::k_isolate_slot, &m_state);

    int status;
    {
        v8::Isolate::Scope isolate_scope(isolate);
        v8::HandleScope handle_scope(isolate);
        PromiseRejectionTracker rejections(isolate);
        m_rejections = &rejections;
        ModuleRegistry modules(isolate);
        m_state.modules = &modules;
        bindings::LoopCallbacks callbacks(isolate, *event_loop, rejections, m_engine.platform());
        m_state.callbacks = &callbacks;
        // Microtasks run only at our checkpoints, so the order of "script, then
        // microtasks, then rejection check" is ours to define (Node does the same).
        isolate->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
        // Errors remember where they were made, so an unhandled rejection can point at
        // its `new Error(...)` line although it is reported later.
        isolate->SetCaptureStackTraceForUncaughtExceptions(true, 10);

        // With a snapshot, this restores its default context: the library's heap as
        // the bootstrap left it.
        v8::Local<v8::Context> context = v8::Context::New(isolate);
        v8::Context::Scope context_scope(context);
        status = run_in_context(context);
        m_rejections = nullptr;
        m_state.modules = nullptr;
        m_state.callbacks = nullptr;
    }
    isolate->Dispose();
    // Handles still open (a process.exit() with timers pending) are not closed: the
    // process ends now, as Node's does. See runtime/README.md, "Shutdown".
    m_state.loop = nullptr;
    return status;
}

int Runtime::run_in_context(v8::Local<v8::Context> context)
{
    v8::Isolate* isolate = context->GetIsolate();
    v8::TryCatch try_catch(isolate);

    v8::Local<v8::Function> start_run;
    if (!bootstrapped_library(context).ToLocal(&start_run)) {
        if (!try_catch.HasCaught()) {
            write_to_stderr("kiln-runtime: the startup snapshot holds no js-lib start function\n");
            return k_exit_uncaught_error;
        }
        return fail(context, try_catch).value_or(k_exit_uncaught_error);
    }
    if (start_run->Call(context, v8::Undefined(isolate), 0, nullptr).IsEmpty())
        return fail(context, try_catch).value_or(k_exit_uncaught_error);
    if (auto status = drain_queues(context))
        return *status;

    // An error from the main module ends the program unless an 'uncaughtException'
    // listener takes it; then the loop runs as usual.
    v8::Local<v8::Value> main_completion;
    if (!run_main_module(context, m_state.launch.script_path).ToLocal(&main_completion)) {
        if (auto status = fail(context, try_catch))
            return *status;
        try_catch.Reset();
    } else if (v8::Local<v8::Value> error = take_main_module_error(main_completion); !error.IsEmpty()) {
        if (auto status = fail_with(context, error))
            return *status;
    }
    if (auto status = drain_queues(context))
        return *status;
    if (auto status = run_event_loop(context))
        return *status;
    if (!main_completion.IsEmpty() && main_module_unsettled(main_completion)) {
        write_to_stderr("Warning: Detected unsettled top-level await in " + m_state.launch.script_path + "\n");
        return k_exit_unsettled_top_level_await;
    }

    m_state.callbacks->emit_exit(context);
    if (m_state.exit_request)
        return *m_state.exit_request;
    return m_state.exit_code_field[0];
}

v8::MaybeLocal<v8::Function> Runtime::bootstrapped_library(v8::Local<v8::Context> context)
{
    if (!m_snapshot)
        return run_js_lib(context);
    return context->GetDataFromSnapshotOnce<v8::Function>(k_snapshot_start_run_index);
}

std::optional<int> Runtime::run_event_loop(v8::Local<v8::Context> context)
{
    // Node's SpinEventLoop: when the loop runs dry, 'beforeExit' listeners may give it
    // more work, and then it goes on.
    loop::Loop& event_loop = *m_state.loop;
    bool more;
    do {
        event_loop.run();
        if (m_state.exit_request)
            return *m_state.exit_request;
        more = event_loop.is_alive();
        if (more)
            continue;
        m_state.callbacks->emit_before_exit(context);
        if (m_state.exit_request)
            return *m_state.exit_request;
        more = event_loop.is_alive();
    } while (more);
    return std::nullopt;
}

std::optional<int> Runtime::drain_queues(v8::Local<v8::Context> context)
{
    m_state.callbacks->drain(context);
    if (m_state.exit_request)
        return *m_state.exit_request;
    return std::nullopt;
}

std::optional<int> Runtime::fail(v8::Local<v8::Context> context, const v8::TryCatch& try_catch)
{
    if (m_state.exit_request)
        return *m_state.exit_request;
    if (try_catch.HasTerminated()) {
        write_to_stderr("kiln-runtime: execution terminated\n");
        return k_exit_uncaught_error;
    }
    return fail_with(context, try_catch.Exception(), try_catch.Message());
}

std::optional<int> Runtime::fail_with(
    v8::Local<v8::Context> context, v8::Local<v8::Value> error, v8::Local<v8::Message> message)
{
    if (m_state.exit_request)
        return *m_state.exit_request;
    // Without a message, the one from the stack the error captured where it was made,
    // so the report points into the module that threw.
    if (message.IsEmpty())
        message = v8::Exception::CreateMessage(context->GetIsolate(), error);
    m_state.callbacks->handle_uncaught_exception(context, error, message);
    if (m_state.exit_request)
        return *m_state.exit_request;
    return std::nullopt;
}

} // namespace kiln
