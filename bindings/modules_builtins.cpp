// internalBinding('builtins'): the library modules baked into the binary
// (js-lib/lib/**, see js-lib/embed_js_lib.cmake), compiled on first require by
// js-lib/50_builtin_modules.js.
#include "bindings/bindings.h"

#include <vector>

#include <v8-container.h>
#include <v8-isolate.h>
#include <v8-primitive.h>
#include <v8-script.h>

#include "js-lib/js_lib.h"

namespace kiln::bindings {

namespace {

// compile(id) -> function (exports, require, module, internalBinding, primordials,
// internals) running the module's source, or undefined if there is no such module.
void compile(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    if (info.Length() < 1 || !info[0]->IsString()) {
        throw_type_error(isolate, "ERR_INVALID_ARG_TYPE", "compile(id) expects a string");
        return;
    }
    v8::String::Utf8Value requested(isolate, info[0]);
    std::string_view id(*requested, static_cast<size_t>(requested.length()));
    for (const JsLibModule& module : js_lib_modules()) {
        if (module.id != id)
            continue;
        v8::Local<v8::String> parameters[] = {
            v8::String::NewFromUtf8Literal(isolate, "exports"),
            v8::String::NewFromUtf8Literal(isolate, "require"),
            v8::String::NewFromUtf8Literal(isolate, "module"),
            v8::String::NewFromUtf8Literal(isolate, "internalBinding"),
            v8::String::NewFromUtf8Literal(isolate, "primordials"),
            v8::String::NewFromUtf8Literal(isolate, "internals"),
        };
        v8::ScriptOrigin origin(isolate, to_v8_string(isolate, module.name));
        v8::ScriptCompiler::Source source(to_v8_string(isolate, module.source), origin);
        v8::Local<v8::Function> function;
        if (v8::ScriptCompiler::CompileFunction(context, &source, std::size(parameters), parameters).ToLocal(&function))
            info.GetReturnValue().Set(function);
        return;
    }
}

constexpr NativeFunction k_functions[] = { { "compile", compile } };

} // namespace

void builtins_references(ExternalReferences& out) { add_references(out, k_functions); }

v8::Local<v8::Object> register_builtins(v8::Local<v8::Context> context)
{
    v8::Isolate* isolate = context->GetIsolate();
    v8::Local<v8::Object> exports = v8::Object::New(isolate);
    set_functions(context, exports, k_functions);

    std::vector<v8::Local<v8::Value>> ids;
    for (const JsLibModule& module : js_lib_modules())
        ids.push_back(to_v8_string(isolate, module.id));
    set_value(context, exports, "ids", v8::Array::New(isolate, ids.data(), ids.size()));
    return exports;
}

} // namespace kiln::bindings
