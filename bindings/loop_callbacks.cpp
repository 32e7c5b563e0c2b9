#include "bindings/loop_callbacks.h"

#include <array>

#include <libplatform/libplatform.h>
#include <v8-exception.h>
#include <v8-isolate.h>
#include <v8-microtask-queue.h>
#include <v8-primitive.h>

#include "runtime/errors.h"
#include "runtime/fd_output.h"
#include "runtime/loop/loop.h"
#include "runtime/promise_rejections.h"
#include "runtime/runtime_state.h"

namespace kiln::bindings {

namespace {

// Node's status when an 'uncaughtException' listener itself throws
// (kExceptionInFatalExceptionHandler).
constexpr int k_exit_exception_in_handler = 7;
constexpr int k_exit_uncaught_error = 1;

} // namespace

LoopCallbacks::LoopCallbacks(
    v8::Isolate* isolate, loop::Loop& loop, PromiseRejectionTracker& rejections, v8::Platform& platform)
    : m_isolate(isolate)
    , m_loop(loop)
    , m_rejections(rejections)
    , m_platform(platform)
    , m_start_time_ns(std::chrono::duration_cast<loop::Nanoseconds>(loop.clock().now().time_since_epoch()).count())
{
}

LoopCallbacks::~LoopCallbacks() = default;

LoopCallbacks& LoopCallbacks::from(v8::Isolate* isolate) { return *RuntimeState::from(isolate).callbacks; }

bool LoopCallbacks::is_exiting() const { return RuntimeState::from(m_isolate).exit_request.has_value(); }

void LoopCallbacks::request_exit(int status)
{
    RuntimeState& state = RuntimeState::from(m_isolate);
    if (!state.exit_request)
        state.exit_request = status;
    m_loop.stop();
}

bool LoopCallbacks::call(v8::Local<v8::Context> context, v8::Local<v8::Function> function,
    v8::Local<v8::Value> receiver, std::span<v8::Local<v8::Value>> arguments)
{
    if (is_exiting()) {
        m_loop.stop();
        return false;
    }
    {
        v8::TryCatch try_catch(m_isolate);
        if (function->Call(context, receiver, static_cast<int>(arguments.size()), arguments.data()).IsEmpty()) {
            if (try_catch.HasTerminated() && !is_exiting())
                request_exit(k_exit_uncaught_error);
            if (!is_exiting())
                handle_uncaught_exception(context, try_catch.Exception(), try_catch.Message());
        }
    }
    drain(context);
    if (is_exiting()) {
        m_loop.stop();
        return false;
    }
    return true;
}

v8::MaybeLocal<v8::Value> LoopCallbacks::call_hook(
    v8::Local<v8::Context> context, const v8::Global<v8::Function>& hook, std::span<v8::Local<v8::Value>> arguments)
{
    v8::TryCatch try_catch(m_isolate);
    v8::Local<v8::Value> result;
    if (hook.Get(m_isolate)
            ->Call(context, v8::Undefined(m_isolate), static_cast<int>(arguments.size()), arguments.data())
            .ToLocal(&result))
        return result;
    if (!is_exiting() && !try_catch.HasTerminated())
        handle_uncaught_exception(context, try_catch.Exception(), try_catch.Message());
    return {};
}

void LoopCallbacks::drain(v8::Local<v8::Context> context)
{
    v8::HandleScope scope(m_isolate);
    while (!is_exiting()) {
        // Node's InternalCallbackScope::Close: with no tick queued, microtasks go first;
        // a queued tick means processTicksAndRejections, which runs ticks first.
        if (!tick_scheduled())
            m_isolate->PerformMicrotaskCheckpoint();
        if (is_exiting())
            return;
        if (tick_scheduled() && !m_hooks.process_ticks.IsEmpty()) {
            (void)call_hook(context, m_hooks.process_ticks, {});
            continue;
        }
        if (handle_unhandled_rejections(context))
            continue;
        // Tasks V8 posted to the platform (e.g. FinalizationRegistry clean-up); with the
        // single-threaded platform they run only when we pump.
        if (v8::platform::PumpMessageLoop(&m_platform, m_isolate))
            continue;
        return;
    }
}

bool LoopCallbacks::handle_unhandled_rejections(v8::Local<v8::Context> context)
{
    std::vector<PromiseRejectionTracker::Rejection> rejections = m_rejections.take_unhandled();
    if (rejections.empty())
        return false;
    for (PromiseRejectionTracker::Rejection& rejection : rejections) {
        if (is_exiting())
            break;
        v8::Local<v8::Value> reason = rejection.reason.Get(m_isolate);
        if (!m_hooks.handle_unhandled_rejection.IsEmpty()) {
            std::array<v8::Local<v8::Value>, 2> arguments { rejection.promise.Get(m_isolate), reason };
            v8::Local<v8::Value> handled;
            if (!call_hook(context, m_hooks.handle_unhandled_rejection, arguments).ToLocal(&handled))
                continue;
            if (handled->IsTrue() || is_exiting())
                continue;
        }
        end_with_report(format_unhandled_rejection(context, reason), !m_hooks.handle_unhandled_rejection.IsEmpty());
    }
    return true;
}

void LoopCallbacks::handle_uncaught_exception(
    v8::Local<v8::Context> context, v8::Local<v8::Value> exception, v8::Local<v8::Message> message)
{
    if (is_exiting())
        return;
    v8::HandleScope scope(m_isolate);
    if (message.IsEmpty())
        message = v8::Exception::CreateMessage(m_isolate, exception);
    if (!m_hooks.handle_uncaught_exception.IsEmpty()) {
        v8::TryCatch try_catch(m_isolate);
        std::array<v8::Local<v8::Value>, 2> arguments { exception,
            v8::String::NewFromUtf8Literal(m_isolate, "uncaughtException") };
        v8::Local<v8::Value> handled;
        if (!m_hooks.handle_uncaught_exception.Get(m_isolate)
                 ->Call(context, v8::Undefined(m_isolate), static_cast<int>(arguments.size()), arguments.data())
                 .ToLocal(&handled)) {
            if (is_exiting() || try_catch.HasTerminated())
                return;
            // A listener threw: Node reports that error, not the original, with status 7.
            write_to_stderr(format_uncaught_exception(context, try_catch.Exception(), try_catch.Message()));
            request_exit(k_exit_exception_in_handler);
            return;
        }
        if (handled->IsTrue() || is_exiting())
            return;
    }
    end_with_report(
        format_uncaught_exception(context, exception, message), !m_hooks.handle_uncaught_exception.IsEmpty());
}

void LoopCallbacks::end_with_report(const std::string& report, bool exit_code_was_set)
{
    write_to_stderr(report);
    // js-lib set process.exitCode to 1 before emitting 'exit'; a listener may have
    // changed it. A zero there means "unset" as far as a fatal error is concerned.
    int32_t exit_code = RuntimeState::from(m_isolate).exit_code_field[0];
    request_exit(exit_code_was_set && exit_code != 0 ? exit_code : k_exit_uncaught_error);
}

void LoopCallbacks::emit_before_exit(v8::Local<v8::Context> context)
{
    if (m_hooks.emit_before_exit.IsEmpty() || is_exiting())
        return;
    v8::HandleScope scope(m_isolate);
    (void)call(context, m_hooks.emit_before_exit.Get(m_isolate), v8::Undefined(m_isolate));
}

void LoopCallbacks::emit_exit(v8::Local<v8::Context> context)
{
    if (m_hooks.emit_exit.IsEmpty() || is_exiting())
        return;
    v8::HandleScope scope(m_isolate);
    // Node runs 'exit' listeners with no loop left: timers and ticks they schedule
    // never run, promise reactions do (one microtask checkpoint), and their exceptions
    // are still fatal.
    v8::TryCatch try_catch(m_isolate);
    if (m_hooks.emit_exit.Get(m_isolate)->Call(context, v8::Undefined(m_isolate), 0, nullptr).IsEmpty()) {
        if (!try_catch.HasTerminated() && !is_exiting())
            handle_uncaught_exception(context, try_catch.Exception(), try_catch.Message());
        return;
    }
    if (!is_exiting())
        m_isolate->PerformMicrotaskCheckpoint();
}

} // namespace kiln::bindings
