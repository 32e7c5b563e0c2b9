#pragma once

#include <v8-isolate.h>

#include "runtime/runtime_state.h"

namespace kiln::bindings {

// The native state of a binding module (a read buffer, the loop handles behind
// setImmediate, ...), one per isolate, made on first use: `State` must be constructible
// from the isolate.
//
// Bindings find their state through the isolate rather than through a v8::External
// that their functions carry: an External's pointer belongs to one process and cannot
// go into the startup snapshot, so a module built that way could never be part of it.
//
// Never freed: states own loop handles, which live as long as the loop, and the
// process ends right after the loop (runtime/README.md, "Shutdown").
template <typename State> State& binding_state(v8::Isolate* isolate)
{
    // One key per State type: the address of this instantiation's own static.
    static const char s_key = 0;
    void*& slot = RuntimeState::from(isolate).binding_states[&s_key];
    if (!slot)
        slot = new State(isolate);
    return *static_cast<State*>(slot);
}

} // namespace kiln::bindings
