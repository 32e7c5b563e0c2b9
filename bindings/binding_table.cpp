#include "bindings/bindings.h"

#include <cerrno>
#include <cstring>
#include <string>

#include <v8-exception.h>
#include <v8-isolate.h>
#include <v8-primitive.h>

namespace kiln::bindings {

namespace {

struct BindingModule {
    std::string_view name;
    v8::Local<v8::Object> (*create)(v8::Local<v8::Context>);
    void (*add_references)(ExternalReferences&);
};

// Every native module js-lib can ask for. New modules are added here, nowhere else.
constexpr BindingModule k_modules[] = {
    { "process", register_process, process_references },
    { "modules", register_modules, modules_references },
    { "builtins", register_builtins, builtins_references },
    { "fs", register_fs, fs_references },
    { "encoding", register_encoding, encoding_references },
    { "structured_clone", register_structured_clone, structured_clone_references },
    { "loop", register_loop, loop_references },
    { "timers", register_timers, timers_references },
    { "tcp", register_tcp, tcp_references },
    { "udp", register_udp, udp_references },
    { "disk", register_disk, disk_references },
    { "http_parser", register_http_parser, http_parser_references },
};

// The context's embedder data slot holding the cache of built modules (a null-prototype
// object, name -> exports). Slots below 32 are left to V8, as Node does.
//
// Not the function's data: a function's data belongs to its template, which the
// startup snapshot stores with the isolate, not with the context. Everything the cache
// reaches (the modules, their functions, the context they were made in) would then be
// stored a second time, and come back as a second realm whose objects fail
// `instanceof Error` and throw "no access" when touched.
constexpr int k_binding_cache_slot = 32;

// internalBinding(name)
void internal_binding(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    if (info.Length() < 1 || !info[0]->IsString()) {
        throw_type_error(isolate, "ERR_INVALID_ARG_TYPE", "The \"name\" argument must be of type string");
        return;
    }
    v8::Local<v8::String> name = info[0].As<v8::String>();
    v8::Local<v8::Object> cache = context->GetEmbedderData(k_binding_cache_slot).As<v8::Object>();

    v8::Local<v8::Value> cached;
    if (!cache->Get(context, name).ToLocal(&cached))
        return;
    if (cached->IsObject()) {
        info.GetReturnValue().Set(cached);
        return;
    }

    v8::String::Utf8Value requested(isolate, name);
    std::string_view requested_name(*requested, static_cast<size_t>(requested.length()));
    v8::Local<v8::Object> exports;
    if (!create_binding_module(context, requested_name).ToLocal(&exports)) {
        throw_type_error(isolate, "ERR_UNKNOWN_BUILTIN_MODULE", "No such binding: " + std::string(requested_name));
        return;
    }
    if (cache->Set(context, name, exports).IsNothing())
        return;
    info.GetReturnValue().Set(exports);
}

} // namespace

const ExternalReferences& external_references()
{
    static const ExternalReferences s_references = [] {
        ExternalReferences references { reinterpret_cast<intptr_t>(internal_binding) };
        for (const BindingModule& module : k_modules)
            module.add_references(references);
        references.push_back(0);
        return references;
    }();
    return s_references;
}

std::vector<std::string_view> binding_module_names()
{
    std::vector<std::string_view> names;
    for (const BindingModule& module : k_modules)
        names.push_back(module.name);
    return names;
}

v8::MaybeLocal<v8::Object> create_binding_module(v8::Local<v8::Context> context, std::string_view name)
{
    for (const BindingModule& module : k_modules) {
        if (module.name == name)
            return module.create(context);
    }
    return {};
}

v8::Local<v8::Function> create_internal_binding_loader(v8::Local<v8::Context> context)
{
    v8::Isolate* isolate = context->GetIsolate();
    context->SetEmbedderData(k_binding_cache_slot, v8::Object::New(isolate, v8::Null(isolate), nullptr, nullptr, 0));
    return v8::Function::New(context, internal_binding).ToLocalChecked();
}

std::string utf8(v8::Isolate* isolate, v8::Local<v8::Value> value)
{
    v8::String::Utf8Value text(isolate, value);
    return *text ? std::string(*text, static_cast<size_t>(text.length())) : std::string();
}

v8::Local<v8::String> to_v8_string(v8::Isolate* isolate, std::string_view text)
{
    // Only fails for strings over V8's length limit (~1 GiB), which we never build.
    return v8::String::NewFromUtf8(isolate, text.data(), v8::NewStringType::kNormal, static_cast<int>(text.size()))
        .ToLocalChecked();
}

void set_value(
    v8::Local<v8::Context> context, v8::Local<v8::Object> target, std::string_view name, v8::Local<v8::Value> value)
{
    target->Set(context, to_v8_string(context->GetIsolate(), name), value).Check();
}

void add_references(ExternalReferences& out, std::span<const NativeFunction> functions)
{
    for (const NativeFunction& function : functions)
        out.push_back(reinterpret_cast<intptr_t>(function.callback));
}

void set_functions(
    v8::Local<v8::Context> context, v8::Local<v8::Object> target, std::span<const NativeFunction> functions)
{
    v8::Isolate* isolate = context->GetIsolate();
    for (const NativeFunction& function : functions) {
        v8::Local<v8::String> name = to_v8_string(isolate, function.name);
        v8::Local<v8::Function> callable = v8::Function::New(context, function.callback).ToLocalChecked();
        callable->SetName(name);
        target->Set(context, name, callable).Check();
    }
}

void throw_type_error(v8::Isolate* isolate, std::string_view code, std::string_view message)
{
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    v8::Local<v8::Object> error = v8::Exception::TypeError(to_v8_string(isolate, message)).As<v8::Object>();
    set_value(context, error, "code", to_v8_string(isolate, code));
    isolate->ThrowException(error);
}

namespace {

// libuv's wording where it differs from glibc's, so messages read as in Node.
std::string errno_description(int error_number)
{
    switch (error_number) {
    case EISDIR:
        return "illegal operation on a directory";
    case EEXIST:
        return "file already exists";
    case ELOOP:
        return "too many symbolic links encountered";
    case ENAMETOOLONG:
        return "name too long";
    case EXDEV:
        return "cross-device link not permitted";
    case ENOTSUP:
        return "operation not supported on socket";
    default:
        break;
    }
    const char* text = strerrordesc_np(error_number);
    std::string description = text ? text : "unknown error";
    // libuv's messages are lower-case ("broken pipe"); glibc's are capitalised.
    if (!description.empty() && description[0] >= 'A' && description[0] <= 'Z')
        description[0] = static_cast<char>(description[0] - 'A' + 'a');
    return description;
}

} // namespace

v8::Local<v8::Object> errno_error(
    v8::Isolate* isolate, int error_number, std::string_view syscall, std::string_view path, std::string_view dest)
{
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    const char* name = strerrordesc_np(error_number) ? strerrorname_np(error_number) : nullptr;
    std::string code = name ? name : "E" + std::to_string(error_number);
    std::string message = code + ": " + errno_description(error_number) + ", " + std::string(syscall);
    if (!path.empty())
        message += " '" + std::string(path) + "'";
    if (!dest.empty())
        message += " -> '" + std::string(dest) + "'";

    v8::Local<v8::Object> error = v8::Exception::Error(to_v8_string(isolate, message)).As<v8::Object>();
    set_value(context, error, "errno", v8::Integer::New(isolate, -error_number));
    set_value(context, error, "code", to_v8_string(isolate, code));
    set_value(context, error, "syscall", to_v8_string(isolate, syscall));
    if (!path.empty())
        set_value(context, error, "path", to_v8_string(isolate, path));
    if (!dest.empty())
        set_value(context, error, "dest", to_v8_string(isolate, dest));
    return error;
}

void throw_errno_error(
    v8::Isolate* isolate, int error_number, std::string_view syscall, std::string_view path, std::string_view dest)
{
    isolate->ThrowException(errno_error(isolate, error_number, syscall, path, dest));
}

} // namespace kiln::bindings
