#pragma once

#include <v8-context.h>
#include <v8-isolate.h>
#include <v8-script.h>

namespace kiln {

// Installs the isolate-wide hooks V8 calls for ES modules: dynamic import() (handed
// to js-lib's loader) and import.meta (its `url`).
void install_module_host_callbacks(v8::Isolate* isolate);

// Module::ResolveModuleCallback for InstantiateModule: returns the module js-lib's
// loader linked to `specifier` for `referrer` (ModuleRegistry::link). The loader links
// every request before instantiating, so a miss is a loader bug and throws.
v8::MaybeLocal<v8::Module> resolve_linked_module(v8::Local<v8::Context> context, v8::Local<v8::String> specifier,
    v8::Local<v8::FixedArray> import_assertions, v8::Local<v8::Module> referrer);

// Module::SyntheticModuleEvaluationSteps: calls the module's JS evaluate function and
// sets every own property of the object it returns as an export.
v8::MaybeLocal<v8::Value> evaluate_synthetic_module(v8::Local<v8::Context> context, v8::Local<v8::Module> module);

} // namespace kiln
