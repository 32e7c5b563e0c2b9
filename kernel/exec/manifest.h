#pragma once

// /kiln/manifest.json, the image's instructions to the kernel (schema in
// initrd/README.md): which program to start, with which arguments, environment and
// working directory. Portable: parsed into fixed storage, unit-tested on the host.

#include <stddef.h>

#include <string_view>

#include "lib/result.h"

namespace kiln::exec {

struct Manifest {
    static constexpr size_t MAX_ARGS = 64;
    static constexpr size_t MAX_ENV = 256;
    static constexpr size_t STORAGE = 16384;

    std::string_view argv[MAX_ARGS];
    size_t argc = 0;
    std::string_view envp[MAX_ENV];
    size_t envc = 0;
    std::string_view cwd = "/";

    // Text for the strings above; each is NUL-terminated in here as well.
    char storage[STORAGE];
    size_t used = 0;
};

struct ManifestError {
    const char* what = "";  // e.g. "argv must be a non-empty array of strings"
};

// EINVAL with error->what filled in for anything that does not follow the schema.
Result<void> parse_manifest(std::string_view text, Manifest& out, ManifestError* error);

}  // namespace kiln::exec
