// internalBinding('process'): the native half of `process`. js-lib/30_process.js
// builds the public object (argv, env, exit, exitCode) on top of it.
#include "bindings/bindings.h"

#include <cerrno>
#include <climits>
#include <string>
#include <unistd.h>

#include <v8-array-buffer.h>
#include <v8-container.h>
#include <v8-isolate.h>
#include <v8-primitive.h>
#include <v8-typed-array.h>

#include "runtime/fd_output.h"
#include "runtime/runtime_state.h"

namespace kiln::bindings {

namespace {

// write(fd, string): writes the string as UTF-8, blocking until all of it is written.
// Lone surrogates become U+FFFD, as in Node's streams. Throws a system error on failure.
void write(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    if (info.Length() < 2 || !info[0]->IsInt32() || !info[1]->IsString()) {
        throw_type_error(isolate, "ERR_INVALID_ARG_TYPE", "write(fd, string) expects an integer and a string");
        return;
    }
    int fd = info[0].As<v8::Int32>()->Value();
    v8::Local<v8::String> text = info[1].As<v8::String>();

    std::string bytes(static_cast<size_t>(text->Utf8Length(isolate)), '\0');
    text->WriteUtf8(isolate, bytes.data(), static_cast<int>(bytes.size()), nullptr,
        v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
    if (int error = write_fully(fd, bytes); error != 0) {
        throw_errno_error(isolate, error, "write");
        return;
    }
    info.GetReturnValue().Set(static_cast<double>(bytes.size()));
}

// reallyExit(code): ends the process with `code` once control is back in the runtime.
// JS stops at once (TerminateExecution cannot be caught); nothing else runs, no
// microtasks, no pending callbacks, as with Node's process.reallyExit.
void really_exit(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    int code = info.Length() > 0 && info[0]->IsInt32() ? info[0].As<v8::Int32>()->Value() : 0;
    RuntimeState::from(isolate).exit_request = code;
    isolate->TerminateExecution();
}

// cwd(): the working directory, or a system error.
void cwd(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    char path[PATH_MAX];
    if (!::getcwd(path, sizeof path)) {
        throw_errno_error(info.GetIsolate(), errno, "uv_cwd");
        return;
    }
    info.GetReturnValue().Set(to_v8_string(info.GetIsolate(), path));
}

v8::Local<v8::Array> string_array(v8::Isolate* isolate, const std::vector<std::string>& strings)
{
    std::vector<v8::Local<v8::Value>> elements;
    elements.reserve(strings.size());
    for (const std::string& string : strings)
        elements.push_back(to_v8_string(isolate, string));
    return v8::Array::New(isolate, elements.data(), elements.size());
}

// An Int32Array over RuntimeState::exit_code_field: JS stores process.exitCode in
// it and the runtime reads it after JS is done.
v8::Local<v8::Int32Array> exit_code_field(v8::Isolate* isolate, RuntimeState& state)
{
    std::shared_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(
        state.exit_code_field, sizeof state.exit_code_field, [](void*, size_t, void*) {}, nullptr);
    return v8::Int32Array::New(v8::ArrayBuffer::New(isolate, std::move(store)), 0, 1);
}

// launch(): what this run was started with, for js-lib's run start (never part of the
// startup snapshot): { argv, execPath, environ ("NAME=value" strings), pid,
// exitCodeField }.
void launch(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    RuntimeState& state = RuntimeState::from(isolate);
    const LaunchInfo& launch = state.launch;

    std::vector<std::string> argv { launch.exec_path, launch.script_path };
    argv.insert(argv.end(), launch.script_args.begin(), launch.script_args.end());
    v8::Local<v8::Object> result = v8::Object::New(isolate);
    set_value(context, result, "argv", string_array(isolate, argv));
    set_value(context, result, "execPath", to_v8_string(isolate, launch.exec_path));
    set_value(context, result, "environ", string_array(isolate, launch.environment));
    set_value(context, result, "pid", v8::Integer::New(isolate, ::getpid()));
    set_value(context, result, "exitCodeField", exit_code_field(isolate, state));
    info.GetReturnValue().Set(result);
}

constexpr NativeFunction k_functions[] = {
    { "write", write },
    { "reallyExit", really_exit },
    { "cwd", cwd },
    { "launch", launch },
};

} // namespace

void process_references(ExternalReferences& out) { add_references(out, k_functions); }

v8::Local<v8::Object> register_process(v8::Local<v8::Context> context)
{
    v8::Local<v8::Object> exports = v8::Object::New(context->GetIsolate());
    set_functions(context, exports, k_functions);
    return exports;
}

} // namespace kiln::bindings
