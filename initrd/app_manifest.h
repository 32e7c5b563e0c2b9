#pragma once

// The app side of the image: which file the runtime starts (package.json "main") and
// /kiln/manifest.json, whose schema README.md documents and kernel/exec/manifest.cpp
// reads.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kiln::initrd {

struct Manifest {
    std::vector<std::string> argv;
    std::vector<std::string> env;
    std::string cwd;
};

struct MainResult {
    std::optional<std::string> main; // relative to the app folder, e.g. "index.js"
    std::string error;
};

// Reads <app>/package.json and resolves its "main" (default index.js) the way Node
// does for a folder: the file itself, then with ".js", then <main>/index.js. A missing
// package.json, a "main" that is not a string or escapes the folder, or a main file
// that does not exist is an error that says which.
MainResult find_app_main(const std::filesystem::path& app_dir);

// The manifest as JSON text (version 1), one member per line for people reading it.
std::string manifest_json(const Manifest& manifest);

} // namespace kiln::initrd
