#pragma once

// Builds the root filesystem image: an EROFS image (Debian's mkfs.erofs) holding the
// runtime, its loader and libraries, the app and the manifest. Layout and manifest
// schema: README.md in this folder.
//
//   auto built = initrd::build_root_image({ .app_dir = "examples/hello",
//       .runtime_path = "build/runtime/kiln-runtime", .output_path = "out/root.erofs" });
//   if (!built.ok) print(built.error);

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace kiln::initrd {

struct RootImageSpec {
    std::filesystem::path app_dir; // must contain package.json
    std::filesystem::path runtime_path; // the kiln-runtime binary to ship
    std::filesystem::path output_path; // the image to write (replaced atomically)
};

// Any program, for boot tests and tools: `program` (a host ELF) goes to
// /kiln/bin/<its file name> with its interpreter and libraries, `files` to the given
// absolute paths, `app_dir` (optional) to /app; the manifest starts the program with
// `args`, `env` and `cwd`.
struct ProgramImageSpec {
    std::filesystem::path program;
    std::vector<std::string> args;
    std::vector<std::string> env;
    std::string cwd = "/";
    std::vector<std::pair<std::filesystem::path, std::string>> files;
    std::filesystem::path app_dir;
    std::filesystem::path output_path;
};

struct BuildResult {
    bool ok = false;
    std::string error; // what went wrong and what to do, when !ok
    uint64_t image_size = 0; // bytes, when ok
};

// Reproducible: the same app, runtime and host libraries give byte-identical images.
// Staging happens in a temporary folder next to the output and the image is written
// under a temporary name and renamed into place, so a failure leaves neither staging
// files nor a half-written image behind (an existing image at output_path survives).
BuildResult build_root_image(const RootImageSpec& spec);
BuildResult build_program_image(const ProgramImageSpec& spec);

} // namespace kiln::initrd
