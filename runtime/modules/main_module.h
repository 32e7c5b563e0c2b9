#pragma once

#include <string>

#include <v8-context.h>
#include <v8-local-handle.h>

namespace kiln {

// Node's exit status when the main module's top-level await never settles.
constexpr int k_exit_unsettled_top_level_await = 13;

// Runs the program's entry file through js-lib's loader, deciding as Node does: an ES
// module if it ends in .mjs, or in .js under a package.json with "type": "module";
// CommonJS otherwise. Returns undefined for CommonJS and the evaluation promise for an
// ES module; empty when it threw (the exception is in the caller's TryCatch).
v8::MaybeLocal<v8::Value> run_main_module(v8::Local<v8::Context> context, const std::string& path);

// The error an ES main module's evaluation has already failed with (a module that
// throws without awaiting fails at once), marked handled so it is reported once, as
// an uncaught exception. Empty if `completion` is not a rejected promise.
v8::Local<v8::Value> take_main_module_error(v8::Local<v8::Value> completion);

// True when an ES main module is still waiting on a top-level await that nothing left
// in the program can settle; Node then warns and exits with status 13.
bool main_module_unsettled(v8::Local<v8::Value> completion);

} // namespace kiln
