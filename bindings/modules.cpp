// internalBinding('modules'): compiles CommonJS wrappers and ES modules and drives
// V8's module records for js-lib's loaders (js-lib/60_*.js .. 70_*.js). Resolution,
// caching and error messages are the loaders' business; this file only translates.
#include "bindings/bindings.h"

#include <string>
#include <vector>

#include <v8-container.h>
#include <v8-exception.h>
#include <v8-isolate.h>
#include <v8-primitive.h>
#include <v8-promise.h>
#include <v8-script.h>

#include "runtime/modules/host_callbacks.h"
#include "runtime/modules/module_registry.h"

namespace kiln::bindings {

namespace {

using ModuleId = ModuleRegistry::ModuleId;

// The module named by info[index], or empty after throwing.
v8::Local<v8::Module> module_argument(const v8::FunctionCallbackInfo<v8::Value>& info, int index)
{
    v8::Isolate* isolate = info.GetIsolate();
    v8::Local<v8::Module> module;
    if (info.Length() > index && info[index]->IsInt32())
        module = ModuleRegistry::from(isolate).module(info[index].As<v8::Int32>()->Value());
    if (module.IsEmpty())
        throw_type_error(isolate, "ERR_INVALID_ARG_TYPE", "expected a module id");
    return module;
}

bool strings(const v8::FunctionCallbackInfo<v8::Value>& info, int count)
{
    for (int i = 0; i < count; ++i) {
        if (info.Length() <= i || !info[i]->IsString()) {
            throw_type_error(info.GetIsolate(), "ERR_INVALID_ARG_TYPE", "expected string arguments");
            return false;
        }
    }
    return true;
}

// compileCommonJs(source, filename): the module's code as the body of
// function (exports, require, module, __filename, __dirname), with `filename` as the
// script name, so stack traces and syntax errors show file:line of the file itself.
void compile_common_js(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (!strings(info, 2))
        return;
    v8::Isolate* isolate = info.GetIsolate();
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    v8::Local<v8::String> parameters[] = {
        v8::String::NewFromUtf8Literal(isolate, "exports"),
        v8::String::NewFromUtf8Literal(isolate, "require"),
        v8::String::NewFromUtf8Literal(isolate, "module"),
        v8::String::NewFromUtf8Literal(isolate, "__filename"),
        v8::String::NewFromUtf8Literal(isolate, "__dirname"),
    };
    v8::ScriptOrigin origin(isolate, info[1]);
    v8::ScriptCompiler::Source source(info[0].As<v8::String>(), origin);
    v8::Local<v8::Function> function;
    if (v8::ScriptCompiler::CompileFunction(context, &source, std::size(parameters), parameters).ToLocal(&function))
        info.GetReturnValue().Set(function);
}

// compileModule(source, url) -> id of a new source text module.
void compile_module(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (!strings(info, 2))
        return;
    v8::Isolate* isolate = info.GetIsolate();
    v8::ScriptOrigin origin(isolate, info[1], 0, 0, false, -1, v8::Local<v8::Value>(), false, false, true);
    v8::ScriptCompiler::Source source(info[0].As<v8::String>(), origin);
    v8::Local<v8::Module> module;
    if (!v8::ScriptCompiler::CompileModule(isolate, &source).ToLocal(&module))
        return;
    info.GetReturnValue().Set(ModuleRegistry::from(isolate).add(module, utf8(isolate, info[1])));
}

// createSyntheticModule(url, exportNames, evaluate) -> id. `evaluate()` runs when V8
// evaluates the module and returns an object holding a value for each export name.
void create_synthetic_module(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    if (info.Length() < 3 || !info[0]->IsString() || !info[1]->IsArray() || !info[2]->IsFunction()) {
        throw_type_error(isolate, "ERR_INVALID_ARG_TYPE", "createSyntheticModule(url, names, evaluate)");
        return;
    }
    v8::Local<v8::Array> names = info[1].As<v8::Array>();
    std::vector<v8::Local<v8::String>> export_names;
    for (uint32_t i = 0; i < names->Length(); ++i) {
        v8::Local<v8::Value> name;
        if (!names->Get(context, i).ToLocal(&name))
            return;
        if (!name->IsString()) {
            throw_type_error(isolate, "ERR_INVALID_ARG_TYPE", "export names must be strings");
            return;
        }
        export_names.push_back(name.As<v8::String>());
    }
    v8::Local<v8::Module> module
        = v8::Module::CreateSyntheticModule(isolate, info[0].As<v8::String>(), export_names, evaluate_synthetic_module);
    info.GetReturnValue().Set(
        ModuleRegistry::from(isolate).add(module, utf8(isolate, info[0]), info[2].As<v8::Function>()));
}

// moduleRequests(id) -> [[specifier, assertedType or undefined], ...] in source order.
void module_requests(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Local<v8::Module> module = module_argument(info, 0);
    if (module.IsEmpty())
        return;
    v8::Isolate* isolate = info.GetIsolate();
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    v8::Local<v8::FixedArray> requests = module->GetModuleRequests();
    std::vector<v8::Local<v8::Value>> result;
    for (int i = 0; i < requests->Length(); ++i) {
        v8::Local<v8::ModuleRequest> request = requests->Get(context, i).As<v8::ModuleRequest>();
        v8::Local<v8::Value> type = v8::Undefined(isolate);
        // Static assertions come as [key, value, source offset, ...].
        v8::Local<v8::FixedArray> assertions = request->GetImportAssertions();
        for (int j = 0; j + 1 < assertions->Length(); j += 3) {
            if (utf8(isolate, assertions->Get(context, j).As<v8::Value>()) == "type")
                type = assertions->Get(context, j + 1).As<v8::Value>();
        }
        v8::Local<v8::Value> pair[] = { request->GetSpecifier(), type };
        result.push_back(v8::Array::New(isolate, pair, 2));
    }
    info.GetReturnValue().Set(v8::Array::New(isolate, result.data(), result.size()));
}

// link(importerId, specifier, targetId)
void link(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    if (info.Length() < 3 || !info[0]->IsInt32() || !info[1]->IsString() || !info[2]->IsInt32()) {
        throw_type_error(isolate, "ERR_INVALID_ARG_TYPE", "link(importerId, specifier, targetId)");
        return;
    }
    ModuleRegistry::from(isolate).link(
        info[0].As<v8::Int32>()->Value(), utf8(isolate, info[1]), info[2].As<v8::Int32>()->Value());
}

// instantiate(id): links the graph below the module (every request must be linked).
void instantiate(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Local<v8::Module> module = module_argument(info, 0);
    if (module.IsEmpty())
        return;
    v8::Local<v8::Context> context = info.GetIsolate()->GetCurrentContext();
    // On failure the exception is pending and reaches JS; there is no value to return.
    if (module->InstantiateModule(context, resolve_linked_module).IsNothing())
        return;
}

// evaluate(id) -> promise of the module's completion (settled already unless the graph
// uses top-level await).
void evaluate(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Local<v8::Module> module = module_argument(info, 0);
    if (module.IsEmpty())
        return;
    v8::Local<v8::Value> result;
    if (module->Evaluate(info.GetIsolate()->GetCurrentContext()).ToLocal(&result))
        info.GetReturnValue().Set(result);
}

void get_namespace(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Local<v8::Module> module = module_argument(info, 0);
    if (!module.IsEmpty())
        info.GetReturnValue().Set(module->GetModuleNamespace());
}

// status(id) -> 'uninstantiated' | 'instantiating' | 'instantiated' | 'evaluating' |
// 'evaluated' | 'errored'
void status(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Local<v8::Module> module = module_argument(info, 0);
    if (module.IsEmpty())
        return;
    constexpr const char* k_names[]
        = { "uninstantiated", "instantiating", "instantiated", "evaluating", "evaluated", "errored" };
    info.GetReturnValue().Set(to_v8_string(info.GetIsolate(), k_names[module->GetStatus()]));
}

// error(id): the exception an errored module failed with.
void error(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Local<v8::Module> module = module_argument(info, 0);
    if (!module.IsEmpty() && module->GetStatus() == v8::Module::kErrored)
        info.GetReturnValue().Set(module->GetException());
}

// setHooks(importDynamic, runMain): see ModuleRegistry::set_hooks.
void set_hooks(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    if (info.Length() < 2 || !info[0]->IsFunction() || !info[1]->IsFunction()) {
        throw_type_error(isolate, "ERR_INVALID_ARG_TYPE", "setHooks(importDynamic, runMain)");
        return;
    }
    ModuleRegistry::from(isolate).set_hooks(info[0].As<v8::Function>(), info[1].As<v8::Function>());
}

constexpr NativeFunction k_functions[] = {
    { "compileCommonJs", compile_common_js },
    { "compileModule", compile_module },
    { "createSyntheticModule", create_synthetic_module },
    { "moduleRequests", module_requests },
    { "link", link },
    { "instantiate", instantiate },
    { "evaluate", evaluate },
    { "namespace", get_namespace },
    { "status", status },
    { "error", error },
    { "setHooks", set_hooks },
};

} // namespace

void modules_references(ExternalReferences& out)
{
    add_references(out, k_functions);
    // Synthetic modules keep their evaluation steps on the heap.
    out.push_back(reinterpret_cast<intptr_t>(evaluate_synthetic_module));
}

v8::Local<v8::Object> register_modules(v8::Local<v8::Context> context)
{
    v8::Local<v8::Object> exports = v8::Object::New(context->GetIsolate());
    set_functions(context, exports, k_functions);
    return exports;
}

} // namespace kiln::bindings
