#include "runtime/modules/host_callbacks.h"

#include <string>

#include <v8-container.h>
#include <v8-exception.h>
#include <v8-function.h>
#include <v8-primitive.h>
#include <v8-promise.h>

#include "runtime/modules/module_registry.h"

namespace kiln {

namespace {

std::string utf8(v8::Isolate* isolate, v8::Local<v8::Value> value)
{
    v8::String::Utf8Value text(isolate, value);
    return *text ? std::string(*text, static_cast<size_t>(text.length())) : std::string();
}

v8::Local<v8::String> v8_string(v8::Isolate* isolate, const std::string& text)
{
    return v8::String::NewFromUtf8(isolate, text.data(), v8::NewStringType::kNormal, static_cast<int>(text.size()))
        .ToLocalChecked();
}

// The `type` of an import assertion list ([key, value, key, value...] for dynamic
// import; [key, value, location...] for static ones), or undefined.
v8::Local<v8::Value> assertion_type(v8::Local<v8::Context> context, v8::Local<v8::FixedArray> assertions, int stride)
{
    v8::Isolate* isolate = context->GetIsolate();
    if (assertions.IsEmpty())
        return v8::Undefined(isolate);
    for (int i = 0; i + 1 < assertions->Length(); i += stride) {
        v8::Local<v8::Data> key = assertions->Get(context, i);
        if (key->IsValue() && utf8(isolate, key.As<v8::Value>()) == "type")
            return assertions->Get(context, i + 1).As<v8::Value>();
    }
    return v8::Undefined(isolate);
}

// import(specifier): js-lib's importDynamic(specifier, referrerName, type) does the
// work and returns the promise V8 hands to the caller.
v8::MaybeLocal<v8::Promise> import_dynamically(v8::Local<v8::Context> context, v8::Local<v8::Data>,
    v8::Local<v8::Value> resource_name, v8::Local<v8::String> specifier, v8::Local<v8::FixedArray> import_assertions)
{
    v8::Isolate* isolate = context->GetIsolate();
    v8::EscapableHandleScope scope(isolate);
    v8::Local<v8::Function> hook = ModuleRegistry::from(isolate).import_dynamic_hook();
    if (hook.IsEmpty()) {
        isolate->ThrowException(v8::Exception::Error(
            v8::String::NewFromUtf8Literal(isolate, "import() is not available before the module loader")));
        return {};
    }
    v8::Local<v8::Value> arguments[] = {
        specifier,
        resource_name.IsEmpty() ? v8::Undefined(isolate).As<v8::Value>() : resource_name,
        assertion_type(context, import_assertions, 2),
    };
    v8::Local<v8::Value> result;
    if (!hook->Call(context, v8::Undefined(isolate), 3, arguments).ToLocal(&result))
        return {};
    if (!result->IsPromise()) {
        isolate->ThrowException(
            v8::Exception::TypeError(v8::String::NewFromUtf8Literal(isolate, "importDynamic must return a promise")));
        return {};
    }
    return scope.Escape(result.As<v8::Promise>());
}

void initialize_import_meta(v8::Local<v8::Context> context, v8::Local<v8::Module> module, v8::Local<v8::Object> meta)
{
    v8::Isolate* isolate = context->GetIsolate();
    ModuleRegistry& registry = ModuleRegistry::from(isolate);
    std::optional<ModuleRegistry::ModuleId> id = registry.find(module);
    if (!id)
        return;
    // CreateDataProperty only fails on a pending exception, which the caller sees.
    (void)meta->CreateDataProperty(
        context, v8::String::NewFromUtf8Literal(isolate, "url"), v8_string(isolate, registry.url(*id)));
}

} // namespace

void install_module_host_callbacks(v8::Isolate* isolate)
{
    isolate->SetHostImportModuleDynamicallyCallback(import_dynamically);
    isolate->SetHostInitializeImportMetaObjectCallback(initialize_import_meta);
}

v8::MaybeLocal<v8::Module> resolve_linked_module(v8::Local<v8::Context> context, v8::Local<v8::String> specifier,
    v8::Local<v8::FixedArray>, v8::Local<v8::Module> referrer)
{
    v8::Isolate* isolate = context->GetIsolate();
    ModuleRegistry& registry = ModuleRegistry::from(isolate);
    std::string name = utf8(isolate, specifier);
    std::optional<ModuleRegistry::ModuleId> importer = registry.find(referrer);
    std::optional<ModuleRegistry::ModuleId> target = importer ? registry.linked(*importer, name) : std::nullopt;
    if (!target) {
        isolate->ThrowException(
            v8::Exception::Error(v8_string(isolate, "internal error: import '" + name + "' was not linked")));
        return {};
    }
    return registry.module(*target);
}

v8::MaybeLocal<v8::Value> evaluate_synthetic_module(v8::Local<v8::Context> context, v8::Local<v8::Module> module)
{
    v8::Isolate* isolate = context->GetIsolate();
    v8::EscapableHandleScope scope(isolate);
    ModuleRegistry& registry = ModuleRegistry::from(isolate);
    std::optional<ModuleRegistry::ModuleId> id = registry.find(module);
    v8::Local<v8::Function> evaluate = id ? registry.synthetic_evaluate(*id) : v8::Local<v8::Function>();
    if (evaluate.IsEmpty()) {
        isolate->ThrowException(
            v8::Exception::Error(v8::String::NewFromUtf8Literal(isolate, "internal error: unknown synthetic module")));
        return {};
    }

    v8::Local<v8::Value> exports;
    if (!evaluate->Call(context, v8::Undefined(isolate), 0, nullptr).ToLocal(&exports))
        return {};
    if (exports->IsObject()) {
        v8::Local<v8::Object> values = exports.As<v8::Object>();
        v8::Local<v8::Array> names;
        if (!values->GetOwnPropertyNames(context).ToLocal(&names))
            return {};
        for (uint32_t i = 0; i < names->Length(); ++i) {
            v8::Local<v8::Value> name;
            v8::Local<v8::Value> value;
            if (!names->Get(context, i).ToLocal(&name) || !values->Get(context, name).ToLocal(&value))
                return {};
            if (module->SetSyntheticModuleExport(isolate, name.As<v8::String>(), value).IsNothing())
                return {};
        }
    }

    // With top-level await, evaluation steps report success as a resolved promise.
    v8::Local<v8::Promise::Resolver> resolver;
    if (!v8::Promise::Resolver::New(context).ToLocal(&resolver))
        return {};
    if (resolver->Resolve(context, v8::Undefined(isolate)).IsNothing())
        return {};
    return scope.Escape(resolver->GetPromise());
}

} // namespace kiln
