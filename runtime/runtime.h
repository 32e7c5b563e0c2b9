#pragma once

#include <optional>

#include <v8-context.h>
#include <v8-exception.h>
#include <v8-snapshot.h>

#include "runtime/runtime_state.h"
#include "runtime/v8_engine.h"

namespace kiln {

class PromiseRejectionTracker;

// Process exit statuses, as Node uses them.
enum ExitStatus : int {
    k_exit_success = 0,
    k_exit_uncaught_error = 1, // uncaught exception, unhandled rejection, unreadable script
    k_exit_invalid_arguments = 9,
};

// One isolate with one context running one main script: the whole life of the program.
class Runtime {
public:
    // With a `snapshot` (runtime/snapshot/), the isolate and its context are restored
    // from it, js-lib already bootstrapped; without, js-lib is compiled and run here.
    Runtime(V8Engine& engine, LaunchInfo launch, const v8::StartupData* snapshot);

    // Bootstraps js-lib, runs the main script, then drains microtasks and platform tasks.
    // Returns the exit status: process.exit()'s argument, 1 after an uncaught error,
    // otherwise process.exitCode.
    [[nodiscard]] int run();

private:
    int run_in_context(v8::Local<v8::Context> context);
    // The bootstrapped library's internals.startRun: from the snapshot, or by running
    // js-lib now. Empty if that failed (an exception may be pending).
    v8::MaybeLocal<v8::Function> bootstrapped_library(v8::Local<v8::Context> context);
    // Runs ticks, microtasks and V8's own tasks until none are left; returns a status if
    // the program must end (process.exit, an unhandled rejection).
    std::optional<int> drain_queues(v8::Local<v8::Context> context);
    // Runs the event loop until nothing referenced is left and 'beforeExit' listeners
    // add nothing more; returns a status if the program must end early.
    std::optional<int> run_event_loop(v8::Local<v8::Context> context);
    // After a JS call failed: the status to end with, or nullopt when an
    // 'uncaughtException' listener took the error and the program goes on.
    std::optional<int> fail(v8::Local<v8::Context> context, const v8::TryCatch& try_catch);
    // Likewise for `error` (an ES main module's evaluation failure); `message` may be empty.
    std::optional<int> fail_with(
        v8::Local<v8::Context> context, v8::Local<v8::Value> error, v8::Local<v8::Message> message = {});

    V8Engine& m_engine;
    const v8::StartupData* m_snapshot;
    RuntimeState m_state;
    PromiseRejectionTracker* m_rejections = nullptr; // lives as long as the isolate scope in run()
};

} // namespace kiln
