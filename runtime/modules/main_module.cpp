#include "runtime/modules/main_module.h"

#include <v8-exception.h>
#include <v8-function.h>
#include <v8-isolate.h>
#include <v8-primitive.h>
#include <v8-promise.h>

#include "runtime/modules/module_registry.h"

namespace kiln {

v8::MaybeLocal<v8::Value> run_main_module(v8::Local<v8::Context> context, const std::string& path)
{
    v8::Isolate* isolate = context->GetIsolate();
    v8::Local<v8::Function> run_main = ModuleRegistry::from(isolate).run_main_hook();
    if (run_main.IsEmpty()) {
        isolate->ThrowException(
            v8::Exception::Error(v8::String::NewFromUtf8Literal(isolate, "js-lib did not install a module loader")));
        return {};
    }
    v8::Local<v8::Value> argument;
    if (!v8::String::NewFromUtf8(isolate, path.data(), v8::NewStringType::kNormal, static_cast<int>(path.size()))
             .ToLocal(&argument))
        return {};
    return run_main->Call(context, v8::Undefined(isolate), 1, &argument);
}

v8::Local<v8::Value> take_main_module_error(v8::Local<v8::Value> completion)
{
    if (completion.IsEmpty() || !completion->IsPromise())
        return {};
    v8::Local<v8::Promise> promise = completion.As<v8::Promise>();
    if (promise->State() != v8::Promise::kRejected)
        return {};
    promise->MarkAsHandled();
    return promise->Result();
}

bool main_module_unsettled(v8::Local<v8::Value> completion)
{
    return !completion.IsEmpty() && completion->IsPromise()
        && completion.As<v8::Promise>()->State() == v8::Promise::kPending;
}

} // namespace kiln
