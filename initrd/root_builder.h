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

#include "app_contents.h"

namespace kiln::initrd {

struct RootImageSpec {
    std::filesystem::path app_dir; // must contain package.json
    std::filesystem::path runtime_path; // the kiln-runtime binary to ship
    std::filesystem::path output_path; // the image to write (replaced atomically)
    // Added to the manifest after the app's own settings (package.json "kiln": env,
    // args): `kiln run --env K=V` and `kiln run -- args`.
    std::vector<std::string> env = {}; // "KEY=value"; a key given again replaces the earlier value
    std::vector<std::string> args = {};
    // The app as scan_app() found it, when the caller scanned it already; else scanned here.
    const AppContents* contents = nullptr;
};

// Any program, for boot tests and tools: `program` (a host ELF) goes to
// /kiln/bin/<its file name> with its interpreter and libraries, `files` to the given
// absolute paths, `app_dir` (optional) to /app; the manifest starts the program with
// `args`, `env` and `cwd`.
struct ProgramImageSpec {
    std::filesystem::path program;
    std::vector<std::string> args = {};
    std::vector<std::string> env;
    std::string cwd = "/";
    std::vector<std::pair<std::filesystem::path, std::string>> files;
    std::filesystem::path app_dir; // copied whole (kiln-mkroot --app), unless app_files is set
    const std::vector<AppFile>* app_files = nullptr; // exactly these (kiln build)
    std::vector<std::pair<std::string, std::string>> texts; // image path → contents (/kiln/build-info.json)
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

// The environment the app starts with: NODE_ENV=production, then package.json
// "kiln".env, then `extra` ("KEY=value"); a later value for a key replaces the earlier
// one in place.
std::vector<std::string> app_environment(const AppContents& app, const std::vector<std::string>& extra);

// The entry's argv after the runtime: /app/<main>, "kiln".args, then `extra`.
std::vector<std::string> app_arguments(const AppContents& app, const std::vector<std::string>& extra);

// /kiln/build-info.json: the app's name, version and entry, the packages included from
// node_modules and what was left out, for `kiln inspect`. Paths are relative to the
// app; nothing about the host that built it.
std::string build_info_json(const AppContents& app);

} // namespace kiln::initrd
