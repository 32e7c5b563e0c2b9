// kiln-make-snapshot: writes kiln-runtime's V8 startup snapshot at build time.
//
//     kiln-make-snapshot <blob.bin>
//     kiln-make-snapshot --self-test    (must abort: see self_test())
//
// 1. Checks the external references: each module of the binding table is built into
//    a throwaway snapshot of its own. A native callback missing from its module's reference list
//    (bindings/binding_table.cpp) makes V8 abort here, naming the address, so the build
//    fails instead of a later run.
// 2. Bootstraps js-lib in a fresh context and serializes it, with internals.startRun
//    as snapshot data, compiled code kept. kiln-runtime restores it and calls startRun.
//
// V8 runs with kiln-runtime's flags (V8Engine), so the heap is built as the runtime
// would build it, plus fixed seeds (the same inputs give the same blob) and eager
// compilation (see main()).
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <unistd.h>

#include <v8-isolate.h>
#include <v8-primitive.h>
#include <v8-snapshot.h>

#include "bindings/bindings.h"
#include "runtime/bootstrap.h"
#include "runtime/errors.h"
#include "runtime/fd_output.h"
#include "runtime/runtime_state.h"
#include "runtime/snapshot/snapshot_layout.h"
#include "runtime/v8_engine.h"

namespace {

// Owns a blob CreateBlob() returned.
struct OwnedBlob {
    explicit OwnedBlob(v8::StartupData blob)
        : data(blob)
    {
    }
    ~OwnedBlob() { delete[] data.data; }
    OwnedBlob(const OwnedBlob&) = delete;
    OwnedBlob& operator=(const OwnedBlob&) = delete;

