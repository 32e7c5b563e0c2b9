#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

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

// Addresses of C++ functions that objects on the V8 heap point at. A startup snapshot
// (runtime/snapshot/) can only hold such an object if V8 is given the address, in the
// same order when the snapshot is made and when it is restored.
using ExternalReferences = std::vector<intptr_t>;

// Every native callback of every module in the table (and internalBinding itself),
// null-terminated as V8's CreateParams::external_references wants it.
const ExternalReferences& external_references();

// The names of every module in the table, in table order.
std::vector<std::string_view> binding_module_names();

// Builds module `name` in `context` as internalBinding would (but without caching it),
// or returns empty for an unknown name. The snapshot generator builds each module into
// a throwaway snapshot, so that a callback missing from the module's reference list
// stops the build (V8 aborts on an unknown external reference) instead of a later run.
v8::MaybeLocal<v8::Object> create_binding_module(v8::Local<v8::Context> context, std::string_view name);

// Makes the `internalBinding(name)` function that js-lib receives. It returns the
// module's object, built on first use from the table in binding_table.cpp, and throws
// ERR_UNKNOWN_BUILTIN_MODULE for names that are not there. User code never sees it.
v8::Local<v8::Function> create_internal_binding_loader(v8::Local<v8::Context> context);

// Module constructors and their reference lists, one pair per file; listed in
// binding_table.cpp.
//
// register_<module> builds the module's exports. For the modules js-lib loads while it
// bootstraps, that happens at build time, inside the startup snapshot: it must not
// capture anything that belongs to one run (argv, pid, environment, native pointers,
// memory shared with C++, loop handles). Hand such state out through a function that
// js-lib calls at run start (js-lib/05_run_start.js), and find native state through
// the isolate (binding_state.h), never through a v8::External. Never give a function
// or template a JS object as its data either: templates are stored with the isolate,
// not the context, so the object and all it reaches would come back from the snapshot
// as a second realm (binding_table.cpp keeps its module cache in the context instead).
//
// <module>_references appends every C++ function the exports point at: function
// callbacks, constructors, prototype methods.
v8::Local<v8::Object> register_process(v8::Local<v8::Context> context);
void process_references(ExternalReferences& out);
v8::Local<v8::Object> register_modules(v8::Local<v8::Context> context);
void modules_references(ExternalReferences& out);
v8::Local<v8::Object> register_builtins(v8::Local<v8::Context> context);
void builtins_references(ExternalReferences& out);
v8::Local<v8::Object> register_fs(v8::Local<v8::Context> context);
void fs_references(ExternalReferences& out);
v8::Local<v8::Object> register_encoding(v8::Local<v8::Context> context);
void encoding_references(ExternalReferences& out);
v8::Local<v8::Object> register_structured_clone(v8::Local<v8::Context> context);
void structured_clone_references(ExternalReferences& out);
v8::Local<v8::Object> register_loop(v8::Local<v8::Context> context);
void loop_references(ExternalReferences& out);
v8::Local<v8::Object> register_timers(v8::Local<v8::Context> context);
void timers_references(ExternalReferences& out);
v8::Local<v8::Object> register_tcp(v8::Local<v8::Context> context);
void tcp_references(ExternalReferences& out);
v8::Local<v8::Object> register_udp(v8::Local<v8::Context> context);
void udp_references(ExternalReferences& out);
v8::Local<v8::Object> register_disk(v8::Local<v8::Context> context);
void disk_references(ExternalReferences& out);
v8::Local<v8::Object> register_http_parser(v8::Local<v8::Context> context);
void http_parser_references(ExternalReferences& out);

// Helpers for module files.
void add_references(ExternalReferences& out, std::span<const NativeFunction> functions);
void set_functions(
    v8::Local<v8::Context> context, v8::Local<v8::Object> target, std::span<const NativeFunction> functions);
void set_value(
    v8::Local<v8::Context> context, v8::Local<v8::Object> target, std::string_view name, v8::Local<v8::Value> value);
v8::Local<v8::String> to_v8_string(v8::Isolate* isolate, std::string_view text);
// A JS value as UTF-8 (ToString semantics); empty if the conversion threw.
std::string utf8(v8::Isolate* isolate, v8::Local<v8::Value> value);

// Throws a Node-style error: `new TypeError(message)` with `code` set.
void throw_type_error(v8::Isolate* isolate, std::string_view code, std::string_view message);
// Throws a Node-style system error for `error_number` from `syscall`:
// "EPIPE: broken pipe, write" with code 'EPIPE', errno -32, syscall 'write'. A file
// operation names its path (and a rename its destination), as Node's fs does:
// "ENOENT: no such file or directory, rename 'a' -> 'b'", with `path` and `dest` set.
void throw_errno_error(v8::Isolate* isolate, int error_number, std::string_view syscall, std::string_view path = {},
    std::string_view dest = {});
// The same error as a value, for operations that report it to a callback.
v8::Local<v8::Object> errno_error(v8::Isolate* isolate, int error_number, std::string_view syscall,
    std::string_view path = {}, std::string_view dest = {});

} // namespace kiln::bindings
