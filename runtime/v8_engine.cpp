#include "runtime/v8_engine.h"

#include <string>

#include <libplatform/libplatform.h>
#include <v8-initialization.h>

namespace kiln {

V8Engine::V8Engine(std::string_view extra_flags)
{
    // One thread only: V8 must not start compiler, GC or platform worker threads. The
    // Kiln kernel runs a single thread, and the host build behaves the same so that
    // `strace` here is the kernel's to-do list (docs: ARCHITECTURE.md, runtime/).
    // Flags must be set before the platform and V8 are initialized.
    v8::V8::SetFlagsFromString("--single-threaded");
    // `import data from './x.json' assert { type: 'json' }`: V8 10.2 parses import
    // assertions only behind this flag, which Node 18 sets too.
    v8::V8::SetFlagsFromString("--harmony-import-assertions");
    if (!extra_flags.empty())
        v8::V8::SetFlagsFromString(std::string(extra_flags).c_str());

    m_platform = v8::platform::NewSingleThreadedDefaultPlatform();
    v8::V8::InitializePlatform(m_platform.get());
    // ICU needs no set-up: Debian builds libnode against the system libicu, whose data
    // is linked in (libicudata), so there is no data file to locate.
    //
    // V8::Initialize() also checks that our V8 ABI defines (runtime/v8_abi.cmake) match
    // the library's build and aborts with a message if they do not.
    v8::V8::Initialize();
}

V8Engine::~V8Engine()
{
    v8::V8::Dispose();
    v8::V8::DisposePlatform();
}

} // namespace kiln
