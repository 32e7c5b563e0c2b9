#pragma once

#include <v8-context.h>
#include <v8-function.h>
#include <v8-local-handle.h>

namespace kiln {

// Runs every js-lib file, in order, in `context`, before any user code. Each file is
// compiled as the body of a function of (internalBinding, primordials, internals):
//   internalBinding(name)  native modules from bindings/ (never visible to user code)
//   primordials            built-ins captured by 00_primordials.js before user code
//                          can patch them
//   internals              what one library file shares with the later ones
//
// The files only build the library; what belongs to one run is done by the function
// this returns (internals.startRun, js-lib/05_run_start.js), which must be called once
// per run before any user code. With the startup snapshot, run_js_lib runs at build
// time and the function is kept in the snapshot (runtime/snapshot/).
// Returns empty when a file threw; the exception is in the caller's TryCatch.
[[nodiscard]] v8::MaybeLocal<v8::Function> run_js_lib(v8::Local<v8::Context> context);

} // namespace kiln
