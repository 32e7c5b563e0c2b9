#pragma once

// From an app folder to an up-to-date image, for `kiln build` and `kiln run`: scan the
// app (nothing is written when that fails), fingerprint every input, and rebuild only
// when the fingerprint differs from the one stored with the last build.
//
// The fingerprint (the `.inputs` file next to root.erofs) lists, for every host file
// the image is made of — the app's selected files, the dependency files, kiln-runtime,
// ld.so and the libraries, the kernel for an artifact, and the kiln binary itself —
// its path in the image, its host path, size, mtime (ns) and inode, plus the extra env
// and args. Any edit, `npm install`, rebuilt runtime or upgraded library changes it.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app_contents.h"

namespace kiln::cli {

struct ImageRequest {
    std::filesystem::path app_dir;
    std::filesystem::path out_dir; // the artifact folder, or a cache slot
    std::filesystem::path runtime;
    std::filesystem::path kernel; // copied in when `artifact`
    bool artifact = false; // also write `kernel` and `manifest.json` (kiln build)
    std::vector<std::string> env; // extra, after package.json's
    std::vector<std::string> args;
    bool check_only = false; // report whether out_dir is up to date, never build
};

struct ImageResult {
    bool ok = false;
    std::string error;
    std::filesystem::path root_image;
    std::optional<initrd::AppContents> app;
    bool reused = false; // the inputs matched the last build (check_only: ok means up to date)
    uint64_t size = 0;
};

ImageResult ensure_image(const ImageRequest& request);

// dist/<name>.kiln inside the app folder, <name> from package.json (else the folder name).
std::filesystem::path default_artifact_dir(const std::filesystem::path& app_dir, const initrd::PackageJson& package);

// $KILN_CACHE_DIR, else $XDG_CACHE_HOME/kiln, else ~/.cache/kiln.
std::filesystem::path cache_root();

// Where `kiln run <folder>` keeps its images when there is no up-to-date `kiln build`
// output: $KILN_CACHE_DIR, else $XDG_CACHE_HOME/kiln, else ~/.cache/kiln, then
// apps/<name>-<hash of the app's real path>/<variant>.
std::filesystem::path cache_slot(
    const std::filesystem::path& app_dir, const initrd::PackageJson& package, const std::string& variant);

// The fingerprint ensure_image would store; for tests and `kiln build --why`.
std::string inputs_fingerprint(const ImageRequest& request, const initrd::AppContents& app, std::string& error);

// The artifact's manifest.json: format marker, app, file names, VM defaults from the
// "kiln" section and the guest manifest (argv, env, cwd). No host paths, no times.
std::string artifact_manifest(
    const initrd::AppContents& app, const std::vector<std::string>& env, const std::vector<std::string>& args);

// A short stable hash (FNV-1a 64, hex) for cache names.
std::string short_hash(const std::string& text);

} // namespace kiln::cli
