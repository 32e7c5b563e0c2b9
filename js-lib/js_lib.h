#pragma once

#include <span>
#include <string_view>

namespace kiln {

// One file of the JS library, baked into the binary at build time.
struct JsLibFile {
    std::string_view name; // script name shown in stack traces, e.g. "kiln:lib/20_console.js"
    std::string_view source; // UTF-8 source text
};

// The library files in the order they must run (the order of their file names).
// Defined in the generated js_lib_sources.cpp; see js-lib/embed_js_lib.cmake.
std::span<const JsLibFile> js_lib_files();

} // namespace kiln
