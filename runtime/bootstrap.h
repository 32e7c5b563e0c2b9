#pragma once

#include <v8-context.h>

namespace kiln {

// Runs every js-lib file, in order, in `context`, before any user code. Each file is
// compiled as the body of a function of (internalBinding, primordials, internals):
//   internalBinding(name)  native modules from bindings/ (never visible to user code)
//   primordials            built-ins captured by 00_primordials.js before user code
//                          can patch them
//   internals              what one library file shares with the later ones
// Returns false when a file threw; the exception is in the caller's TryCatch.
[[nodiscard]] bool run_js_lib(v8::Local<v8::Context> context);

} // namespace kiln
