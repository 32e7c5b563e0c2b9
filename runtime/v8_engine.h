#pragma once

#include <memory>
#include <string_view>

#include <v8-platform.h>

namespace kiln {

// Process-wide V8 set-up: flags, the platform, V8::Initialize. Exactly one exists while
// any isolate lives; its destructor tears V8 down again.
class V8Engine {
public:
    // `extra_flags` are V8 command-line flags from --v8-flags=, applied after ours.
    explicit V8Engine(std::string_view extra_flags);
    ~V8Engine();

    V8Engine(const V8Engine&) = delete;
    V8Engine& operator=(const V8Engine&) = delete;

    v8::Platform& platform() { return *m_platform; }

private:
    std::unique_ptr<v8::Platform> m_platform;
};

} // namespace kiln
