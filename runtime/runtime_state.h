#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <v8-isolate.h>

namespace kiln {

class ModuleRegistry;
namespace loop {
class Loop;
}
namespace bindings {
class LoopCallbacks;
}

// How the runtime was started, already resolved; bindings hand it to JS as-is.
struct LaunchInfo {
    std::string exec_path; // absolute path of kiln-runtime: process.execPath, argv[0]
    std::string script_path; // absolute path of the main script: argv[1]
    std::vector<std::string> script_args;
    std::vector<std::string> environment; // "NAME=value", as in environ
};

// State shared by runtime/ and bindings/ for the one isolate. Stored in the isolate's
// data slot so native callbacks find it without globals.
struct RuntimeState {
    static constexpr uint32_t k_isolate_slot = 0;

    LaunchInfo launch;

    // Backing memory of process.exitCode. JS writes it through an Int32Array over this
    // array (Node's "fields" trick), so the runtime reads the exit status at the end
    // without calling back into JS, which may no longer be possible by then.
    int32_t exit_code_field[1] = { 0 };

    // Set by process.reallyExit(); the runtime then terminates execution, unwinds out of
    // V8 and exits with this status.
    std::optional<int> exit_request;

    // The isolate's ES module records (runtime/modules/); lives as long as the isolate
    // scope in Runtime::run().
    ModuleRegistry* modules = nullptr;

    // The event loop (runtime/loop/) and how callbacks from it enter JS
    // (bindings/loop_callbacks.h); both live as long as the isolate scope in
    // Runtime::run().
    loop::Loop* loop = nullptr;
    bindings::LoopCallbacks* callbacks = nullptr;

    // Native state of binding modules, keyed per module (bindings/binding_state.h);
    // made on first use and deliberately never freed.
    std::unordered_map<const void*, void*> binding_states;

    static RuntimeState& from(v8::Isolate* isolate)
    {
        return *static_cast<RuntimeState*>(isolate->GetData(k_isolate_slot));
    }
};

} // namespace kiln
