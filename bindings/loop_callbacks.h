#pragma once

#include <cstdint>
#include <span>

#include <v8-context.h>
#include <v8-function.h>
#include <v8-message.h>
#include <v8-persistent-handle.h>
#include <v8-platform.h>

namespace kiln {
class PromiseRejectionTracker;
namespace loop {
class Loop;
}
} // namespace kiln

namespace kiln::bindings {

// Everything that happens around a call into JS once the program is running (Node's
// MakeCallback and InternalCallbackScope):
//
// - after every callback: the process.nextTick queue and V8's microtasks, in Node's
//   order (microtasks first when no tick is queued; otherwise all ticks, then all
//   microtasks, again until both are empty), then unhandled rejections, then V8's own
//   platform tasks;
// - an exception nobody caught goes to process 'uncaughtException' listeners, or is
//   reported and ends the program (status 1, or process.exitCode as 'exit' listeners
//   leave it);
// - the process lifecycle: 'beforeExit' when the loop runs dry, 'exit' at the end.
//
// The JS half (js-lib/40_task_queues.js, 45_process_events.js) registers its hooks
// through internalBinding('loop').setHooks(). Before that, errors are reported plainly.
// One per isolate, found through RuntimeState::callbacks.
class LoopCallbacks {
public:
    LoopCallbacks(v8::Isolate* isolate, loop::Loop& loop, PromiseRejectionTracker& rejections, v8::Platform& platform);
    ~LoopCallbacks();

    LoopCallbacks(const LoopCallbacks&) = delete;
    LoopCallbacks& operator=(const LoopCallbacks&) = delete;

    static LoopCallbacks& from(v8::Isolate* isolate);

    // Calls `function`, then drains as above. Returns false once the program is
    // ending (process.exit(), a fatal error): the caller must not touch JS again, and
    // the loop has been told to stop.
    bool call(v8::Local<v8::Context> context, v8::Local<v8::Function> function, v8::Local<v8::Value> receiver,
        std::span<v8::Local<v8::Value>> arguments = {});

    // The drain that follows every callback; also used after the main script.
    void drain(v8::Local<v8::Context> context);

    // Routes an exception that reached the top: to 'uncaughtException' listeners, or
    // to stderr and the end of the program. `message` may be empty.
    void handle_uncaught_exception(
        v8::Local<v8::Context> context, v8::Local<v8::Value> exception, v8::Local<v8::Message> message);

    // Hands rejections nobody handled to 'unhandledRejection' listeners, or ends the
    // program. Returns whether there were any (listeners may have queued more work).
    bool handle_unhandled_rejections(v8::Local<v8::Context> context);

    // process.emit('beforeExit', code) and process.emit('exit', code), via js-lib.
    void emit_before_exit(v8::Local<v8::Context> context);
    void emit_exit(v8::Local<v8::Context> context);

    // True once the program must end; the runtime then returns exit_status().
    bool is_exiting() const;

    // The JS functions js-lib registers (setHooks). Any of them may be empty.
    struct Hooks {
        v8::Global<v8::Function> process_ticks; // () → runs ticks and microtasks until both are empty
        v8::Global<v8::Function> handle_uncaught_exception; // (error, origin) → true if a listener took it
        v8::Global<v8::Function> handle_unhandled_rejection; // (promise, reason) → true if handled
        v8::Global<v8::Function> emit_before_exit; // ()
        v8::Global<v8::Function> emit_exit; // ()
    };
    Hooks& hooks() { return m_hooks; }

    // hasTickScheduled, shared with js-lib as a Uint8Array so that checking it after
    // every callback costs no call into JS.
    uint8_t* tick_info() { return m_tick_info; }

    // The monotonic time the runtime started, for process.uptime().
    int64_t start_time_ns() const { return m_start_time_ns; }

private:
    bool tick_scheduled() const { return m_tick_info[0] != 0; }
    // Calls a hook, routing its exception like any other; empty if it threw.
    v8::MaybeLocal<v8::Value> call_hook(v8::Local<v8::Context> context, const v8::Global<v8::Function>& hook,
        std::span<v8::Local<v8::Value>> arguments);
    // Reports the end of the program: `report` on stderr, then stop with the status
    // js-lib left in process.exitCode (1 if js-lib never got to set it).
    void end_with_report(const std::string& report, bool exit_code_was_set);
    void request_exit(int status);

    v8::Isolate* m_isolate;
    loop::Loop& m_loop;
    PromiseRejectionTracker& m_rejections;
    v8::Platform& m_platform;
    Hooks m_hooks;
    uint8_t m_tick_info[1] = { 0 };
    int64_t m_start_time_ns;
};

} // namespace kiln::bindings
