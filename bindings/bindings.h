#pragma once

#include <span>
#include <string_view>

#include <v8-context.h>
#include <v8-function-callback.h>
#include <v8-function.h>
#include <v8-object.h>

namespace kiln::bindings {

// One native function of a binding module, as listed in that module's table.
struct NativeFunction {
    std::string_view name;
    v8::FunctionCallback callback;
};

// Makes the `internalBinding(name)` function that js-lib receives. It returns the
// module's object, built on first use from the table in binding_table.cpp, and throws
// ERR_UNKNOWN_BUILTIN_MODULE for names that are not there. User code never sees it.
v8::Local<v8::Function> create_internal_binding_loader(v8::Local<v8::Context> context);

// Module constructors, one per file; listed in binding_table.cpp.
v8::Local<v8::Object> register_process(v8::Local<v8::Context> context);
v8::Local<v8::Object> register_modules(v8::Local<v8::Context> context);
v8::Local<v8::Object> register_builtins(v8::Local<v8::Context> context);
v8::Local<v8::Object> register_fs(v8::Local<v8::Context> context);
v8::Local<v8::Object> register_encoding(v8::Local<v8::Context> context);
v8::Local<v8::Object> register_structured_clone(v8::Local<v8::Context> context);
v8::Local<v8::Object> register_loop(v8::Local<v8::Context> context);
v8::Local<v8::Object> register_timers(v8::Local<v8::Context> context);
v8::Local<v8::Object> register_tcp(v8::Local<v8::Context> context);
v8::Local<v8::Object> register_udp(v8::Local<v8::Context> context);
v8::Local<v8::Object> register_http_parser(v8::Local<v8::Context> context);

// Helpers for module files.
void set_functions(
    v8::Local<v8::Context> context, v8::Local<v8::Object> target, std::span<const NativeFunction> functions);
void set_value(
    v8::Local<v8::Context> context, v8::Local<v8::Object> target, std::string_view name, v8::Local<v8::Value> value);
v8::Local<v8::String> to_v8_string(v8::Isolate* isolate, std::string_view text);

// Throws a Node-style error: `new TypeError(message)` with `code` set.
void throw_type_error(v8::Isolate* isolate, std::string_view code, std::string_view message);
// Throws a Node-style system error for `error_number` from `syscall`:
// "EPIPE: broken pipe, write" with code 'EPIPE', errno -32, syscall 'write'. A file
// operation names its path (and a rename its destination), as Node's fs does:
// "ENOENT: no such file or directory, rename 'a' -> 'b'", with `path` and `dest` set.
void throw_errno_error(v8::Isolate* isolate, int error_number, std::string_view syscall, std::string_view path = {},
    std::string_view dest = {});

} // namespace kiln::bindings
