#pragma once

#include <span>
#include <string_view>

namespace kiln {

// One bootstrap file of the JS library, baked into the binary at build time.
struct JsLibFile {
    std::string_view name; // script name shown in stack traces, e.g. "kiln:lib/20_console.js"
    std::string_view source; // UTF-8 source text
};

// One library module (js-lib/lib/**), compiled the first time it is required.
struct JsLibModule {
    std::string_view id; // what require() asks for: "path", "fs/promises", "internal/url"
    std::string_view name; // script name shown in stack traces, e.g. "kiln:lib/path.js"
    std::string_view source; // UTF-8 source text
};

// The bootstrap files in the order they must run (the order of their file names).
// Defined in the generated js_lib_sources.cpp; see js-lib/embed_js_lib.cmake.
std::span<const JsLibFile> js_lib_files();

// Every library module, in no particular order.
std::span<const JsLibModule> js_lib_modules();

} // namespace kiln
