#include "runtime/bootstrap.h"

#include <array>

#include <v8-exception.h>
#include <v8-function.h>
#include <v8-isolate.h>
#include <v8-primitive.h>
#include <v8-script.h>

#include "bindings/bindings.h"
#include "js-lib/js_lib.h"

namespace kiln {

namespace {

v8::Local<v8::String> utf8_string(v8::Isolate* isolate, std::string_view text)
{
    return v8::String::NewFromUtf8(isolate, text.data(), v8::NewStringType::kNormal, static_cast<int>(text.size()))
        .ToLocalChecked();
}

} // namespace

v8::MaybeLocal<v8::Function> run_js_lib(v8::Local<v8::Context> context)
{
    v8::Isolate* isolate = context->GetIsolate();
    std::array<v8::Local<v8::String>, 3> parameters {
        v8::String::NewFromUtf8Literal(isolate, "internalBinding"),
        v8::String::NewFromUtf8Literal(isolate, "primordials"),
        v8::String::NewFromUtf8Literal(isolate, "internals"),
    };
    // Null-prototype objects so a lookup never falls through to Object.prototype.
    v8::Local<v8::Object> internals = v8::Object::New(isolate, v8::Null(isolate), nullptr, nullptr, 0);
    std::array<v8::Local<v8::Value>, 3> arguments {
        bindings::create_internal_binding_loader(context),
        v8::Object::New(isolate, v8::Null(isolate), nullptr, nullptr, 0),
        internals,
    };

    for (const JsLibFile& file : js_lib_files()) {
        v8::ScriptOrigin origin(isolate, utf8_string(isolate, file.name));
        v8::ScriptCompiler::Source source(utf8_string(isolate, file.source), origin);
        v8::Local<v8::Function> body;
        if (!v8::ScriptCompiler::CompileFunction(context, &source, parameters.size(), parameters.data(), 0, nullptr)
                 .ToLocal(&body))
            return {};
        if (body->Call(context, v8::Undefined(isolate), static_cast<int>(arguments.size()), arguments.data()).IsEmpty())
            return {};
    }
    v8::Local<v8::Value> start_run;
    if (!internals->Get(context, v8::String::NewFromUtf8Literal(isolate, "startRun")).ToLocal(&start_run))
        return {};
    if (!start_run->IsFunction()) {
        isolate->ThrowException(v8::Exception::Error(
            v8::String::NewFromUtf8Literal(isolate, "js-lib did not define internals.startRun")));
        return {};
    }
    return start_run.As<v8::Function>();
}

} // namespace kiln