    v8::StartupData data;
};

// What the check below is looking at, for the crash handler: V8 names only the address
// of an unknown external reference, and without symbols for our static functions.
char s_checking[256] = "";

void explain_crash(int signal_number)
{
    if (s_checking[0] != '\0')
        (void)!::write(2, s_checking, std::strlen(s_checking));
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
}

// Serializes a throwaway context whose global holds `make(context)` as `exports`, and
// drops the blob: V8 aborts on the way if the object reaches a C++ function that is not
// an external reference.
template <typename Make> void serialize_throwaway(Make make)
{
    v8::SnapshotCreator creator(kiln::bindings::external_references().data());
    v8::Isolate* isolate = creator.GetIsolate();
    kiln::RuntimeState state;
    isolate->SetData(kiln::RuntimeState::k_isolate_slot, &state);
    {
        v8::HandleScope handle_scope(isolate);
        v8::Local<v8::Context> context = v8::Context::New(isolate);
        v8::Context::Scope context_scope(context);
        v8::Local<v8::Value> exports = make(context);
        context->Global()->Set(context, v8::String::NewFromUtf8Literal(isolate, "exports"), exports).Check();
        creator.SetDefaultContext(context);
    }
    OwnedBlob blob(creator.CreateBlob(v8::SnapshotCreator::FunctionCodeHandling::kClear));
}

void explain_crashes()
{
    // V8 aborts with a trap instruction (--hard-abort), or abort() without it.
    for (int signal_number : { SIGTRAP, SIGILL, SIGABRT })
        std::signal(signal_number, explain_crash);
}

// Builds each binding module into its own throwaway snapshot, so that the module whose
// callback is missing from its reference list is the one named when V8 aborts.
void check_external_references()
{
    explain_crashes();
    for (std::string_view name : kiln::bindings::binding_module_names()) {
        std::snprintf(s_checking, sizeof s_checking,
            "kiln-make-snapshot: the unknown external reference is a callback of binding module '%.*s': "
            "add it to the module's reference list (bindings/bindings.h)\n",
            static_cast<int>(name.size()), name.data());
        serialize_throwaway([name](v8::Local<v8::Context> context) -> v8::Local<v8::Value> {
            return kiln::bindings::create_binding_module(context, name).ToLocalChecked();
        });
    }
    s_checking[0] = '\0';
}

// In no reference list: for --self-test.
void unlisted_callback(const v8::FunctionCallbackInfo<v8::Value>&) { }

// The check above is only worth something if V8 still aborts on an unknown reference:
// tests/runtime/snapshot/unlisted_callback_stops_build.sh runs this and expects the
// abort. Returns (and the test fails) if V8 let the function through.
int self_test()
{
    explain_crashes();
    std::snprintf(s_checking, sizeof s_checking, "kiln-make-snapshot: self-test: V8 caught the unlisted callback\n");
    serialize_throwaway([](v8::Local<v8::Context> context) -> v8::Local<v8::Value> {
        return v8::Function::New(context, unlisted_callback).ToLocalChecked();
    });
    kiln::write_to_stderr("kiln-make-snapshot: self-test: V8 serialized a callback that is no external reference\n");
    return 1;
}

// The snapshot of the bootstrapped library; empty data if js-lib threw (reported).
v8::StartupData make_library_snapshot()
{
    v8::SnapshotCreator creator(kiln::bindings::external_references().data());
    v8::Isolate* isolate = creator.GetIsolate();
    // No loop, no launch facts: a binding that needed them while js-lib bootstraps would
    // be capturing per-run state (bindings/bindings.h), and crashes the build here.
    kiln::RuntimeState state;
    isolate->SetData(kiln::RuntimeState::k_isolate_slot, &state);
    isolate->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
    {
        v8::HandleScope handle_scope(isolate);
        v8::Local<v8::Context> context = v8::Context::New(isolate);
        v8::Context::Scope context_scope(context);
        v8::TryCatch try_catch(isolate);
        v8::Local<v8::Function> start_run;
        if (!kiln::run_js_lib(context).ToLocal(&start_run)) {
            kiln::write_to_stderr("kiln-make-snapshot: js-lib failed to bootstrap:\n"
                + kiln::format_uncaught_exception(context, try_catch.Exception(), try_catch.Message()));
            return {};
        }
        creator.SetDefaultContext(context);
        if (creator.AddData(context, start_run) != kiln::k_snapshot_start_run_index) {
            kiln::write_to_stderr("kiln-make-snapshot: snapshot data index differs from snapshot_layout.h\n");
            return {};
        }
    }
    // Keeping the compiled code (all of it, with --no-lazy) saves every run compiling it.
    return creator.CreateBlob(v8::SnapshotCreator::FunctionCodeHandling::kKeep);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        kiln::write_to_stderr("usage: kiln-make-snapshot <blob.bin> | --self-test\n");
        return 2;
    }
    const std::string output = argv[1];
    // Fixed seeds make the blob the same bytes at every build (kiln build's images are
    // reproducible). They do not reach the runs: the runtime rehashes the restored heap
    // with its own random hash seed, and V8 reseeds Math.random in every restored
    // context (tests/runtime/snapshot/ checks it).
    // --no-lazy compiles every function of the library now, not just those the bootstrap
    // ran, so runs find bytecode for runMain and the loaders too: a hello world then
    // executes ~4% fewer instructions (callgrind) for ~90 KB more blob.
    kiln::V8Engine engine("--hash-seed=1 --random-seed=1 --no-lazy");

    if (output == "--self-test")
        return self_test();
    check_external_references();
    OwnedBlob blob(make_library_snapshot());
    if (!blob.data.data || blob.data.raw_size <= 0) {
        kiln::write_to_stderr("kiln-make-snapshot: no snapshot was made\n");
        return 1;
    }
    if (!blob.data.CanBeRehashed()) {
        // Every run would then share the string hash seed the build used.
        kiln::write_to_stderr("kiln-make-snapshot: V8 says this snapshot cannot be rehashed\n");
        return 1;
    }

    std::ofstream file(output, std::ios::binary | std::ios::trunc);
    file.write(blob.data.data, blob.data.raw_size);
    file.close();
    if (!file) {
        kiln::write_to_stderr("kiln-make-snapshot: cannot write " + output + "\n");
        std::remove(output.c_str());
        return 1;
    }
    return 0;
}
